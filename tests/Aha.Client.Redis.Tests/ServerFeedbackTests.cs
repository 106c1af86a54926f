using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.Redis.Tests.Infrastructure;

namespace Aha.Client.Redis.Tests
{
    /// <summary>
    /// Server feedback still wins, for everyone on the key: a 429 (or <c>X-Ratelimit-Remaining: 0</c>) seen by one
    /// client pauses a client that shares only the Redis key with it (its own limiter instance and budget state, as a
    /// separate process would have).
    /// </summary>
    public class ServerFeedbackTests
    {
        [TestCase("limited", 2.0, TestName = "A 429 seen by one process holds the others for its Retry-After")]
        [TestCase("spent", 1.0, TestName = "X-Ratelimit-Remaining 0 seen by one process holds the others until the reset")]
        public async Task A_server_signal_seen_by_one_process_pauses_every_process_on_the_key(string path, double atLeastSeconds)
        {
            var key = TestRedis.NewKey("feedback");
            var source = new RedisConnectionSource(TestRedis.Configuration);
            using var limiterA = SharedBudgetTests.Limiter(source, key, 20, 300);
            using var limiterB = SharedBudgetTests.Limiter(source, key, 20, 300);
            var transport = new StubAha();
            var logs = new CapturingLogger();
            var paused = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            logs.OnEvent = id =>
            {
                if (id == 3002)
                {
                    paused.TrySetResult(true); // ServerPause: logged right after the pause was handed to the limiter
                }
            };
            var a = new AhaClient(Options(limiterA), transport, logs.Factory());
            var b = new AhaClient(Options(limiterB), transport);
            Assert.That(b.RateLimit, Is.Not.SameAs(a.RateLimit), "separate budgets in this process: only Redis connects them");

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var first = a.HttpClient.GetAsync(path, deadline.Token);
            Assert.That(await Task.WhenAny(paused.Task, Task.Delay(TimeSpan.FromSeconds(20))), Is.SameAs(paused.Task), "A saw the signal:\n" + logs.AllText());
            var signalledAt = Stopwatch.GetTimestamp();

            using (var response = await b.HttpClient.GetAsync("features", deadline.Token))
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            Assert.That(transport.FirstArrivalAfter("features", signalledAt), Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(atLeastSeconds - 0.2)),
                "B's request waited for the pause that A published, although B never saw the signal");
            Assert.That(b.RateLimit.RateLimitedResponses, Is.Zero);
            using (var retried = await first)
            {
                Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
        }

        private static AhaClientOptions Options(System.Threading.RateLimiting.RateLimiter limiter)
        {
            var options = new AhaClientOptions { BaseUrl = new Uri("http://127.0.0.1:9/api/v1/"), Token = "test-token", UserAgent = "Aha.Client.Redis tests (dev@example.com)" };
            options.RateLimit.Limiter = limiter;
            options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(100);
            return options;
        }

        /// <summary>
        /// The transport: <c>limited</c> answers one 429 with <c>Retry-After: 2</c>; <c>spent</c> answers 200 with
        /// <c>X-Ratelimit-Remaining: 0</c> and a reset 2 s ahead; anything else 200. Records when each path first arrived.
        /// </summary>
        private sealed class StubAha : HttpMessageHandler
        {
            private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _firstArrival = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
            private int _limited;

            /// <summary>How long after <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp) the path first arrived.</summary>
            public TimeSpan FirstArrivalAfter(string path, long timestamp) => TimeSpan.FromSeconds((_firstArrival[path] - timestamp) / (double)Stopwatch.Frequency);

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var path = request.RequestUri!.AbsolutePath.Split('/').Last();
                _firstArrival.TryAdd(path, Stopwatch.GetTimestamp());
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                if (path == "limited" && Interlocked.Increment(ref _limited) == 1)
                {
                    response.StatusCode = (HttpStatusCode)429;
                    response.Headers.TryAddWithoutValidation("Retry-After", "2");
                }
                else if (path == "spent")
                {
                    response.Headers.TryAddWithoutValidation("X-Ratelimit-Limit", "300");
                    response.Headers.TryAddWithoutValidation("X-Ratelimit-Remaining", "0");
                    response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                }

                return Task.FromResult(response);
            }
        }
    }
}
