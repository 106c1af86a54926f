using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.RateLimiting;
using Aha.Client.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Aha.Client.Redis.Tests
{
    /// <summary>Redis down: requests are paced in-process, never failed; Redis back: the shared budget is used again.</summary>
    public class FallbackTests
    {
        private static int ClosedPort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        [Test]
        public async Task With_Redis_unreachable_requests_are_paced_in_process_with_one_warning_and_a_metric()
        {
            // Scaled by 4 on both sides: 4 per 250 ms and 12 per 15 s.
            using var server = new PerIpLimitServer((4, TimeSpan.FromMilliseconds(250)), (12, TimeSpan.FromSeconds(15)));
            var key = TestRedis.NewKey("unreachable");
            var logs = new CapturingLogger();
            using var metrics = new RedisMetrics(key);
            var options = new AhaClientOptions { BaseUrl = server.BaseUrl, Token = "test-token", UserAgent = "Aha.Client.Redis tests (dev@example.com)" };
            options.RateLimit.RequestsPerSecond = 4;
            options.RateLimit.RequestsPerMinute = 12;
            options.RateLimit.UseRedis($"127.0.0.1:{ClosedPort()},connectTimeout=1000,password=s3cret-redis-password", key, o => o.TimeScale = 4);
            var aha = new AhaClient(options, loggerFactory: logs.Factory());

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
            {
                using var response = await aha.HttpClient.GetAsync("features?page=" + i, deadline.Token);
                return response.StatusCode;
            }));

            Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK), "no request failed because the coordinator is down");
            Assert.That(server.RateLimited, Is.Zero, "the in-process limiter still paced this (only) process");
            Assert.That(logs.WithId(3101).Count(), Is.EqualTo(1), "one warning per outage:\n" + logs.AllText());
            Assert.That(logs.WithId(3101).Single().Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(metrics.Fallback, Is.EqualTo(12), "every permit came from the fallback");
            Assert.That(metrics.Outages, Is.EqualTo(1));
            Assert.That(logs.AllText(), Does.Not.Contain("s3cret"), "the configuration string (and its password) is never logged");
        }

        [Test]
        public async Task Redis_killed_then_restarted_falls_back_then_recovers_and_replays_local_permits()
        {
            using var redisServer = await RedisServer.StartAsync();
            var key = TestRedis.NewKey("restart");
            var logs = new CapturingLogger();
            using var metrics = new RedisMetrics(key);
            var restored = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var config = new ConfigurationOptions
            {
                AbortOnConnectFail = false,
                BacklogPolicy = BacklogPolicy.FailFast,
                ReconnectRetryPolicy = new LinearRetry(200),
            };
            config.EndPoints.Add(redisServer.Configuration);
            using var redis = await ConnectionMultiplexer.ConnectAsync(config);
            redis.ConnectionRestored += (_, e) =>
            {
                if (e.ConnectionType == ConnectionType.Interactive)
                {
                    restored.TrySetResult(true);
                }
            };

            // RetryInterval zero: try Redis on every request while it is connected (the test must not depend on the
            // order in which ConnectionRestored handlers run).
            using var limiter = SharedBudgetTests.Limiter(new RedisConnectionSource(redis), key, 20, 300, loggers: logs.Factory(), retryInterval: TimeSpan.Zero);
            for (var i = 0; i < 3; i++)
            {
                (await limiter.AcquireAsync(1)).Dispose();
            }

            Assert.That(limiter.IsCoordinated, Is.True);
            Assert.That(await redis.GetDatabase().SortedSetLengthAsync("{" + key + "}:permits"), Is.EqualTo(3));

            redisServer.Kill();
            for (var i = 0; i < 3; i++)
            {
                using var lease = await limiter.AcquireAsync(1);
                Assert.That(lease.IsAcquired, Is.True, "granted by the in-process limiter while Redis is down");
            }

            // One more, which the server refuses (429): it is not replayed into Redis later.
            var refused = await limiter.AcquireAsync(1);
            ((IAhaRefundableLease)refused).Refund();

            Assert.That(limiter.IsCoordinated, Is.False);
            Assert.That(logs.WithId(3101).Count(), Is.EqualTo(1), logs.AllText());
            Assert.That(metrics.Fallback, Is.EqualTo(4));
            Assert.That(metrics.Outages, Is.EqualTo(1));

            await redisServer.RestartAsync(); // empty: --save '' --appendonly no
            var done = await Task.WhenAny(restored.Task, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.That(done, Is.SameAs(restored.Task), "StackExchange.Redis reconnected");

            (await limiter.AcquireAsync(1)).Dispose();

            Assert.That(limiter.IsCoordinated, Is.True, "the shared budget is used again");
            Assert.That(logs.WithId(3102).Count(), Is.EqualTo(1), logs.AllText());
            Assert.That(await redis.GetDatabase().SortedSetLengthAsync("{" + key + "}:permits"), Is.EqualTo(4), "the three local permits were replayed into the new (empty) Redis, plus the new one; the refused one was not");
            Assert.That(metrics.Fallback, Is.EqualTo(4), "no further fallback permits");
        }
    }
}
