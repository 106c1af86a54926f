using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.IntegrationTests.Cli;
using Aha.Sandbox;
using Microsoft.Data.Sqlite;

namespace Aha.IntegrationTests.Sync
{
    /// <summary><c>aha sync</c> as a user runs it (in-process): arguments, the demo sandbox, the summary.</summary>
    public sealed class CliSyncTests
    {
        private static void Small(AhaSandboxOptions o)
        {
            o.Products = 1;
            o.FeaturesPerProduct = 60;
            o.IdeasPerProduct = 10;
            o.ReleasesPerProduct = 2;
            o.RateLimit.Enabled = false;
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Sync_demo_exports_into_a_new_sqlite_file_and_says_what_it_did(CancellationToken cancellationToken)
        {
            var directory = Path.Combine(Path.GetTempPath(), "aha-cli-sync-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                var db = Path.Combine(directory, "demo.db");
                var run = await CliRunner.RunAsync(new[] { "sync", "features,ideas", "--to", "sqlite:" + db }, cancellationToken, demoSandbox: Small);

                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
                Assert.That(run.Error, Does.Contain("DEMO MODE"));
                // Until the sandbox serves /audits the run ends after the export with a warning; then with the summary.
                Assert.That(run.Error.Contains("does not serve /audits", StringComparison.Ordinal) || run.Error.Contains("first export: ", StringComparison.Ordinal), Is.True, run.Error);

                await using var connection = new SqliteConnection("Data Source=" + db + ";Pooling=False");
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT id), SUM(json_valid(raw)) FROM aha_features";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                Assert.That(await reader.ReadAsync(cancellationToken), Is.True);
                Assert.That(reader.GetInt64(0), Is.GreaterThanOrEqualTo(60));
                Assert.That(reader.GetInt64(1), Is.EqualTo(reader.GetInt64(0)));
                Assert.That(reader.GetInt64(2), Is.EqualTo(reader.GetInt64(0)), "raw holds valid JSON");
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task With_AHA_DEMO_STATE_a_demo_write_is_replayed_into_the_next_demo_run(CancellationToken cancellationToken)
        {
            var state = Path.Combine(Path.GetTempPath(), "aha-demo-state-" + Guid.NewGuid().ToString("N") + ".ndjson");
            var environment = new System.Collections.Generic.Dictionary<string, string> { ["AHA_DEMO_STATE"] = state };
            try
            {
                var set = await CliRunner.RunAsync(new[] { "set-field", "features", "ATL-1", "priority=P9 from the journal" }, cancellationToken, environment, Small);
                Assert.That(set.ExitCode, Is.EqualTo(ExitCodes.Success), set.ToString());
                Assert.That(File.ReadAllLines(state), Has.Length.EqualTo(1), "one write recorded, no read");

                var get = await CliRunner.RunAsync(new[] { "get", "features", "ATL-1" }, cancellationToken, environment, Small);
                Assert.That(get.ExitCode, Is.EqualTo(ExitCodes.Success), get.ToString());
                Assert.That(get.Error, Does.Contain("1 earlier demo write(s) replayed"));
                Assert.That(get.Out, Does.Contain("P9 from the journal"));

                // Without the variable, the demo starts from the seed again.
                var fresh = await CliRunner.RunAsync(new[] { "get", "features", "ATL-1" }, cancellationToken, demoSandbox: Small);
                Assert.That(fresh.Out, Does.Not.Contain("P9 from the journal"));
            }
            finally
            {
                File.Delete(state);
            }
        }

        [TestCase("features,todos", "cannot be synced")]
        [TestCase("", "name what to sync")]
        public async Task An_unknown_resource_is_a_usage_error_before_any_request(string resources, string message)
        {
            var run = await CliRunner.RunAsync(new[] { "sync", resources, "--to", "sqlite:" + Path.Combine(Path.GetTempPath(), "never-" + Guid.NewGuid().ToString("N") + ".db") }, CancellationToken.None, demoSandbox: Small);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), run.ToString());
            Assert.That(run.Error, Does.Contain(message));
        }

        [TestCase("mysql:server=x", "is not a database this tool knows")]
        [TestCase("sqlite:", "needs a file path")]
        [TestCase("postgres:", "needs a connection string")]
        public async Task An_unknown_or_empty_database_is_a_usage_error(string to, string message)
        {
            var run = await CliRunner.RunAsync(new[] { "sync", "features", "--to", to }, CancellationToken.None, demoSandbox: Small);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), run.ToString());
            Assert.That(run.Error, Does.Contain(message));
        }

        [Test]
        public async Task A_postgres_password_never_reaches_the_output()
        {
            // Nothing listens on port 1: the connection fails, and the message must not carry the password.
            var run = await CliRunner.RunAsync(new[] { "sync", "features", "--to", "postgres:Host=127.0.0.1;Port=1;Username=aha;Password=hunter2-secret;Timeout=2" }, CancellationToken.None, demoSandbox: Small);
            Assert.That(run.ExitCode, Is.Not.EqualTo(ExitCodes.Success));
            Assert.That(run.Error + run.Out, Does.Not.Contain("hunter2-secret"));
            Assert.That(run.Error, Does.Contain("postgres:127.0.0.1:1"));
        }
    }
}
