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
        IReadOnlyList<AttemptRecord> Log,
        string Client = "aha",
        double LatencyMs = 0,
        bool Fresh = false,
        double LeastSeconds = 0,
        IReadOnlyDictionary<string, double>? Marks = null)
    {
        /// <summary>
        /// For the first windows that bind (request 20k+1, k = 1..4): how much later than (first request + k s) it left.
        /// Each window reuses the places of the one before, so this grows by what every window adds.
        /// </summary>
        public string WindowLags => Log.Count <= 20 ? "-" : string.Join(" ", Enumerable.Range(1, Math.Min(4, (Log.Count - 1) / 20))
            .Select(k => string.Create(CultureInfo.InvariantCulture, $"+{(Log[20 * k].SentAt - Log[0].SentAt - k) * 1000:F0}")));

        /// <summary>
        /// Median over the requests that reused a place in the 1 s window (i &gt;= 20, before the minute binds) of
        /// s[i] - (answer of i-20) - 1 s: what the limiter adds after counting at the answer (margin, timer, pipeline).
        /// </summary>
        public double MedianReuseAfterAnswer => Log.Count <= 20 ? 0 : Enumerable.Range(20, Math.Min(Log.Count, 300) - 20)
            .Select(i => Log[i].SentAt - Log[i - 20].AnsweredAt - 1).OrderBy(x => x).ElementAt((Math.Min(Log.Count, 300) - 20) / 2);

        /// <summary>The child's start-up moments as text (ms since Main).</summary>
        public string MarksText => Marks is null || Marks.Count == 0 ? string.Empty
            : string.Join(", ", Marks.OrderBy(m => m.Value).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value * 1000:F0}")));

        /// <summary>measured / the least time the limits and the server's latency allow for this mode.</summary>
        public double LeastRatio => LeastSeconds > 0 ? Seconds / LeastSeconds : double.NaN;

        /// <summary>When the first request left (a fresh process: client construction and JIT before it).</summary>
        public double FirstSentAt => Log.Count > 0 ? Log[0].SentAt : 0;

        /// <summary>
        /// Request 1's round trip as the transport saw it (sent to headers back). A permit counts at its answer, so
        /// window 2 cannot start before request 1's answer + 1 s: a slow first answer is inherited by every window.
        /// </summary>
        public double FirstRoundTrip => Log.Count > 0 ? Log[0].AnsweredAt - Log[0].SentAt : 0;

        /// <summary>Request 20's send time minus request 1's: how long the first window's twenty requests took to leave.</summary>
        public double FirstWindowSpread => Log.Count >= 20 ? Log[19].SentAt - Log[0].SentAt : 0;

        /// <summary>Time from page 1's answer to the next request (the first page's parsing, in a fresh process).</summary>
        public double SecondGap => Log.Count > 1 ? Log[1].SentAt - Log[0].AnsweredAt : 0;

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
            var latencies = options.GetList("latency-ms", "0").Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
            var clients = options.GetList("clients", "aha");
            var fresh = options.Get("fresh-process") == "true";
            var childExe = options.Get("child");
            if (options.Get("ready-to-run") == "true")
            {
                if (!fresh || childExe != null)
                {
                    throw new ArgumentException("--ready-to-run publishes the child of --fresh-process (and replaces --child).");
                }

                childExe = await ExportChild.PublishReadyToRunAsync().ConfigureAwait(false);
            }

            // --warm-up: AhaClient.WarmUpAsync at the child's Main; --warm-up none: no warm-up at all (not even the
            // paging loop's own); neither: the paging loop's own, as for any user who does not call WarmUpAsync.
            var warmUpApi = options.Get("warm-up") is "true" or "main";
            var noWarmUp = options.Get("warm-up") == "none";
            var maxArrivalMs = options.Get("max-arrival-ms") is { } arrivalText ? double.Parse(arrivalText, CultureInfo.InvariantCulture) : (double?)null;
            if (maxArrivalMs != null && !fresh)
            {
                throw new ArgumentException("--max-arrival-ms is passed to the child process: use it with --fresh-process.");
            }
            ExportTarget.Validate(server, token, scale);
            if (clients.Any(c => c != "aha" && c != "reference"))
            {
                throw new ArgumentException($"--clients takes aha and/or reference (was '{string.Join(",", clients)}').");
            }

            if ((fresh || latencies.Any(l => l != 0)) && server != "independent")
            {
                throw new ArgumentException("--fresh-process and --latency-ms need --server independent.");
            }
            if (server != "sandbox" && server != "independent")
            {
                // A server given by URL holds what it holds: one export per mode, as many pages as it has.
                pagesList = new[] { 0 };
            }

            Console.WriteLine($"export: server {server}, pages {string.Join(",", pagesList)}, modes {string.Join(",", modes)}, parallelism {parallelism}, time scale {scale}, fields {fields ?? "(default list attributes)"}, client margin {(marginMs is null ? "default" : marginMs + " ms")}, repeats {repeats}, " +
                $"latency {string.Join(",", latencies)} ms, clients {string.Join(",", clients)}, {(fresh ? "a fresh process per run" + (warmUpApi ? " with AhaClient.WarmUpAsync" : noWarmUp ? " with no warm-up at all" : string.Empty) + (childExe is null ? string.Empty : " (child " + childExe + ")") : "warm, in this process")}");
            Console.WriteLine($"machine: {Machine.Describe()}");

            // The sandbox (Kestrel) runs in this process and shares its thread pool with the client. On 2 cores the pool
            // starts with 2 threads and adds about one per 500 ms under a burst, which would stall the first burst of
            // concurrent requests for reasons that have nothing to do with the client: start with enough threads.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
            if (!fresh)
            {
                await WarmUpAsync(fields).ConfigureAwait(false);
            }

            var results = new List<ExportResult>();
            foreach (var latency in latencies)
            foreach (var pages in pagesList)
            {
                foreach (var mode in modes)
                {
                    for (var run = 1; run <= repeats; run++)
                    foreach (var client in clients)
                    {
                        var degree = mode == "parallel" ? parallelism : 1;
                        var result = fresh
                            ? await RunFreshAsync(pages, mode, degree, fields, client, latency, ahaHeaders, childExe, warmUpApi, maxArrivalMs, noWarmUp).ConfigureAwait(false)
                            : await RunOnceAsync(pages, mode, degree, scale, fields, marginMs, server, token, freshWait, ahaHeaders, latency, client).ConfigureAwait(false);
                        results.Add(result);
                        Console.WriteLine(Describe(result));
                        if (options.Get("log") is { } logDir)
                        {
                            Directory.CreateDirectory(logDir);
                            var file = Path.Combine(logDir, $"export-{result.Server}-{client}-{latency}ms-{pages}-{mode}{(fresh ? "-fresh" : string.Empty)}{(repeats > 1 ? "-" + run : string.Empty)}.csv");
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

            // The reference client's code paths too, so that both sides of the comparison are warm.
            foreach (var degree in new[] { 1, 4 })
            {
                using var plain = new SocketsHttpHandler();
                await ReferenceExporter.ExportAsync(sandbox.BaseAddress, sandbox.Token, degree, plain, 0).ConfigureAwait(false);
            }
        }

        /// <summary>One export in a child process of its own (see <see cref="ExportChild"/>), against a fresh independent server.</summary>
        internal static async Task<ExportResult> RunFreshAsync(int pages, string mode, int degree, string? fields, string client, double latencyMs, bool ahaHeaders, string? childExe, bool warmUpApi, double? maxArrivalMs = null, bool noWarmUp = false)
        {
            await using var target = await NodeServerTarget.StartAsync(pages * 200, ahaHeaders, latencyMs).ConfigureAwait(false);
            var child = await ExportChild.RunChildAsync(childExe, target.BaseUrl, target.Token, degree, client, fields, warmUpApi && client == "aha", TimeSpan.FromMinutes(10), maxArrivalMs, noWarmUp && client == "aha").ConfigureAwait(false);
            var counts = await target.CountsAsync().ConfigureAwait(false);
            var log = child.Log.Select(a => new AttemptRecord(a[0], a[1], (int)a[2])).OrderBy(a => a.SentAt).ToList();
            return new ExportResult(
                target.Name,
                pages,
                mode,
                degree,
                child.Records,
                pages * 200,
                child.Seconds,
                RateLimitMath.MinimumSeconds(pages),
                log.Count == 0 ? 0 : log[log.Count - 1].SentAt,
                counts.RateLimited ?? log.Count(a => a.Status == 429),
                log.Count(a => a.Status == 429),
                log.Count(a => a.Status != 200 && a.Status != 429) + (child.Error is null ? 0 : 1),
                log.Count,
                counts.PeakPerSecond ?? 0,
                counts.PeakPerMinute ?? 0,
                child.Error,
                log,
                client,
                latencyMs,
                Fresh: true,
                LeastSeconds: RateLimitMath.LeastSeconds(pages, latencyMs / 1000, degree),
                Marks: child.Marks);
        }

        internal static async Task<ExportResult> RunOnceAsync(int pages, string mode, int degree, double scale, string? fields, double? marginMs, string server = "sandbox", string? token = null, double freshWait = 61, bool ahaHeaders = false, double latencyMs = 0, string client = "aha")
        {
            TimeProvider clock = scale == 1.0 ? TimeProvider.System : new ScaledClock(scale);
            await using var target = await ExportTarget.StartAsync(server, pages, clock, token, freshWait, ahaHeaders, latencyMs).ConfigureAwait(false);
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
                if (client == "reference")
                {
                    records = await ReferenceExporter.ExportAsync(target.BaseUrl, target.Token, degree, recorder, 10).ConfigureAwait(false);
                    goto done;
                }

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

            done:
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
                log,
                client,
                latencyMs,
                Fresh: false,
                LeastSeconds: RateLimitMath.LeastSeconds(pagesRead, latencyMs / 1000, degree));
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
            => $"{r.Server} {r.Client} latency {r.LatencyMs} ms{(r.Fresh ? " fresh process" : string.Empty)}: first request at {r.FirstSentAt * 1000:F0} ms, its round trip {r.FirstRoundTrip * 1000:F0} ms, page 1 answer to next request {r.SecondGap * 1000:F0} ms, window 1 spread {r.FirstWindowSpread * 1000:F0} ms, least time {r.LeastSeconds:F3} s (ratio {r.LeastRatio:F4}); {r.Pages} pages {r.Mode} (x{r.Parallelism}): {r.Records:N0}/{r.ExpectedRecords:N0} records in {r.Seconds:F3} s, minimum {r.MinimumSeconds:F0} s, ratio {r.RatioText}, " +
               $"last request sent at {r.LastSentAt:F3} s, median latency {r.MedianLatency * 1000:F0} ms, 429s {r.ServerRateLimited}, failed {r.FailedRequests}, attempts {r.Attempts}, peak {r.PeakPerSecond}/s {r.PeakPerMinute}/min" +
               $"; windows 2-5 left (ms after first + k s) {r.WindowLags}, median reuse after answer + 1 s {r.MedianReuseAfterAnswer * 1000:F1} ms" +
               (string.IsNullOrEmpty(r.MarksText) ? string.Empty : $"; child (ms since Main): {r.MarksText}") +
               (r.Error is null ? string.Empty : $", ERROR {r.Error}");

        internal static string Table(IReadOnlyList<ExportResult> results, double scale)
        {
            var sb = new StringBuilder();
            sb.AppendLine($"load average at the end: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}");
            sb.AppendLine(scale == 1.0 ? "| server | client | latency | process | pages | mode | measured | T_min | **/ T_min** | least (limits + latency) | **/ least** | first request at | page 1 answer to next request | last request sent at | 429s | failed | peak per 1 s / 60 s |" : $"| server | client | latency | process | pages | mode | measured (scaled s, x{scale}) | T_min | **/ T_min** | least | **/ least** | first request at | page 1 answer to next request | last request sent at | 429s | failed | peak per 1 s / 60 s |");
            sb.AppendLine("|---|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Server} | {r.Client} | {r.LatencyMs:0.#} ms | {(r.Fresh ? "fresh" : "warm")} | {r.Pages} | {r.Mode}{(r.Parallelism > 1 ? $" (x{r.Parallelism})" : string.Empty)} | {r.Seconds:F3} s | {r.MinimumSeconds:F0} s | {(double.IsNaN(r.Ratio) ? "n/a" : $"**{r.Ratio:F3}x**")} | {r.LeastSeconds:F3} s | {(double.IsNaN(r.LeastRatio) ? "n/a" : $"**{r.LeastRatio:F3}x**")} | {r.FirstSentAt * 1000:F0} ms | {r.SecondGap * 1000:F0} ms | {r.LastSentAt:F2} s | {r.ServerRateLimited} | {r.FailedRequests} | {r.PeakPerSecond} / {r.PeakPerMinute} |"));
            }

            return sb.ToString();
        }
    }
}
