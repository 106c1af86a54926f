using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.Cli.Connection;
using Aha.Cli.Errors;
using Aha.Sandbox;

namespace Aha.IntegrationTests.Cli
{
    /// <summary>
    /// What a new user meets in the first hour, in a terminal and in a script: demo data only when asked for, failures
    /// that are fast and say why, suggestions for typos, file errors in the user's terms, progress and a summary.
    /// </summary>
    [TestFixture]
    public sealed class CliFirstHourTests
    {
        [Test]
        [CancelAfter(30_000)]
        public async Task Without_credentials_and_without_demo_a_command_fails_with_3_and_a_hint_and_writes_nothing(CancellationToken cancellationToken)
        {
            var path = CliRunner.TempFile("f.csv");

            var run = await CliRunner.RunAsync(new[] { "export", "features", "--out", path }, cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadCredentials), run.ToString());
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(run.Error, Does.Contain("no Aha! credentials").And.Contain("AHA_TOKEN").And.Contain("--demo"));
            Assert.That(run.Error, Does.Not.Contain("DEMO MODE"));
            Assert.That(File.Exists(path), Is.False, "no demo data exported by accident");
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.Empty, "no partial file either");
        }

        [TestCase("1")]
        [TestCase("true")]
        public async Task AHA_DEMO_asks_for_demo_mode_like_the_option(string value)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = await RunWithoutDemoFlagAsync(new[] { "get", "features", "ATL-1", "-q" }, new Dictionary<string, string> { ["AHA_DEMO"] = value }, cancel.Token);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("DEMO MODE (AHA_DEMO)"));
            Assert.That(run.Out, Does.Contain("\"reference_num\": \"ATL-1\""));
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task AHA_DEMO_0_is_not_demo_mode(CancellationToken cancellationToken)
        {
            var run = await RunWithoutDemoFlagAsync(new[] { "limits" }, new Dictionary<string, string> { ["AHA_DEMO"] = "0" }, cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadCredentials), run.ToString());
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_account_with_a_trailing_newline_is_refused_and_shown_escaped(CancellationToken cancellationToken)
        {
            var environment = new Dictionary<string, string> { ["AHA_ACCOUNT"] = "company\n", ["AHA_TOKEN"] = "some-token" };

            var run = await CliRunner.RunAsync(new[] { "limits" }, cancellationToken, environment);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), run.ToString());
            Assert.That(run.Error, Does.Contain("'company\\n' contains a line break"));
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task A_refused_connection_ends_the_command_at_the_first_attempt_with_the_reason(CancellationToken cancellationToken)
        {
            var port = FreePort();

            // Default settings: six retries for a network error, were it not the first connection.
            var run = await CliRunner.RunAsync(new[] { "get", "features", "ATL-1", "--base-url", $"http://127.0.0.1:{port}/api/v1/", "--token", "some-token", "-v" }, cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NetworkFailure), run.ToString());
            var lines = run.Error.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            Assert.That(lines.Count(l => l.Contains("error:", StringComparison.Ordinal)), Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.Contain($"network failure: cannot connect to 127.0.0.1:{port}: connection refused"));
            Assert.That(run.Error, Does.Contain("caused by: System.Net.Http.HttpRequestException").And.Contain("caused by: System.Net.Sockets.SocketException [ConnectionRefused]"), "-v shows the chain");
            Assert.That(run.Error, Does.Not.Contain("Retry").And.Not.Contain("retrying"), "not retried");
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Without_verbose_the_failure_is_one_line(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "limits", "--base-url", $"http://127.0.0.1:{FreePort()}/", "--token", "some-token" }, cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NetworkFailure), run.ToString());
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Https_to_a_server_that_does_not_speak_TLS_is_a_TLS_failure(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(CliExportTests.Small(), cancellationToken);
            var https = new UriBuilder(sandbox.BaseAddress) { Scheme = "https" }.Uri;

            var run = await CliRunner.RunAsync(new[] { "limits", "--base-url", https.ToString(), "--token", sandbox.Token }, cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NetworkFailure), run.ToString());
            Assert.That(run.Error, Does.Contain("TLS handshake failed"));
            Assert.That(sandbox.Statistics.TotalRequests, Is.Zero);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task A_server_that_never_completes_the_handshake_times_out_after_the_connect_timeout(CancellationToken cancellationToken)
        {
            // Accepts TCP connections (the kernel does) and never answers the TLS ClientHello.
            var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            try
            {
                var port = ((IPEndPoint)silent.LocalEndpoint).Port;

                var run = await CliRunner.RunAsync(new[] { "limits", "--base-url", $"https://127.0.0.1:{port}/", "--token", "some-token", "--connect-timeout", "0.5" }, cancellationToken);

                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NetworkFailure), run.ToString());
                Assert.That(run.Error, Does.Contain("timed out connecting after 0.5 s (--connect-timeout)"));
            }
            finally
            {
                silent.Stop();
            }
        }

        [TestCase(0)]
        [TestCase(-1)]
        [TestCase(301)]
        public async Task A_connect_timeout_out_of_range_is_invalid(double seconds)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var run = await CliRunner.RunAsync(new[] { "limits", "--connect-timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--demo" }, cancel.Token);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), run.ToString());
            Assert.That(run.Error, Does.Contain("--connect-timeout"));
        }

        [Test]
        public void Connect_failures_are_named_by_their_reason()
        {
            var uri = new Uri("https://company.aha.io/api/v1/");
            var dns = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (company.aha.io:443)", new SocketException((int)SocketError.HostNotFound));
            var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));
            var tls = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", new AuthenticationException("The remote certificate is invalid"));
            var timeout = new TaskCanceledException("canceled", new TimeoutException("A connection could not be established within the configured ConnectTimeout."));
            var unreachable = new HttpRequestException(HttpRequestError.ConnectionError, "Network is unreachable", new SocketException((int)SocketError.NetworkUnreachable));

            Assert.Multiple(() =>
            {
                Assert.That(ConnectFailure.Describe(dns, uri), Is.EqualTo("cannot connect to company.aha.io: DNS name not found (check the account name or --base-url)"));
                Assert.That(ConnectFailure.Describe(refused, uri), Does.EndWith("connection refused (nothing listens on that port)"));
                Assert.That(ConnectFailure.Describe(tls, uri), Is.EqualTo("cannot connect to company.aha.io: TLS handshake failed (The remote certificate is invalid)"));
                Assert.That(ConnectFailure.Describe(timeout, uri, TimeSpan.FromSeconds(5)), Does.EndWith("timed out connecting after 5 s (--connect-timeout)"));
                Assert.That(ConnectFailure.Describe(unreachable, uri), Does.Contain("host unreachable"));
                Assert.That(ConnectFailure.Describe(new HttpRequestException("The response ended prematurely."), uri), Is.Null, "not a connect failure: the client's retries apply");
            });
        }

        [TestCase(new[] { "exprot", "features" }, "unknown command 'exprot'. Did you mean 'export'?")]
        [TestCase(new[] { "gte", "features", "ATL-1" }, "unknown command 'gte'. Did you mean 'get'?")]
        [TestCase(new[] { "export", "featurs" }, "unknown resource 'featurs'. Did you mean 'features'?")]
        [TestCase(new[] { "export", "features", "--updated-sinse", "7d" }, "unknown option '--updated-sinse'. Did you mean '--updated-since'?")]
        [TestCase(new[] { "export", "features", "--demoo" }, "unknown option '--demoo'. Did you mean '--demo'?")]
        [TestCase(new[] { "export", "features", "--format", "jsno" }, "unknown --format value 'jsno'. Did you mean 'json'?")]
        [TestCase(new[] { "export", "features", "--format", "xml" }, "unknown --format value 'xml'. Valid: csv, json, ndjson.")]
        [TestCase(new[] { "frobnicate" }, "unknown command 'frobnicate'. Valid: export, get, set-field, limits, sync, search.")]
        [TestCase(new string[0], "no command given: use export, get, set-field, limits, sync, search (or --help).")]
        public async Task Typos_get_the_nearest_valid_name(string[] args, string expected)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var run = await CliRunner.RunAsync(args, cancel.Token);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), run.ToString());
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.Contain("error: " + expected), run.ToString());
            Assert.That(run.Error, Does.Contain("--help"));
        }

        [Test]
        public void A_name_too_far_from_every_candidate_gets_no_suggestion()
        {
            Assert.That(Suggestions.Nearest("zzz", new[] { "export", "get", "limits" }), Is.Null);
            Assert.That(Suggestions.Nearest("EXPORT", new[] { "export", "get" }), Is.EqualTo("export"), "case is not an edit");
            Assert.That(Suggestions.Nearest("--upd", new[] { "--updated-since", "--per-page" }), Is.EqualTo("--updated-since"), "an abbreviation");
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_output_folder_that_does_not_exist_is_named_in_the_users_terms(CancellationToken cancellationToken)
        {
            var folder = Path.Combine(Path.GetTempPath(), "aha-no-such-dir-" + Guid.NewGuid().ToString("N"));
            var path = Path.Combine(folder, "out.csv");

            var run = await CliRunner.RunAsync(new[] { "export", "features", "--out", path }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.OutputError), run.ToString());
            Assert.That(run.Error, Does.Contain($"cannot write '{path}': the folder '{folder}' does not exist"));
            Assert.That(run.Error, Does.Not.Contain(".partial"), "the temporary file is an implementation detail");
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_output_path_that_is_a_folder_is_refused_before_any_request(CancellationToken cancellationToken)
        {
            var folder = Path.GetDirectoryName(CliRunner.TempFile("x"))!;

            var run = await CliRunner.RunAsync(new[] { "export", "features", "--out", folder }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.OutputError), run.ToString());
            Assert.That(run.Error, Does.Contain($"cannot write '{folder}': it is a folder; give a file name"));
            Assert.That(run.Error, Does.Not.Contain("DEMO MODE"));
            Assert.That(Directory.GetFiles(folder), Is.Empty);
        }

        [Test]
        public void A_runtime_message_naming_the_temporary_file_names_the_users_file_instead()
        {
            var error = new IOException("Disk quota exceeded : '/data/exports/.f.csv.partial-1a2b3c4d'");

            Assert.That(Aha.Cli.Output.OutputTarget.Reason(error, "exports/f.csv"), Is.EqualTo("Disk quota exceeded : 'exports/f.csv'"));
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task On_a_terminal_an_export_draws_a_progress_bar_and_ends_with_a_summary(CancellationToken cancellationToken)
        {
            var path = CliRunner.TempFile("f.csv");

            var run = await CliRunner.RunAsync(new[] { "export", "features", "--out", path, "--per-page", "20" }, cancellationToken, demoSandbox: CliRunner.SmallDemo, terminal: true);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("━").And.Contain("100%"), "a bar, filled");
            Assert.That(run.Error, Does.Not.Contain("aha export: 20 of"), "no progress lines");
            AssertSummary(run, "features");
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Redirected_an_export_prints_plain_progress_lines_and_the_summary(CancellationToken cancellationToken)
        {
            var path = CliRunner.TempFile("f.csv");

            var run = await CliRunner.RunAsync(new[] { "export", "features", "--out", path, "--per-page", "20" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Not.Contain("━").And.Not.Contain("\u001b["), "no bar, no escape sequences");
            Assert.That(run.Error, Does.Contain("aha export: 20 of"));
            AssertSummary(run, "features");
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task With_verbose_a_terminal_gets_lines_that_the_client_events_do_not_tear(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "export", "products", "--format", "ndjson", "-v" }, cancellationToken, demoSandbox: CliRunner.SmallDemo, terminal: true);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Not.Contain("━"));
        }

        /// <summary>
        /// Every `aha` command of the README and docs/cli.md that runs on demo data returns records: the demo data is
        /// dated relative to today, so "changed this week" is never empty.
        /// </summary>
        [Test]
        [CancelAfter(300_000)]
        public async Task Every_demo_command_of_the_README_and_the_CLI_guide_returns_records(CancellationToken cancellationToken)
        {
            var commands = DemoCommands().ToList();
            Assert.That(commands, Has.Count.GreaterThanOrEqualTo(4), string.Join("\n", commands.Select(c => string.Join(" ", c))));
            Assert.That(commands.Select(c => string.Join(" ", c)), Has.Some.Contains("--updated-since 7d"));

            foreach (var command in commands)
            {
                var args = command.ToArray();
                var outIndex = Array.IndexOf(args, "--out");
                string? path = null;
                if (outIndex >= 0)
                {
                    path = CliRunner.TempFile(args[outIndex + 1]);
                    args[outIndex + 1] = path;
                }

                // Not pinned: dated relative to the real today, as a user runs it.
                var run = await CliRunner.RunAsync(args, cancellationToken);

                var shown = string.Join(" ", command);
                Assert.That(run.ExitCode, Is.Zero, shown + "\n" + run);
                var records = path != null ? File.ReadAllLines(path).Length - 1 : run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                Assert.That(records, Is.GreaterThan(0), shown + ": returns records\n" + run);
                if (args[0] == "export")
                {
                    Assert.That(Regex.Match(run.Error, @"exported ([\d,]+) ").Groups[1].Value, Is.Not.EqualTo("0").And.Not.Empty, shown);
                }
            }
        }

        /// <summary>The `aha ...` or `dotnet run --project src/Aha.Cli -- ...` lines with --demo in the README and docs/cli.md.</summary>
        private static IEnumerable<string[]> DemoCommands()
        {
            foreach (var document in new[] { "README.md", Path.Combine("docs", "cli.md") })
            {
                foreach (var raw in File.ReadAllLines(Path.Combine(Repo.Root, document)))
                {
                    var line = raw.Split(" #", 2)[0].Trim().Trim('`');
                    var match = Regex.Match(line, @"^(?:dotnet run --project src/Aha\.Cli -- |aha )(?<args>.*--demo.*)$");
                    if (match.Success)
                    {
                        yield return match.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    }
                }
            }
        }

        private static void AssertSummary(CliRun run, string resource)
        {
            var summary = run.Error.Split('\n').Single(l => l.Contains("aha export: exported", StringComparison.Ordinal));
            Assert.That(summary, Does.Match($@"exported [\d,]+ {resource} in \d+ page\(s\) to .+ as CSV, \d+ columns .* in \d+\.\d s \([\d,]+ records/s\); rate-limit waits: \d+ \(\d+\.\d s\), 429 answers: 0, retries: 0\."));
        }

        private static Task<CliRun> RunWithoutDemoFlagAsync(string[] args, Dictionary<string, string> environment, CancellationToken cancellationToken)
            => CliRunner.RunAsync(args, cancellationToken, environment);

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
