using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;
using Aha.Cli.Sync;
using Aha.Client;
using Aha.Sandbox;
using Aha.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Aha.Benchmarks.Sync
{
    /// <summary>
    /// Issue 17, item 6: after a first sync of N features into SQLite, a sync with K changed records makes a number of
    /// requests proportional to K, not to N. Against the in-process sandbox with Aha!'s rate limits (time-scalable);
    /// the audits come from an in-memory audit log in front of it, written with each change (as Aha! would).
    /// </summary>
    internal static class SyncBenchmark
    {
        internal sealed record Result(int Features, int Changes, long FirstRequests, double FirstSeconds, long ChangeRequests, long AuditsRead, long ReRead, double ChangeSeconds, bool Mirrors);

        public static async Task<int> RunAsync(Options options)
        {
            var features = options.GetInt("features", 20_000);
            var changes = options.GetInt("changes", 100);
            var scale = options.GetDouble("time-scale", 1);
            var result = await RunOnceAsync(features, changes, scale).ConfigureAwait(false);
            Console.WriteLine("| features | first sync: requests | first sync: time | changed records | change sync: requests (audits read, records re-read) | change sync: time | table mirrors the server |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0:N0} | {1:N0} | {2:0.0} s | {3:N0} | {4:N0} ({5:N0}, {6:N0}) | {7:0.0} s | {8} |",
                result.Features, result.FirstRequests, result.FirstSeconds, result.Changes, result.ChangeRequests, result.AuditsRead, result.ReRead, result.ChangeSeconds, result.Mirrors ? "yes" : "NO"));
            return result.Mirrors ? 0 : 1;
        }

        public static async Task<Result> RunOnceAsync(int features, int changes, double timeScale)
        {
            const int products = 4;
            var options = new AhaSandboxOptions
            {
                Products = products,
                FeaturesPerProduct = Math.Max(1, features / products),
                IdeasPerProduct = 1,
                ReleasesPerProduct = 2,
                SeedSpecExamples = false,
            };
            options.RateLimit.TimeScale = timeScale;
            await using var sandbox = await AhaSandbox.StartAsync(options).ConfigureAwait(false);
            using var audits = new FakeAuditLog(new SocketsHttpHandler());
            var aha = new AhaClient(sandbox.CreateClientOptions(), audits);
            var directory = Path.Combine(Path.GetTempPath(), "aha-sync-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                var target = SyncTarget.Parse("sqlite:" + Path.Combine(directory, "bench.db"));
                var resources = SyncResources.Parse("features");

                var clock = Stopwatch.StartNew();
                SyncSummary first;
                await using (var store = await SyncStore.OpenAsync(target, CancellationToken.None).ConfigureAwait(false))
                {
                    first = await new SyncEngine(aha, store, resources).RunAsync(CancellationToken.None).ConfigureAwait(false);
                }

                var firstSeconds = clock.Elapsed.TotalSeconds;
                var firstRequests = audits.OtherRequests.Count + audits.AuditQueries.Count;

                // The changes (not measured): a custom field of K features spread over the whole list.
                var ids = sandbox.Records("features", "id").Select(r => (string)r["id"]!).ToList();
                for (var i = 0; i < changes; i++)
                {
                    var id = ids[(int)((long)i * ids.Count / Math.Max(1, changes))];
                    await aha.Features.UpdateCustomFieldsAsync(id, CustomFieldUpdate.Set("priority", "P" + (i % 4 + 1).ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
                    audits.Add("update", "custom_field_value", (900_000 + i).ToString(CultureInfo.InvariantCulture), "feature", id, ("Priority", "P"));
                }

                var before = audits.OtherRequests.Count + audits.AuditQueries.Count;
                clock.Restart();
                SyncSummary second;
                await using (var store = await SyncStore.OpenAsync(target, CancellationToken.None).ConfigureAwait(false))
                {
                    second = await new SyncEngine(aha, store, resources).RunAsync(CancellationToken.None).ConfigureAwait(false);
                }

                var changeSeconds = clock.Elapsed.TotalSeconds;
                var changeRequests = audits.OtherRequests.Count + audits.AuditQueries.Count - before;

                // The table against the server: same ids, and the same priority for every changed feature.
                bool mirrors;
                await using (var connection = new SqliteConnection("Data Source=" + Path.Combine(directory, "bench.db") + ";Pooling=False"))
                {
                    await connection.OpenAsync().ConfigureAwait(false);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT COUNT(*) FROM aha_features";
                    var count = Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
                    mirrors = count == sandbox.Count("features") && second.RecordsReRead == changes && first.Exported["features"] == count;
                }

                return new Result(ids.Count, changes, firstRequests, firstSeconds, changeRequests, second.AuditsRead, second.RecordsReRead, changeSeconds, mirrors);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
