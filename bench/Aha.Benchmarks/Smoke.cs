using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Aha.Benchmarks.Export;
using Aha.Benchmarks.Infrastructure;
using Aha.Benchmarks.Memory;
using Aha.Benchmarks.Overhead;

namespace Aha.Benchmarks
{
    /// <summary>
    /// Every benchmark once at a tiny size, with correctness checks instead of timings: the client and the baseline read
    /// the same records, the update body carries the custom fields, a 3-page export against the limits completes with
    /// no 429 (time-scaled x10), streaming yields every record. Seconds, not minutes; exit code 1 on a failure.
    /// </summary>
    internal static class Smoke
    {
        public static async Task<int> RunAsync()
        {
            var failures = 0;
            void Check(bool ok, string what)
            {
                Console.WriteLine((ok ? "ok   " : "FAIL ") + what);
                failures += ok ? 0 : 1;
            }

            var page = new FeaturePage();
            page.Setup();
            var baseline = page.Baseline();
            var client = await page.Client();
            Check(baseline.Features?.Count == 200 && client.Features?.Count == 200, "overhead/page: 200 features through the client and the baseline");
            Check(client.Features!.Select(f => f.Id).SequenceEqual(baseline.Features!.Select(f => f.Id)), "overhead/page: same ids in the same order");
            Check(client.Features!.Count(f => f.CustomFields?.Count > 0) == baseline.Features!.Count(f => f.CustomFields?.Count > 0) && client.Features!.Any(f => f.CustomFields?.Count > 0), "overhead/page: custom fields read on both sides");

            var single = new SingleFeature();
            single.Setup();
            Check((await single.Client()).Id == single.Baseline().Feature?.Id, "overhead/single: same record");

            var update = new CustomFieldUpdateRequest();
            update.Setup();
            var transport = new ReplayHandler(Payloads.Load(Payloads.SingleFeature)) { KeepRequestBody = true };
            var aha = BenchClients.Create(transport);
            await aha.Features.UpdateCustomFieldsAsync(BenchClients.FeatureId, CustomFieldUpdateRequest.SampleUpdate());
            var sent = Encoding.UTF8.GetString(transport.LastRequestBody ?? Array.Empty<byte>());
            Check(sent.StartsWith("{\"feature\":{\"custom_fields\":{\"priority\":\"P1\"", StringComparison.Ordinal) && sent.Contains("顧客の要望", StringComparison.Ordinal), "overhead/update: the PUT body carries the custom fields, UTF-8 as is");
            Check(update.Baseline().Feature?.Id != null && (await update.Client()).Id != null, "overhead/update: both sides read the answer");

            var export = await ExportBenchmark.RunOnceAsync(pages: 3, mode: "parallel", degree: 2, scale: 10, fields: null, marginMs: null);
            Check(export.Records == export.ExpectedRecords && export.Records == 600, $"export: 3 pages, {export.Records} of {export.ExpectedRecords} records");
            Check(export.ServerRateLimited == 0 && export.FailedRequests == 0, $"export: no 429 ({export.ServerRateLimited}), no failure ({export.FailedRequests})");
            // 25 pages in real time: more than one second's worth, so the pacing is exercised against a server we did not write.
            var independent = await ExportBenchmark.RunOnceAsync(pages: 25, mode: "parallel", degree: 4, scale: 1, fields: null, marginMs: null, server: "independent");
            Check(independent.Records == 5_000 && independent.ServerRateLimited == 0 && independent.FailedRequests == 0 && independent.PeakPerSecond <= 20,
                $"export against the independent server (Node.js): {independent.Records} of 5,000 records, 429s {independent.ServerRateLimited}, failed {independent.FailedRequests}, peak {independent.PeakPerSecond}/s");
            // A fresh child process per run (the cold-start measurement), against a server that takes 3 ms per page.
            var fresh = await ExportBenchmark.RunFreshAsync(pages: 3, mode: "sequential", degree: 1, fields: null, client: "aha", latencyMs: 3, ahaHeaders: false, childExe: null, warmUpApi: true);
            var reference = await ExportBenchmark.RunFreshAsync(pages: 3, mode: "parallel", degree: 2, fields: null, client: "reference", latencyMs: 3, ahaHeaders: false, childExe: null, warmUpApi: false);
            Check(fresh.Records == 600 && reference.Records == 600 && fresh.ServerRateLimited == 0 && fresh.FailedRequests == 0 && reference.FailedRequests == 0 && fresh.Log.All(a => a.AnsweredAt - a.SentAt >= 0.003),
                $"export in a fresh process (client and reference, 3 ms per page): {fresh.Records} and {reference.Records} of 600 records, failed {fresh.FailedRequests + reference.FailedRequests}");
            Check(RateLimitMath.LeastSeconds(100, 0, 1) == 4 && Math.Abs(RateLimitMath.LeastSeconds(100, 0.2, 1) - 20) < 1e-9, "export: least time with latency (100 pages: 4 s at 0 ms, 20 s sequential at 200 ms)");
            Check(RateLimitMath.MinimumSeconds(100) == 4 && RateLimitMath.MinimumSeconds(400) == 64, "export: theoretical minimum 4 s (100 pages), 64 s (400 pages)");

            var memory = await MemoryBenchmark.RunOnceAsync(Payloads.Load(Payloads.FeaturePage), 1_000, 1);
            Check(memory.Records == 1_000 && memory.PeakLiveBytes > 0, $"memory: 1,000 records streamed, peak live {MemoryBenchmark.Mb(memory.PeakLiveBytes)}");

            var sync = await Sync.SyncBenchmark.RunOnceAsync(features: 400, changes: 5, timeScale: 10);
            Check(sync.Mirrors && sync.ChangeRequests <= sync.Changes + 2 && sync.ReRead == 5, $"sync: first sync of {sync.Features} features in {sync.FirstRequests} requests, then 5 changes in {sync.ChangeRequests} requests");

            Console.WriteLine(failures == 0 ? "smoke: all checks passed" : $"smoke: {failures} check(s) failed");
            return failures == 0 ? 0 : 1;
        }
    }
}
