using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;
using Aha.Client;
using Aha.Client.Configuration;
using Newtonsoft.Json;

namespace Aha.Benchmarks.Export
{
    /// <summary>What a child process reports about its one export (times in seconds since its Main started).</summary>
    internal sealed record ChildResult(string Client, int Records, double Seconds, double FirstSentAt, double SecondSentAt, string? Error, double[][] Log, Dictionary<string, double>? Marks = null);

    /// <summary>
    /// Moments of the child's start-up, in seconds since its Main (client built, warm-up done, first record yielded):
    /// where a fresh process spends the time before and around its first request.
    /// </summary>
    internal static class ChildMarks
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> Seen = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();

        public static void Mark(string name) => Seen.TryAdd(name, Stopwatch.GetElapsedTime(Program.MainStarted).TotalSeconds);

        public static Dictionary<string, double> Snapshot() => new Dictionary<string, double>(Seen);
    }

    /// <summary>
    /// The fresh-process export: one child process per run, as a user's job or the <c>aha</c> tool runs it (no warm-up,
    /// JIT and first connection included). The clock starts at the child's Main, before the client is built; the .NET
    /// host's own start-up (the same for every .NET client) is not counted.
    /// </summary>
    internal static class ExportChild
    {
        private const string ResultPrefix = "RESULT ";

        /// <summary>Child side: <c>export-child --url U --token T --degree D --client aha|reference [--fields F] [--warm-up true|none]</c>.</summary>
        public static async Task<int> RunAsync(Options options, long mainStarted)
        {
            ChildMarks.Mark("child entered");
            var url = new Uri(options.Get("url") ?? throw new ArgumentException("export-child needs --url"));
            var token = options.Get("token", "x");
            var degree = options.GetInt("degree", 1);
            var client = options.Get("client", "aha");
            var fields = options.Get("fields");
            using var socket = new SocketsHttpHandler();
            using var recorder = new RecordingHandler(TimeProvider.System, socket);
            recorder.RestartAt(mainStarted);
            var records = 0;
            string? error = null;
            try
            {
                records = client switch
                {
                    "aha" => await ExportWithAhaAsync(url, token, degree, fields, recorder, options.Get("warm-up") == "true", noWarmUp: options.Get("warm-up") == "none", maxArrivalMs: options.Get("max-arrival-ms") is { } ms ? double.Parse(ms, CultureInfo.InvariantCulture) : null).ConfigureAwait(false),
                    "reference" => await ReferenceExporter.ExportAsync(url, token, degree, recorder, options.GetDouble("reference-margin-ms", 10)).ConfigureAwait(false),
                    _ => throw new ArgumentException($"--client must be aha or reference (was '{client}')"),
                };
            }
            catch (Exception ex) when (ex is not ArgumentException)
            {
                error = ex.GetType().Name + ": " + ex.Message;
            }

            var seconds = recorder.Elapsed;
            var log = recorder.Attempts;
            var result = new ChildResult(client, records, seconds, log.Count > 0 ? log[0].SentAt : 0, log.Count > 1 ? log[1].SentAt : 0, error,
                log.Select(a => new[] { a.SentAt, a.AnsweredAt, a.Status }).ToArray(), ChildMarks.Snapshot());
            Console.Out.WriteLine(ResultPrefix + System.Text.Json.JsonSerializer.Serialize(result));
            return error is null ? 0 : 1;
        }

        internal static async Task<int> ExportWithAhaAsync(Uri url, string token, int degree, string? fields, HttpMessageHandler transport, bool warmUp, double? maxArrivalMs = null, bool noWarmUp = false)
        {
            if (warmUp)
            {
                _ = AhaClient.WarmUpAsync(new[] { typeof(FeatureList) }).ContinueWith(_ => ChildMarks.Mark("warm-up done"), TaskScheduler.Default);
            }
            else if (noWarmUp)
            {
                // A warm-up cancelled before it starts: nothing is prepared, page 1 is parsed cold. (Builds before the
                // third round started a warm-up in the paging loop unless the type had been passed here.)
                _ = AhaClient.WarmUpAsync(new[] { typeof(FeatureList) }, new CancellationToken(canceled: true));
            }

            var options = new AhaClientOptions
            {
                BaseUrl = url,
                Token = token,
                UserAgent = "Aha.Benchmarks export (bench@example.com)",
            };
            options.RateLimit.SharedAcrossClients = false;
            if (maxArrivalMs is { } arrival)
            {
                options.RateLimit.MaxArrivalDelay = TimeSpan.FromMilliseconds(arrival); // the opt-in network assumption
            }

            var aha = new AhaClient(options, transport);
            ChildMarks.Mark("client built");

            var records = 0;
            var pageable = aha.Features.ListAllAsync(new FeaturesListOptions { Fields = fields }).WithPerPage(200);
            if (degree > 1)
            {
                pageable = pageable.WithParallelism(degree);
            }

            await foreach (var _ in pageable)
            {
                if (records++ == 0)
                {
                    ChildMarks.Mark("first record yielded");
                }
            }

            return records;
        }

        /// <summary>Parent side: starts the child, waits for its result line.</summary>
        public static async Task<ChildResult> RunChildAsync(string? childExe, Uri url, string token, int degree, string client, string? fields, bool warmUp, TimeSpan timeout, double? maxArrivalMs = null, bool noWarmUp = false)
        {
            var start = ChildStart(childExe);
            foreach (var a in new[] { "export-child", "--url", url.AbsoluteUri, "--token", token, "--degree", degree.ToString(CultureInfo.InvariantCulture), "--client", client })
            {
                start.ArgumentList.Add(a);
            }

            if (fields != null)
            {
                start.ArgumentList.Add("--fields");
                start.ArgumentList.Add(fields);
            }

            if (warmUp)
            {
                start.ArgumentList.Add("--warm-up");
            }
            else if (noWarmUp)
            {
                start.ArgumentList.Add("--warm-up");
                start.ArgumentList.Add("none");
            }

            if (maxArrivalMs is { } arrival && client == "aha")
            {
                start.ArgumentList.Add("--max-arrival-ms");
                start.ArgumentList.Add(arrival.ToString(CultureInfo.InvariantCulture));
            }

            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the export child did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(true);
                throw new TimeoutException($"the export child did not finish within {timeout}");
            }

            var line = (await stdout.ConfigureAwait(false)).Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
            if (line is null)
            {
                throw new InvalidOperationException("the export child printed no result: " + await stderr.ConfigureAwait(false));
            }

            return System.Text.Json.JsonSerializer.Deserialize<ChildResult>(line.Substring(ResultPrefix.Length)) ?? throw new InvalidOperationException("empty child result");
        }

        /// <summary>
        /// Publishes this program ReadyToRun (ahead-of-time compiled IL of every assembly it ships: Aha.Client,
        /// Newtonsoft.Json, Polly, Microsoft.Extensions.*) for this machine's runtime, as an application that exports
        /// from a fresh process would be published, and returns the child to start. Not timed.
        /// </summary>
        public static async Task<string> PublishReadyToRunAsync()
        {
            var output = Path.Combine(RepoPaths.BenchProject, "bin", "ReadyToRun");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "publish", RepoPaths.BenchProject, "-c", "Release", "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "-nologo" })
            {
                start.ArgumentList.Add(a);
            }

            Console.WriteLine($"publishing the export child ReadyToRun to {output} ...");
            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet publish -p:PublishReadyToRun=true failed: " + await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
            }

            return Path.Combine(output, "Aha.Benchmarks.dll");
        }

        private static ProcessStartInfo ChildStart(string? childExe)
        {
            if (childExe != null)
            {
                return childExe.EndsWith(".dll", StringComparison.Ordinal) ? WithArg("dotnet", childExe) : new ProcessStartInfo(childExe);
            }

            var self = typeof(ExportChild).Assembly.Location;
            var host = Environment.ProcessPath ?? "dotnet";
            return Path.GetFileNameWithoutExtension(host) == "dotnet" ? WithArg(host, self) : new ProcessStartInfo(host);
        }

        private static ProcessStartInfo WithArg(string file, string arg)
        {
            var start = new ProcessStartInfo(file);
            start.ArgumentList.Add(arg);
            return start;
        }
    }

    /// <summary>
    /// The reference: a small client with no pipeline, an exact sliding log of send times (counted at the moment a
    /// request is handed to HttpClient) with a margin, plain HttpClient and Newtonsoft.Json into a minimal record type.
    /// Counting at send is exact on loopback only (arrival = send); it is the yardstick, not a safe rule for a network.
    /// Except for the requests that may open a connection (the first one, and in parallel mode the first of each
    /// worker): their arrival lags their send by the connection's set-up (tens of milliseconds in a fresh process, more
    /// than the margin), so they count when their answer arrives. Before that rule the reference got one 429 in every
    /// fresh-process run (request 21 left a second after request 1's send, before a second after its arrival).
    /// </summary>
    internal static class ReferenceExporter
    {
        public static async Task<int> ExportAsync(Uri url, string token, int degree, HttpMessageHandler transport, double marginMs)
        {
            using var http = new HttpClient(transport, disposeHandler: false) { BaseAddress = url };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var log = new SlidingLog(marginMs);

            // Each request that may find no idle connection: the first, then in parallel mode one per worker.
            var mayConnect = degree <= 1 ? 1 : 1 + degree;
            var sent = 0;
            var serializer = Newtonsoft.Json.JsonSerializer.CreateDefault();

            async Task<RefPage> FetchAsync(int page)
            {
                while (true)
                {
                    var answered = await log.AcquireAsync(countAtAnswer: Interlocked.Increment(ref sent) <= mayConnect).ConfigureAwait(false);
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.GetAsync($"features?page={page}&per_page=200", HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    }
                    finally
                    {
                        answered?.Invoke();
                    }

                    using var owned = response;
                    if ((int)response.StatusCode == 429)
                    {
                        // Counting at send is exact only when arrival = send; a 429 waits the server's Retry-After.
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                        continue;
                    }

                    return await ReadAsync(response).ConfigureAwait(false);
                }
            }

            async Task<RefPage> ReadAsync(HttpResponseMessage response)
            {
                response.EnsureSuccessStatusCode();
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                using var reader = new JsonTextReader(new StreamReader(stream));
                return serializer.Deserialize<RefPage>(reader) ?? throw new InvalidOperationException("empty page");
            }

            var first = await FetchAsync(1).ConfigureAwait(false);
            var records = first.Features.Count;
            var pages = first.Pagination.TotalPages;
            var next = 1;
            var workers = Enumerable.Range(0, Math.Max(1, degree)).Select(async _ =>
            {
                var mine = 0;
                int p;
                while ((p = Interlocked.Increment(ref next)) <= pages)
                {
                    mine += (await FetchAsync(p).ConfigureAwait(false)).Features.Count;
                }

                return mine;
            }).ToArray();
            return records + (await Task.WhenAll(workers).ConfigureAwait(false)).Sum();
        }

        private sealed class SlidingLog
        {
            private readonly SemaphoreSlim _turn = new SemaphoreSlim(1, 1);

            // Count times, ascending (each taken at the moment it is added), and the requests that will count at their answer.
            private readonly List<long> _counted = new List<long>();
            private readonly long _margin;
            private int _pending;

            public SlidingLog(double marginMs) => _margin = (long)(marginMs / 1000 * Stopwatch.Frequency);

            /// <summary>Waits for a place; with <paramref name="countAtAnswer"/>, returns what to call when the answer has arrived.</summary>
            public async Task<Action?> AcquireAsync(bool countAtAnswer)
            {
                await _turn.WaitAsync().ConfigureAwait(false);
                try
                {
                    while (true)
                    {
                        long now;
                        var next = 0L;
                        lock (_counted)
                        {
                            now = Stopwatch.GetTimestamp();
                            next = now;
                            foreach (var (limit, seconds) in new[] { (RateLimitMath.PerSecond, 1.0), (RateLimitMath.PerMinute, 60.0) })
                            {
                                if (_counted.Count + _pending < limit)
                                {
                                    continue;
                                }

                                // Pending requests are the latest counts of all (they count at their answer, still to come).
                                var back = limit - _pending;
                                next = back <= 0 ? long.MaxValue : Math.Max(next, _counted[_counted.Count - back] + (long)(seconds * Stopwatch.Frequency) + _margin);
                            }

                            if (next <= now)
                            {
                                if (countAtAnswer)
                                {
                                    _pending++;
                                    return Answered;
                                }

                                _counted.Add(now);
                                return null;
                            }
                        }

                        var wait = next == long.MaxValue ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds((next - now) / (double)Stopwatch.Frequency);
                        await Task.Delay(wait).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _turn.Release();
                }
            }

            private void Answered()
            {
                lock (_counted)
                {
                    _pending--;
                    _counted.Add(Stopwatch.GetTimestamp());
                }
            }
        }

        private sealed class RefPage
        {
            [JsonProperty("features")]
            public List<RefFeature> Features { get; set; } = new List<RefFeature>();

            [JsonProperty("pagination")]
            public RefPagination Pagination { get; set; } = new RefPagination();
        }

        private sealed class RefFeature
        {
            [JsonProperty("id")]
            public string? Id { get; set; }

            [JsonProperty("reference_num")]
            public string? ReferenceNum { get; set; }

            [JsonProperty("name")]
            public string? Name { get; set; }

            [JsonProperty("created_at")]
            public DateTimeOffset? CreatedAt { get; set; }

            [JsonProperty("url")]
            public string? Url { get; set; }

            [JsonProperty("resource")]
            public string? Resource { get; set; }
        }

        private sealed class RefPagination
        {
            [JsonProperty("total_pages")]
            public int TotalPages { get; set; }
        }
    }
}
