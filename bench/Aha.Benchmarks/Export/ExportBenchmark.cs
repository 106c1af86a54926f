using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;
using Aha.Client;
using Aha.Client.Configuration;
using Aha.Sandbox;

namespace Aha.Benchmarks.Export
{
    /// <summary>One export run and what it measured.</summary>
    internal sealed record ExportResult(
        string Server,
        int Pages,
        string Mode,
        int Parallelism,
        int Records,
        int ExpectedRecords,
        double Seconds,
        double MinimumSeconds,
        double LastSentAt,
        int ServerRateLimited,
        int ClientRateLimited,
        int FailedRequests,
        int Attempts,
        int PeakPerSecond,
        int PeakPerMinute,
        string? Error,
        IReadOnlyList<AttemptRecord> Log)
    {
        /// <summary>measured / minimum; NaN when no window binds (20 requests or fewer: the minimum is 0).</summary>
        public double Ratio => MinimumSeconds > 0 ? Seconds / MinimumSeconds : double.NaN;

        /// <summary>The ratio as printed.</summary>
        public string RatioText => double.IsNaN(Ratio) ? "n/a (no window binds)" : Ratio.ToString("F4", CultureInfo.InvariantCulture);

        /// <summary>Median time from sending an attempt to its answer (headers and body), in seconds.</summary>
        public double MedianLatency => Log.Count == 0 ? 0 : Log.Select(a => a.AnsweredAt - a.SentAt).OrderBy(x => x).ElementAt(Log.Count / 2);

        public bool Ok => Error is null && Records == ExpectedRecords && ServerRateLimited == 0 && FailedRequests == 0;
    }

    /// <summary>
    /// Bulk export against the ceiling: every feature of a sandbox that enforces Aha!'s 20/s and 300/min, through
    /// <c>aha.Features.ListAllAsync()</c> at per_page=200, sequentially (one page ahead) and with
    /// <c>WithParallelism(n)</c>. Each run gets a fresh sandbox (fresh server windows) and a client with its own budget
    /// (fresh client windows), so every run starts from the same state the theoretical minimum assumes.
    /// </summary>
    internal static class ExportBenchmark
    {
        public static async Task<int> RunAsync(Options options)
        {
            var pagesList = options.GetInts("pages", 100, 400);
            var modes = options.GetList("modes", "sequential", "parallel");
            var parallelism = options.GetInt("parallelism", 4);
            var scale = options.GetDouble("time-scale", 1.0);
            var fields = options.Get("fields");
            var marginMs = options.Get("margin-ms") is { } m ? double.Parse(m, CultureInfo.InvariantCulture) : (double?)null;
            var server = options.Get("server", "sandbox");
            var freshWait = options.GetDouble("fresh-wait", 61);
            var token = Environment.GetEnvironmentVariable("AHA_TOKEN");
            var chart = options.Get("chart", server == "sandbox" ? Path.Combine(RepoPaths.Docs, "benchmarks-export.png") : "none");
            var repeats = options.GetInt("repeats", 1);
            var ahaHeaders = options.Get("aha-headers") == "true";
            ExportTarget.Validate(server, token, scale);
            if (server != "sandbox" && server != "independent")
            {
                // A server given by URL holds what it holds: one export per mode, as many pages as it has.
                pagesList = new[] { 0 };
            }

            Console.WriteLine($"export: server {server}, pages {string.Join(",", pagesList)}, modes {string.Join(",", modes)}, parallelism {parallelism}, time scale {scale}, fields {fields ?? "(default list attributes)"}, client margin {(marginMs is null ? "default" : marginMs + " ms")}, repeats {repeats}");
            Console.WriteLine($"machine: {Machine.Describe()}");

            // The sandbox (Kestrel) runs in this process and shares its thread pool with the client. On 2 cores the pool
            // starts with 2 threads and adds about one per 500 ms under a burst, which would stall the first burst of
            // concurrent requests for reasons that have nothing to do with the client: start with enough threads.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
            await WarmUpAsync(fields).ConfigureAwait(false);

            var results = new List<ExportResult>();
            foreach (var pages in pagesList)
            {
                foreach (var mode in modes)
                {
                    for (var run = 1; run <= repeats; run++)
                    {
                        var degree = mode == "parallel" ? parallelism : 1;
                        var result = await RunOnceAsync(pages, mode, degree, scale, fields, marginMs, server, token, freshWait, ahaHeaders).ConfigureAwait(false);
                        results.Add(result);
                        Console.WriteLine(Describe(result));
                        if (options.Get("log") is { } logDir)
                        {
                            Directory.CreateDirectory(logDir);
                            var file = Path.Combine(logDir, $"export-{result.Server}-{pages}-{mode}{(repeats > 1 ? "-" + run : string.Empty)}.csv");
                            File.WriteAllLines(file, new[] { "sent_at_s,answered_at_s,status" }.Concat(result.Log.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.SentAt:F4},{a.AnsweredAt:F4},{a.Status}"))));
                        }
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine(Table(results, scale));
            var largest = results.Where(r => r.Pages == results.Max(x => x.Pages)).GroupBy(r => r.Mode).Select(g => g.First()).ToList();
            if (chart != "none" && largest.Count > 0)
            {
                ExportChart.Save(largest, chart, scale);
                Console.WriteLine($"chart: {chart}");
            }

            return results.All(r => r.Error is null && r.Records == r.ExpectedRecords) ? 0 : 1;
        }

        /// <summary>
        /// JIT and connection code paths warmed on a throw-away sandbox with no limits (its requests count nowhere): enough
        /// pages, sequential and parallel, for the tiered JIT to promote the hot paths (30 calls, then a background
        /// compile), so the first burst of the measured run is not paced by tier-0 code.
        /// </summary>
        private static async Task WarmUpAsync(string? fields)
        {
            await using var sandbox = await AhaSandbox.StartAsync(SandboxTarget.SandboxOptions(10, TimeProvider.System, rateLimited: false)).ConfigureAwait(false);
            using var transport = new SocketsHttpHandler();
            var aha = new AhaClient(ClientOptions(sandbox.BaseAddress, sandbox.Token, TimeProvider.System, null), transport);
            for (var round = 0; round < 4; round++)
            {
                foreach (var degree in new[] { 1, 4 })
                {
                    await foreach (var _ in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = fields }).WithPerPage(200).WithParallelism(degree))
                    {
                    }
                }

                await Task.Delay(200).ConfigureAwait(false);
            }
        }

        internal static async Task<ExportResult> RunOnceAsync(int pages, string mode, int degree, double scale, string? fields, double? marginMs, string server = "sandbox", string? token = null, double freshWait = 61, bool ahaHeaders = false)
        {
            TimeProvider clock = scale == 1.0 ? TimeProvider.System : new ScaledClock(scale);
            await using var target = await ExportTarget.StartAsync(server, pages, clock, token, freshWait, ahaHeaders).ConfigureAwait(false);
            using var socket = new SocketsHttpHandler();
            using var recorder = new RecordingHandler(clock, socket);
            var aha = new AhaClient(ClientOptions(target.BaseUrl, target.Token, clock, marginMs), recorder);

            // Seeding a sandbox of 80,000 features leaves garbage behind; collect it now rather than in the first burst.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();

            string? error = null;
            var records = 0;
            recorder.Restart();
            try
            {
                var pageable = aha.Features.ListAllAsync(new FeaturesListOptions { Fields = fields }).WithPerPage(200);
                if (degree > 1)
                {
                    pageable = pageable.WithParallelism(degree);
                }

                await foreach (var feature in pageable)
                {
                    records++;
                }
            }
            catch (Exception ex)
            {
                error = ex.GetType().Name + ": " + ex.Message;
            }

            var seconds = recorder.Elapsed;
            var log = recorder.Attempts;
            var counts = await target.CountsAsync().ConfigureAwait(false);
            var pagesRead = target.ExpectedRecords is null ? log.Count(a => a.Status == 200) : pages;
            return new ExportResult(
                target.Name,
                pagesRead,
                mode,
                degree,
                records,
                target.ExpectedRecords ?? records,
                seconds,
                RateLimitMath.MinimumSeconds(pagesRead),
                log.Count == 0 ? 0 : log[log.Count - 1].SentAt,
                counts.RateLimited ?? log.Count(a => a.Status == 429),
                log.Count(a => a.Status == 429),
                log.Count(a => a.Status != 200 && a.Status != 429) + (error is null ? 0 : 1),
                log.Count,
                counts.PeakPerSecond ?? RateLimitMath.PeakInWindow(log, 1.0),
                counts.PeakPerMinute ?? RateLimitMath.PeakInWindow(log, 60.0),
                error,
                log);
        }

        private static AhaClientOptions ClientOptions(Uri baseUrl, string token, TimeProvider clock, double? marginMs)
        {
            var options = new AhaClientOptions
            {
                BaseUrl = baseUrl,
                Token = token,
                UserAgent = "Aha.Benchmarks export (bench@example.com)",
                TimeProvider = clock,
            };

            // A budget of its own: a budget shared with an earlier run would still hold that run's minute of requests.
            options.RateLimit.SharedAcrossClients = false;
            if (marginMs is { } ms)
            {
                options.RateLimit.SafetyMargin = TimeSpan.FromMilliseconds(ms);
            }

            return options;
        }

        private static string Describe(ExportResult r)
            => $"{r.Server}: {r.Pages} pages {r.Mode} (x{r.Parallelism}): {r.Records:N0}/{r.ExpectedRecords:N0} records in {r.Seconds:F3} s, minimum {r.MinimumSeconds:F0} s, ratio {r.RatioText}, " +
               $"last request sent at {r.LastSentAt:F3} s, median latency {r.MedianLatency * 1000:F0} ms, 429s {r.ServerRateLimited}, failed {r.FailedRequests}, attempts {r.Attempts}, peak {r.PeakPerSecond}/s {r.PeakPerMinute}/min" +
               (r.Error is null ? string.Empty : $", ERROR {r.Error}");

        internal static string Table(IReadOnlyList<ExportResult> results, double scale)
        {
            var sb = new StringBuilder();
            sb.AppendLine(scale == 1.0 ? "| server | pages | records | mode | measured | minimum | measured / minimum | last request sent at | median latency | 429s | failed | peak per 1 s / 60 s (server) |" : $"| server | pages | records | mode | measured (scaled s, x{scale}) | minimum | measured / minimum | last request sent at | median latency | 429s | failed | peak per 1 s / 60 s (server) |");
            sb.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Server} | {r.Pages} | {r.Records:N0} | {r.Mode}{(r.Parallelism > 1 ? $" (x{r.Parallelism})" : string.Empty)} | {r.Seconds:F2} s | {r.MinimumSeconds:F0} s | {(double.IsNaN(r.Ratio) ? "n/a" : $"**{r.Ratio:F3}x**")} | {r.LastSentAt:F2} s | {r.MedianLatency * 1000:F0} ms | {r.ServerRateLimited} | {r.FailedRequests} | {r.PeakPerSecond} / {r.PeakPerMinute} |"));
            }

            return sb.ToString();
        }
    }
}
