using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.RateLimiting;
using Aha.Client.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Aha.Client.Redis.Tests
{
    /// <summary>
    /// The Redis-backed limiter against a real redis-server. Two limiter instances on one key stand for two processes:
    /// they share nothing but Redis (each has its own queue and in-process limiter).
    /// </summary>
    public class SharedBudgetTests
    {
        internal static RedisSharedRateLimiter Limiter(RedisConnectionSource source, string key, int perSecond, int perMinute, double timeScale = 1, ILoggerFactory? loggers = null, TimeSpan? retryInterval = null)
        {
            var options = new AhaRateLimitOptions { RequestsPerSecond = perSecond, RequestsPerMinute = perMinute };
            var context = new AhaRateLimitBackendContext(options, TimeProvider.System, loggers ?? NullLoggerFactory.Instance);
            var redisOptions = new AhaRedisRateLimitOptions { TimeScale = timeScale };
            if (retryInterval is { } r)
            {
                redisOptions.RetryInterval = r;
            }

            return new RedisSharedRateLimiter(source, key, redisOptions, context);
        }

        internal static async Task<long> ServerMicrosAsync(IDatabase db)
        {
            var time = (RedisResult[])(await db.ExecuteAsync("TIME"))!;
            return ((long)time[0] * 1_000_000) + (long)time[1];
        }

        private static RedisKey PermitsKey(string key) => "{" + key + "}:permits";

        [Test]
        public async Task Two_processes_on_one_key_draw_from_one_minute_budget()
        {
            var key = TestRedis.NewKey("share");
            var source = new RedisConnectionSource(TestRedis.Configuration);
            using var a = Limiter(source, key, perSecond: 20, perMinute: 6);
            using var b = Limiter(source, key, perSecond: 20, perMinute: 6);

            var leases = new List<RateLimitLease>();
            for (var i = 0; i < 4; i++)
            {
                leases.Add(await a.AcquireAsync(1));
            }

            for (var i = 0; i < 2; i++)
            {
                leases.Add(await b.AcquireAsync(1));
            }

            Assert.That(leases.Select(l => l.IsAcquired), Has.All.True);
            leases.ForEach(l => l.Dispose());

            using var refusedA = a.AttemptAcquire(1);
            using var refusedB = b.AttemptAcquire(1);
            Assert.That(refusedA.IsAcquired, Is.False, "A's own four plus B's two fill the shared minute window");
            Assert.That(refusedB.IsAcquired, Is.False);
            Assert.That(refusedB.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter), Is.True);
            Assert.That(retryAfter, Is.GreaterThan(TimeSpan.FromSeconds(50)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(61)), "the next permit frees when the first one leaves the minute window");
            Assert.That(a.IsCoordinated && b.IsCoordinated, Is.True);
        }

        [Test]
        public async Task A_permit_counts_as_pending_until_its_response_then_from_the_response_however_slow()
        {
            var key = TestRedis.NewKey("release");
            using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Configuration);
            var db = redis.GetDatabase();
            using var limiter = Limiter(new RedisConnectionSource(redis), key, 20, 300);

            var lease = await limiter.AcquireAsync(1);
            var pending = await db.SortedSetRangeByRankWithScoresAsync(PermitsKey(key));
            var afterGrant = await ServerMicrosAsync(db);
            Assert.That(pending, Has.Length.EqualTo(1));
            var cap = RedisSharedRateLimiter.PendingCap.Ticks / 10;
            Assert.That(pending[0].Score - afterGrant, Is.GreaterThan(cap - 1_000_000).And.LessThanOrEqualTo(cap), "pending: holds its place (counted at the crash cap, far beyond any window) until its response arrives, however slow");

            lease.Dispose(); // the response arrived
            var released = await db.SortedSetRangeByRankWithScoresAsync(PermitsKey(key)); // same connection: runs after the release
            var afterRelease = await ServerMicrosAsync(db);
            Assert.That(released, Has.Length.EqualTo(1));
            Assert.That(released[0].Score, Is.GreaterThanOrEqualTo(afterGrant - 1000).And.LessThanOrEqualTo(afterRelease), "counted from the release, on Redis's clock");
            Assert.That(await db.KeyTimeToLiveAsync(PermitsKey(key)), Is.Not.Null, "the log expires by itself once idle");
        }

        [Test]
        public async Task A_refunded_permit_leaves_the_shared_log_so_another_process_may_use_its_place()
        {
            var key = TestRedis.NewKey("refund");
            using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Configuration);
            var db = redis.GetDatabase();
            var source = new RedisConnectionSource(redis);
            using var a = Limiter(source, key, perSecond: 2, perMinute: 300);
            using var b = Limiter(source, key, perSecond: 2, perMinute: 300);

            var refused = await a.AcquireAsync(1);
            (await b.AcquireAsync(1)).Dispose();
            using (var held = b.AttemptAcquire(1))
            {
                Assert.That(held.IsAcquired, Is.False, "A's permit in flight and B's answered one fill the second");
            }

            ((IAhaRefundableLease)refused).Refund(); // the server answered 429
            Assert.That(await db.SortedSetLengthAsync(PermitsKey(key)), Is.EqualTo(1), "the refused attempt left the shared log"); // same connection: after the refund
            refused.Dispose();
            using var granted = b.AttemptAcquire(1);
            Assert.That(granted.IsAcquired, Is.True, "B may use the refused attempt's place");
        }

        [Test]
        public async Task Statistics_report_what_the_shared_budget_had_left_so_a_servers_Remaining_0_is_recognised()
        {
            var key = TestRedis.NewKey("stats");
            var source = new RedisConnectionSource(TestRedis.Configuration);
            using var a = Limiter(source, key, perSecond: 20, perMinute: 3);
            using var b = Limiter(source, key, perSecond: 20, perMinute: 3);
            (await a.AcquireAsync(1)).Dispose();
            (await a.AcquireAsync(1)).Dispose();
            Assert.That(a.GetStatistics()!.CurrentAvailablePermits, Is.EqualTo(1));

            (await b.AcquireAsync(1)).Dispose();
            Assert.That(b.GetStatistics()!.CurrentAvailablePermits, Is.Zero, "B took the last permit of the shared minute, although it took only one itself");
        }

        [Test]
        public async Task A_pause_published_by_one_process_holds_the_others()
        {
            var key = TestRedis.NewKey("pause");
            var source = new RedisConnectionSource(TestRedis.Configuration);
            using var a = Limiter(source, key, 20, 300);
            using var b = Limiter(source, key, 20, 300);
            (await a.AcquireAsync(1)).Dispose();
            (await b.AcquireAsync(1)).Dispose();

            a.PauseUntil(DateTimeOffset.UtcNow.AddSeconds(30)); // A saw X-Ratelimit-Remaining: 0 or a 429

            using var refused = b.AttemptAcquire(1);
            Assert.That(refused.IsAcquired, Is.False, "B holds although only A saw the server's signal");
            Assert.That(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter), Is.True);
            Assert.That(retryAfter, Is.GreaterThan(TimeSpan.FromSeconds(20)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(30)));

            using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Configuration);
            var ttl = await redis.GetDatabase().KeyTimeToLiveAsync("{" + key + "}:pause");
            Assert.That(ttl, Is.GreaterThan(TimeSpan.FromSeconds(20)), "the pause is a key that expires when it ends");
        }

        [Test]
        public async Task A_waiting_process_is_granted_once_the_shared_window_frees_and_not_before()
        {
            var key = TestRedis.NewKey("wait");
            var source = new RedisConnectionSource(TestRedis.Configuration);

            // Scaled by 4: 2 per 250 ms.
            using var a = Limiter(source, key, perSecond: 2, perMinute: 100, timeScale: 4);
            using var b = Limiter(source, key, perSecond: 2, perMinute: 100, timeScale: 4);
            (await a.AcquireAsync(1)).Dispose();
            (await a.AcquireAsync(1)).Dispose();
            var released = Stopwatch.StartNew();

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var third = await b.AcquireAsync(1, deadline.Token);

            Assert.That(third.IsAcquired, Is.True);
            Assert.That(released.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(240)), "granted only after A's permits left the 250 ms window (+ margin)");
        }

        [Test]
        public async Task Cancelling_a_waiting_request_frees_its_place()
        {
            var key = TestRedis.NewKey("cancel");
            var source = new RedisConnectionSource(TestRedis.Configuration);
            using var a = Limiter(source, key, perSecond: 20, perMinute: 1);
            (await a.AcquireAsync(1)).Dispose();

            using var cancel = new CancellationTokenSource();
            var waiting = a.AcquireAsync(1, cancel.Token).AsTask();
            Assert.That(waiting.IsCompleted, Is.False, "the minute budget is spent");
            cancel.Cancel();

            Exception? thrown = null;
            try
            {
                (await waiting).Dispose();
            }
            catch (OperationCanceledException ex)
            {
                thrown = ex;
            }

            Assert.That(thrown, Is.Not.Null, "the waiting request was cancelled, not granted");
            Assert.That(a.GetStatistics()!.CurrentQueuedCount, Is.Zero);
        }
    }
}
