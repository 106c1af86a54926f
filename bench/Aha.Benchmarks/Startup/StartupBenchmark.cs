using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Benchmarks.Export;
using Aha.Benchmarks.Infrastructure;
using Aha.Client;
using Aha.Client.Configuration;
using Aha.Client.Pipeline;
using Aha.Client.RateLimiting;
using Aha.Client.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aha.Benchmarks.Startup
{
    /// <summary>One moment of a start-up: wall and process CPU time since the child's Main, and the JIT's work so far.</summary>
    internal sealed record StartupMark(string Name, double WallMs, double CpuMs, int JitMethods, double JitMs);

    /// <summary>
    /// Where a fresh process spends the time before and around its first requests (issue 15): one child process per
    /// run, each step of building the client and of the first two page requests marked with wall time, process CPU
    /// time (all threads; less disturbed than wall time when other work shares the cores) and the JIT's count and time.
    /// <c>startup [--runs 7] [--clients aha,aha-steps,reference] [--warm-up auto|main|none] [--child PATH] [--ready-to-run]</c>:
    /// <c>aha</c> builds the client as a user does (<c>new AhaClient(options)</c>); <c>aha-steps</c> builds the same
    /// client step by step through the internal parts (validation, limiter budget, the two Polly pipelines, handlers,
    /// resource client) to say which one costs what; <c>reference</c> is a plain <see cref="HttpClient"/>.
    /// </summary>
    internal static class StartupBenchmark
    {
        private const string ResultPrefix = "RESULT ";

        public static async Task<int> RunAsync(Options options)
        {
            var runs = options.GetInt("runs", 7);
            var clients = options.GetList("clients", "aha", "aha-steps", "reference");
            // auto: the paging loop's own warm-up (the default for every user); main: AhaClient.WarmUpAsync at Main;
            // none: no warm-up at all.
            var warmUps = options.GetList("warm-up", "auto");
            // Several builds of this program (e.g. before and after a change: --child a.dll,b.dll) are run alternately.
            var childExes = options.GetList("child").Select(c => (string?)c).ToList();
            if (options.Get("ready-to-run") == "true")
            {
                childExes = new List<string?> { await ExportChild.PublishReadyToRunAsync().ConfigureAwait(false) };
            }

            if (childExes.Count == 0)
            {
                childExes.Add(null);
            }

            Console.WriteLine($"startup: runs {runs}, clients {string.Join(",", clients)}, warm-up {string.Join(",", warmUps)}");
            for (var c = 0; c < childExes.Count; c++)
            {
                Console.WriteLine($"child {c + 1}: {childExes[c] ?? "(this build, JIT)"}");
            }

            Console.WriteLine($"machine: {Machine.Describe()}");
            string Key(string client, int c, string warmUp) => client + (childExes.Count > 1 ? $" (child {c + 1})" : string.Empty) + (warmUps.Length > 1 ? $" (warm-up {warmUp})" : string.Empty);
            var keys = childExes.SelectMany((_, c) => warmUps.SelectMany(w => clients.Select(client => Key(client, c, w)))).Distinct().ToList();
            var all = keys.ToDictionary(k => k, _ => new List<StartupMark[]>());
            for (var run = 1; run <= runs; run++)
            {
                // Alternating, so that every client and build sees the same load.
                for (var c = 0; c < childExes.Count; c++)
                foreach (var warmUp in warmUps)
                foreach (var client in clients)
                {
                    var key = Key(client, c, warmUp);
                    await using var server = await NodeServerTarget.StartAsync(1000, ahaHeaders: false).ConfigureAwait(false);
                    var marks = await RunChildAsync(childExes[c], server.BaseUrl, server.Token, client, warmUp).ConfigureAwait(false);
                    all[key].Add(marks);
                    Console.WriteLine($"run {run} {key}: " + string.Join(", ", marks.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Name} {m.WallMs:F0}/{m.CpuMs:F0}"))));
                }
            }

            var clientsShown = keys;

            Console.WriteLine();
            Console.WriteLine($"load average at the end: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}");
            foreach (var client in clientsShown)
            {
                Console.WriteLine();
                Console.WriteLine($"{client}: medians of {runs} fresh processes (ms since Main; CPU = process CPU time, all threads, since Main; step = since the previous mark)");
                Console.WriteLine("| mark | wall | wall min-max | step (wall) | CPU | step (CPU) | JIT methods | JIT time |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
                var names = all[client][0].Select(m => m.Name).ToList();
                double previousWall = 0, previousCpu = 0;
                foreach (var name in names.OrderBy(n => Median(all[client], n, m => m.WallMs)))
                {
                    var wall = Median(all[client], name, m => m.WallMs);
                    var cpu = Median(all[client], name, m => m.CpuMs);
                    var walls = all[client].SelectMany(r => r.Where(m => m.Name == name)).Select(m => m.WallMs).ToList();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {wall:F1} | {walls.Min():F0}-{walls.Max():F0} | {wall - previousWall:F1} | {cpu:F1} | {cpu - previousCpu:F1} | {Median(all[client], name, m => m.JitMethods):F0} | {Median(all[client], name, m => m.JitMs):F1} |"));
                    previousWall = wall;
                    previousCpu = cpu;
                }
            }

            return 0;
        }

        private static double Median(List<StartupMark[]> runs, string name, Func<StartupMark, double> value)
        {
            var values = runs.SelectMany(r => r.Where(m => m.Name == name)).Select(value).OrderBy(v => v).ToList();
            if (values.Count == 0)
            {
                return double.NaN;
            }

            return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
        }

        private static async Task<StartupMark[]> RunChildAsync(string? childExe, Uri url, string token, string client, string warmUp)
        {
            var start = childExe is null
                ? new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
                : childExe.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet") : new ProcessStartInfo(childExe);
            if (childExe is null && Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "dotnet") == "dotnet")
            {
                start.ArgumentList.Add(typeof(StartupBenchmark).Assembly.Location);
            }
            else if (childExe is not null && childExe.EndsWith(".dll", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(childExe);
            }

            foreach (var a in new[] { "startup-child", "--url", url.AbsoluteUri, "--token", token, "--client", client })
            {
                start.ArgumentList.Add(a);
            }

            start.ArgumentList.Add("--warm-up");
            start.ArgumentList.Add(warmUp);

            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the startup child did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            var line = (await stdout.ConfigureAwait(false)).Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
                ?? throw new InvalidOperationException("the startup child printed no result: " + await stderr.ConfigureAwait(false));
            return System.Text.Json.JsonSerializer.Deserialize<StartupMark[]>(line.Substring(ResultPrefix.Length)) ?? throw new InvalidOperationException("empty startup result");
        }

        /// <summary>Child side: <c>startup-child --url U --token T --client aha|aha-steps|reference [--warm-up auto|main|none]</c>.</summary>
        public static async Task<int> RunChildAsync(Options options, long mainStarted)
        {
            var marks = new Marks(mainStarted);
            marks.Mark("child entered");
            var url = new Uri(options.Get("url") ?? throw new ArgumentException("startup-child needs --url"));
            var token = options.Get("token", "x");
            var client = options.Get("client", "aha");

            // Multi-core JIT (what an application such as the aha tool could turn on): a copy of this build with a
            // multicore-jit folder next to it records the methods compiled at start-up there and, from its next run,
            // compiles them on a background thread ahead of use. Alternate it with a copy without the folder (--child a,b).
            var jitProfiles = Path.Combine(AppContext.BaseDirectory, "multicore-jit");
            if (Directory.Exists(jitProfiles))
            {
                System.Runtime.ProfileOptimization.SetProfileRoot(jitProfiles);
                System.Runtime.ProfileOptimization.StartProfile($"startup-child-{client}.jitprofile");
            }
            var warmUp = options.Get("warm-up", "auto");
            if (warmUp == "main" && client != "reference")
            {
                _ = AhaClient.WarmUpAsync(new[] { typeof(FeatureList) }).ContinueWith(_ => marks.Mark("warm-up done"), TaskScheduler.Default);
            }
            else if (warmUp == "none" && client != "reference")
            {
                // A warm-up cancelled before it starts: nothing is prepared, page 1 is parsed cold. (Builds before the
                // third round started a warm-up in the paging loop unless the type had been passed here.)
                _ = AhaClient.WarmUpAsync(new[] { typeof(FeatureList) }, new CancellationToken(canceled: true));
            }

            using var socket = new SocketsHttpHandler();
            using var transport = new MarkingHandler(marks, socket);
            switch (client)
            {
                case "aha":
                case "aha-steps":
                    var features = client == "aha" ? Natural(url, token, transport, marks) : StepByStep(url, token, transport, marks);
                    var pages = 0;
                    await foreach (var page in features.ListAllAsync().WithPerPage(200).AsPages())
                    {
                        marks.Mark($"page {++pages} yielded");
                        if (pages == 2)
                        {
                            break;
                        }
                    }

                    break;
                case "reference":
                    using (var http = new HttpClient(transport, disposeHandler: false) { BaseAddress = url })
                    {
                        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                        marks.Mark("client built");
                        var serializer = Newtonsoft.Json.JsonSerializer.CreateDefault();
                        for (var page = 1; page <= 2; page++)
                        {
                            using var response = await http.GetAsync($"features?page={page}&per_page=200", HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                            response.EnsureSuccessStatusCode();
                            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                            using var reader = new Newtonsoft.Json.JsonTextReader(new System.IO.StreamReader(stream));
                            serializer.Deserialize<Newtonsoft.Json.Linq.JObject>(reader);
                            marks.Mark($"page {page} yielded");
                        }
                    }

                    break;
                default:
                    throw new ArgumentException($"--client must be aha, aha-steps or reference (was '{client}')");
            }

            Console.Out.WriteLine(ResultPrefix + System.Text.Json.JsonSerializer.Serialize(marks.Snapshot()));
            return 0;
        }

        private static AhaClientOptions NewOptions(Uri url, string token)
        {
            var options = new AhaClientOptions { BaseUrl = url, Token = token, UserAgent = "Aha.Benchmarks startup (bench@example.com)" };
            options.RateLimit.SharedAcrossClients = false;
            return options;
        }

        private static FeaturesClient Natural(Uri url, string token, HttpMessageHandler transport, Marks marks)
        {
            var options = NewOptions(url, token);
            marks.Mark("options");
            var aha = new AhaClient(options, transport);
            marks.Mark("client built");
            var features = aha.Features;
            marks.Mark("Features client");
            return features;
        }

        // The same client as new AhaClient(options, transport), built through its internal parts in the constructor's
        // order, so that each part's first-use cost (type loading, JIT, static initialisation) shows as one step.
        private static FeaturesClient StepByStep(Uri url, string token, HttpMessageHandler transport, Marks marks)
        {
            var options = NewOptions(url, token);
            marks.Mark("options");
            AhaClientOptionsValidator.ThrowIfInvalid(options);
            marks.Mark("validation");
            _ = RateLimitBudget.For(new AhaRateLimitOptions { SharedAcrossClients = false }, TimeProvider.System, NullLoggerFactory.Instance);
            marks.Mark("limiter budget");
            _ = AhaResiliencePipelines.CreateCallPipeline(new AhaResilienceOptions(), TimeSpan.FromMilliseconds(5), TimeProvider.System, NullLogger.Instance);
            marks.Mark("Polly call pipeline");
            _ = AhaResiliencePipelines.CreateAttemptPipeline(new AhaResilienceOptions(), TimeProvider.System);
            marks.Mark("Polly attempt pipeline");
            var pipeline = AhaPipeline.Create(options);
            marks.Mark("AhaPipeline.Create (the rest)");
            var http = pipeline.CreateHttpClient(transport);
            marks.Mark("handlers + HttpClient");
            var aha = new AhaClient(http, pipeline.RateLimitState, hasAhaPipeline: true);
            marks.Mark("client built");
            var features = aha.Features;
            marks.Mark("Features client");
            return features;
        }

        private sealed class Marks
        {
            private readonly long _origin;
            private readonly ConcurrentQueue<StartupMark> _marks = new ConcurrentQueue<StartupMark>();
            private readonly double _cpuAtMain;

            public Marks(long origin)
            {
                _origin = origin;
                _cpuAtMain = CpuTime.Process().TotalMilliseconds;
            }

            public void Mark(string name)
                => _marks.Enqueue(new StartupMark(
                    name,
                    Stopwatch.GetElapsedTime(_origin).TotalMilliseconds,
                    CpuTime.Process().TotalMilliseconds - _cpuAtMain,
                    (int)System.Runtime.JitInfo.GetCompiledMethodCount(),
                    System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds));

            public StartupMark[] Snapshot() => _marks.ToArray();
        }

        // Just above the socket: when each request leaves and when its response headers are back.
        private sealed class MarkingHandler : DelegatingHandler
        {
            private readonly Marks _marks;
            private int _requests;

            public MarkingHandler(Marks marks, HttpMessageHandler inner)
                : base(inner)
            {
                _marks = marks;
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var n = Interlocked.Increment(ref _requests);
                if (n <= 2)
                {
                    _marks.Mark($"request {n} sent");
                }

                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (n <= 2)
                {
                    _marks.Mark($"request {n} headers back");
                }

                return response;
            }
        }
    }
}
