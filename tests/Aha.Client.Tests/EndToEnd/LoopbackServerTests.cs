using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.RateLimiting;
using Aha.Client.Tests.Infrastructure;
using Aha.Client.Tests.Resilience;

namespace Aha.Client.Tests.EndToEnd
{
    /// <summary>
    /// The whole pipeline, real sockets, real time, against a loopback server enforcing Aha!-style limits (scaled down
    /// from 20/s + 300/min to 4 per 250 ms + 12 per second so each test takes seconds). Bounded: every test has a
    /// deadline and the server stops when disposed.
    /// </summary>
    [NonParallelizable]
    public class LoopbackServerTests
    {
        private static readonly TimeSpan ShortWindow = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan LongWindow = TimeSpan.FromSeconds(1);
        private const int ShortLimit = 4;
        private const int LongLimit = 12;

        private static LoopbackAhaServer StartServer() => new LoopbackAhaServer((ShortLimit, ShortWindow), (LongLimit, LongWindow));

        private static AhaClientOptions Options(LoopbackAhaServer server, Action<AhaClientOptions>? configure = null)
        {
            var options = new AhaClientOptions
            {
                BaseUrl = server.BaseUrl,
                Token = "test-token",
                UserAgent = "Aha.Client end-to-end tests (dev@example.com)",
            };
            options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(200);
            options.Resilience.MaxRetryAttempts = 20;
            options.Resilience.TotalTimeout = TimeSpan.FromSeconds(30);
            options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(options);
            return options;
        }

        /// <summary>
        /// The same scaled windows on the client, through the pluggable limiter (one instance = one budget). Cold start
        /// on purpose: the first burst opens new connections while JIT compilation runs on both sides.
        /// </summary>
        private static SlidingWindowLogRateLimiter ScaledLimiter()
        {
            var options = new SlidingWindowLogRateLimiterOptions(); // the library's default margin
            options.Windows.Add(new RateLimitWindow(LongLimit, LongWindow));
            options.Windows.Add(new RateLimitWindow(ShortLimit, ShortWindow));
            return new SlidingWindowLogRateLimiter(options);
        }

        /// <summary>Several clients, several concurrent tasks each, reads and writes mixed.</summary>
        private static async Task<List<HttpStatusCode>> HammerAsync(IReadOnlyList<AhaClient> clients, int tasksPerClient, int requestsPerTask, string run, int deadlineSeconds = 60)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(deadlineSeconds));
            var work = clients.SelectMany((aha, c) => Enumerable.Range(0, tasksPerClient).Select(t => Task.Run(async () =>
            {
                var statuses = new List<HttpStatusCode>();
                for (var i = 0; i < requestsPerTask; i++)
                {
                    var write = i % 3 == 2;
                    var name = $"{run}-c{c}-t{t}-r{i}";
                    using var response = write
                        ? await aha.SendAsync(HttpMethod.Post, "products/PRJ/features", "{\"feature\":{\"name\":\"" + name + "\"}}", deadline.Token)
                        : await aha.HttpClient.GetAsync("features?page=" + (i + 1), deadline.Token);
                    statuses.Add(response.StatusCode);
                }

                return statuses;
            }))).ToList();
            return (await Task.WhenAll(work)).SelectMany(s => s).ToList();
        }

        [Test]
        public async Task Many_clients_and_tasks_finish_with_no_429_when_the_limiter_paces_them()
        {
            using var server = StartServer();
            using var limiter = ScaledLimiter();
            var clients = Enumerable.Range(0, 3).Select(_ => new AhaClient(Options(server, o => o.RateLimit.Limiter = limiter))).ToList();

            var statuses = await HammerAsync(clients, tasksPerClient: 2, requestsPerTask: 6, run: "paced");

            Assert.That(statuses, Has.Count.EqualTo(36).And.All.EqualTo(HttpStatusCode.OK));
            TestContext.Out.WriteLine($"peak per window: {string.Join(", ", server.PeakPerWindow)}");
            Assert.That(server.RateLimited, Is.EqualTo(0), "the proactive limiter never let the server reject a request: " + string.Join(", ", server.RateLimitedPaths));
            Assert.That(server.PeakPerWindow, Is.EqualTo(new[] { ShortLimit, LongLimit }).Or.All.LessThanOrEqualTo(LongLimit));
            Assert.That(server.ProcessedWrites.Values, Has.All.EqualTo(1), "no write was sent twice");
            Assert.That(server.ProcessedWrites, Has.Count.EqualTo(12));
            Assert.That(clients[0].RateLimit.Limit, Is.EqualTo(LongLimit), "the X-Ratelimit headers were read");
        }

#if NET10_0_OR_GREATER
        // Full scale, at the real limits: about 65 s of real time, so it runs once per test command (net10.0 run).
        [Test]
        public async Task Full_scale_400_requests_at_Aha_limits_finish_near_the_theoretical_minimum_with_no_429()
        {
            using var server = new LoopbackAhaServer((20, TimeSpan.FromSeconds(1)), (300, TimeSpan.FromMinutes(1)));
            // Four clients with default options: they share the process-wide budget, as in production.
            var clients = Enumerable.Range(0, 4).Select(_ => new AhaClient(Options(server, o => o.Resilience.TotalTimeout = TimeSpan.FromMinutes(3)))).ToList();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var statuses = await HammerAsync(clients, tasksPerClient: 5, requestsPerTask: 20, run: "full", deadlineSeconds: 180);
            TestContext.Out.WriteLine($"400 requests in {started.Elapsed.TotalSeconds:F1} s (theoretical minimum 64 s), peaks {string.Join(", ", server.PeakPerWindow)}, 429s {server.RateLimited}");

            Assert.That(statuses, Has.Count.EqualTo(400).And.All.EqualTo(HttpStatusCode.OK));
            Assert.That(server.RateLimited, Is.EqualTo(0), string.Join(", ", server.RateLimitedPaths.Take(20)));
            Assert.That(server.ProcessedWrites.Values, Has.All.EqualTo(1));
        }

#endif

        [Test]
        public async Task Without_the_limiter_429s_happen_and_every_request_still_completes_exactly_once()
        {
            using var server = StartServer();
            var clients = Enumerable.Range(0, 3).Select(_ => new AhaClient(Options(server, o => o.RateLimit.Enabled = false))).ToList();

            var statuses = await HammerAsync(clients, tasksPerClient: 2, requestsPerTask: 4, run: "unpaced");

            Assert.That(statuses, Has.Count.EqualTo(24).And.All.EqualTo(HttpStatusCode.OK));
            Assert.That(server.RateLimited, Is.GreaterThan(0), "the burst was rejected at first");
            Assert.That(server.ProcessedWrites, Has.Count.EqualTo(6));
            Assert.That(server.ProcessedWrites.Values, Has.All.EqualTo(1), "each rate-limited POST was processed exactly once");
            Assert.That(clients.Sum(c => c.RateLimit.RateLimitedResponses), Is.GreaterThanOrEqualTo(server.RateLimited), "the state is process-wide");
        }

        [Test]
        public async Task Injected_faults_are_recovered_for_reads_and_never_repeated_for_writes()
        {
            using var server = StartServer();
            using var limiter = ScaledLimiter();
            var aha = new AhaClient(Options(server, o => o.RateLimit.Limiter = limiter));

            var reads = new[]
            {
                "flaky/1", "flaky/2", "html/1", "reset/1",
                "limited/retry-after", "limited/retry-after-date", "limited/underscore-header", "limited/body", "limited/reset",
            }.Select(async path =>
            {
                using var response = await aha.HttpClient.GetAsync(path);
                return response.StatusCode;
            }).ToList();
            Assert.That(await Task.WhenAll(reads), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(server.ProcessedByPath["GET /api/v1/flaky/1"], Is.EqualTo(2));
            Assert.That(server.ProcessedByPath["GET /api/v1/limited/body"], Is.EqualTo(2));

            var failed = await RetryTests.AssertThrows<AhaServerException>(() => aha.SendAsync(HttpMethod.Post, "fail", "{}"));
            Assert.That(failed!.AhaMessage, Is.EqualTo("Internal Server Error"));
            Assert.That(server.ProcessedByPath["POST /api/v1/fail"], Is.EqualTo(1), "a POST answered 500 is not sent again");

            await RetryTests.AssertThrows<AhaWriteOutcomeUnknownException>(() => aha.SendAsync(HttpMethod.Post, "abort", "{\"feature\":{\"name\":\"x\"}}"));
            Assert.That(server.ProcessedByPath["POST /api/v1/abort"], Is.EqualTo(1), "a POST whose connection was reset is not sent again");

            // No "zero 429" assertion here: when a reused connection is reset before any response byte arrives, the
            // transport (SocketsHttpHandler) re-sends a GET by itself, below every handler, so that copy never takes
            // a permit. Any 429 it causes is recovered like the others (every read above completed).
        }
    }
}
