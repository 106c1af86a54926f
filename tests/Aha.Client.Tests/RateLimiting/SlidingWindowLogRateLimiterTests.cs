using System;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Aha.Client.RateLimiting;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.RateLimiting
{
    public class SlidingWindowLogRateLimiterTests
    {
        private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(100);

        private static SlidingWindowLogRateLimiter Create(TestClock clock, int perSecond = 20, int perMinute = 300, int queueLimit = int.MaxValue)
        {
            var options = SlidingWindowLogRateLimiterOptions.ForAha(perSecond, perMinute);
            options.SafetyMargin = Margin;
            options.TimeProvider = clock;
            options.QueueLimit = queueLimit;
            return new SlidingWindowLogRateLimiter(options);
        }

        /// <summary>Takes permits for a request that is answered at once (the lease is disposed right away).</summary>
        private static bool Take(RateLimiter limiter, int permits = 1)
        {
            using var lease = limiter.AttemptAcquire(permits);
            return lease.IsAcquired;
        }

        [Test]
        public void A_permit_whose_request_is_still_in_flight_counts_until_it_is_answered()
        {
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 1, perMinute: 100);
            var inFlight = limiter.AttemptAcquire();
            Assert.That(inFlight.IsAcquired, Is.True);

            // Granted at 0, answered at 0.4 s: the server may have counted it as late as 0.4 s.
            clock.Advance(TimeSpan.FromMilliseconds(400));
            inFlight.Dispose();
            clock.Advance(TimeSpan.FromSeconds(1) + Margin - TimeSpan.FromTicks(1));
            Assert.That(Take(limiter), Is.False);
            clock.Advance(TimeSpan.FromTicks(1));
            Assert.That(Take(limiter), Is.True);
        }

        [Test]
        public void With_an_arrival_assumption_a_lease_never_disposed_counts_from_its_grant_plus_the_maximum_arrival_delay()
        {
            var clock = new TestClock();
            var options = SlidingWindowLogRateLimiterOptions.ForAha(1, 100);
            options.SafetyMargin = Margin;
            options.TimeProvider = clock;
            options.MaxArrivalDelay = TimeSpan.FromSeconds(1);
            using var limiter = new SlidingWindowLogRateLimiter(options);
            Assert.That(limiter.AttemptAcquire().IsAcquired, Is.True); // never disposed
            var refused = limiter.AttemptAcquire();
            refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(1) + Margin));
        }

        [Test]
        public async Task By_default_a_request_slower_than_any_fixed_delay_holds_its_place_until_it_is_answered()
        {
            // A first call on a loaded machine took 1.1-1.4 s to reach the server (docs/redis.md): a permit that counted
            // at grant + 1 s let the next request reach the server less than a window after it.
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 1, perMinute: 100);
            Assert.That(new SlidingWindowLogRateLimiterOptions().MaxArrivalDelay, Is.EqualTo(Timeout.InfiniteTimeSpan));
            var slow = limiter.AttemptAcquire();
            Assert.That(slow.IsAcquired, Is.True);
            var queued = limiter.AcquireAsync(1).AsTask();

            clock.Advance(TimeSpan.FromSeconds(5));
            Assert.That(queued.IsCompleted, Is.False, "still in flight after 5 s: it still holds its place");
            Assert.That(limiter.GetStatistics()!.CurrentAvailablePermits, Is.EqualTo(0));

            slow.Dispose(); // answered at 5 s: counted from now
            clock.Advance(TimeSpan.FromSeconds(1) + Margin - TimeSpan.FromTicks(1));
            Assert.That(queued.IsCompleted, Is.False);
            clock.Advance(TimeSpan.FromTicks(1));
            (await TestClock.Completes(queued)).Dispose();
        }

        [Test]
        public async Task A_refunded_permit_leaves_the_log_and_frees_its_place_at_once()
        {
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 1, perMinute: 100);
            var refused = limiter.AttemptAcquire();
            var queued = limiter.AcquireAsync(1).AsTask();
            Assert.That(queued.IsCompleted, Is.False);

            ((IAhaRefundableLease)refused).Refund();
            var next = await TestClock.Completes(queued);
            Assert.That(next.IsAcquired, Is.True, "granted without time passing: the refused attempt does not count");
            refused.Dispose(); // a no-op after the refund: it must not count again
            next.Dispose();
            clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            Assert.That(Take(limiter), Is.True);
        }

        [Test]
        public async Task Answering_a_request_can_release_a_queued_one_sooner()
        {
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 1, perMinute: 100);
            var inFlight = limiter.AttemptAcquire();
            var queued = limiter.AcquireAsync(1).AsTask();
            clock.Advance(TimeSpan.FromMilliseconds(200));
            inFlight.Dispose(); // the next grant moves from 2.1 s to 1.3 s
            clock.Advance(TimeSpan.FromSeconds(1) + Margin - TimeSpan.FromTicks(1));
            Assert.That(queued.IsCompleted, Is.False);
            clock.Advance(TimeSpan.FromTicks(1));
            (await TestClock.Completes(queued)).Dispose();
        }

        [Test]
        public void Twenty_permits_per_second_then_the_21st_waits_exactly_one_window_plus_margin()
        {
            var clock = new TestClock();
            using var limiter = Create(clock);
            for (var i = 0; i < 20; i++)
            {
                Assert.That(Take(limiter), Is.True, $"permit {i + 1}");
            }

            var refused = limiter.AttemptAcquire();
            Assert.That(refused.IsAcquired, Is.False);
            Assert.That(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter), Is.True);
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(1) + Margin));

            clock.Advance(TimeSpan.FromSeconds(1) + Margin - TimeSpan.FromTicks(1));
            Assert.That(Take(limiter), Is.False, "a permit is never handed back early");
            clock.Advance(TimeSpan.FromTicks(1));
            Assert.That(Take(limiter), Is.True);
        }

        [Test]
        public void The_minute_window_holds_the_301st_request_until_the_first_leaves_it()
        {
            var clock = new TestClock();
            using var limiter = Create(clock);
            for (var second = 0; second < 15; second++)
            {
                for (var i = 0; i < 20; i++)
                {
                    Assert.That(Take(limiter), Is.True, $"second {second}, permit {i + 1}");
                }

                clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            }

            // 300 granted in the first 16.5 s; the per-second window is free, the minute window is not.
            var refused = limiter.AttemptAcquire();
            Assert.That(refused.IsAcquired, Is.False);
            refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
            var elapsed = TimeSpan.FromTicks((TimeSpan.FromSeconds(1) + Margin).Ticks * 15);
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromMinutes(1) + Margin - elapsed));

            clock.Advance(retryAfter);
            Assert.That(Take(limiter), Is.True);
        }

        [Test]
        public async Task Queued_requests_are_granted_in_arrival_order_when_the_window_moves()
        {
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 2, perMinute: 100);
            Assert.That(Take(limiter, 2), Is.True);

            var first = limiter.AcquireAsync(1).AsTask();
            var second = limiter.AcquireAsync(1).AsTask();
            var third = limiter.AcquireAsync(1).AsTask();
            Assert.That(limiter.GetStatistics()!.CurrentQueuedCount, Is.EqualTo(3));
            Assert.That(first.IsCompleted || second.IsCompleted || third.IsCompleted, Is.False);

            // A newcomer cannot jump the queue even when a permit is free.
            clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            Assert.That(first.IsCompleted && second.IsCompleted, Is.True);
            Assert.That(third.IsCompleted, Is.False);
            first.Result.Dispose();
            second.Result.Dispose();
            Assert.That(Take(limiter), Is.False, "queue first");

            clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            Assert.That((await TestClock.Completes(third)).IsAcquired, Is.True);
        }

        [Test]
        public async Task Cancelling_a_queued_request_frees_its_place_for_the_next()
        {
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 1, perMinute: 100);
            Assert.That(Take(limiter), Is.True);

            using var cts = new CancellationTokenSource();
            var cancelled = limiter.AcquireAsync(1, cts.Token).AsTask();
            var next = limiter.AcquireAsync(1).AsTask();
            cts.Cancel();

            Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>());
            Assert.That(limiter.GetStatistics()!.CurrentQueuedCount, Is.EqualTo(1));

            clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            Assert.That((await TestClock.Completes(next)).IsAcquired, Is.True);
        }

        [Test]
        public void A_full_queue_fails_at_once()
        {
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 1, perMinute: 100, queueLimit: 1);
            Assert.That(Take(limiter), Is.True);
            var queued = limiter.AcquireAsync(1);
            var rejected = limiter.AcquireAsync(1);
            Assert.That(queued.IsCompleted, Is.False);
            Assert.That(rejected.IsCompleted && !rejected.Result.IsAcquired, Is.True);
        }

        [Test]
        public void A_pause_holds_grants_until_it_ends()
        {
            var clock = new TestClock();
            using var limiter = Create(clock);
            limiter.PauseUntil(clock.GetUtcNow() + TimeSpan.FromSeconds(30));
            var waiting = limiter.AcquireAsync(1).AsTask();
            Assert.That(Take(limiter), Is.False);

            clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
            Assert.That(waiting.IsCompleted, Is.False);
            clock.Advance(TimeSpan.FromTicks(1));
            Assert.That(waiting.IsCompleted, Is.True);
        }

        [Test]
        public void Disposing_fails_queued_requests_instead_of_leaving_them_hanging()
        {
            var clock = new TestClock();
            var limiter = Create(clock, perSecond: 1, perMinute: 100);
            Take(limiter);
            var waiting = limiter.AcquireAsync(1).AsTask();
            limiter.Dispose();
            Assert.That(waiting.IsCompleted && !waiting.Result.IsAcquired, Is.True);
            Assert.That(() => limiter.AttemptAcquire(), Throws.TypeOf<ObjectDisposedException>());
        }

        [Test]
        public void Statistics_report_available_permits_across_both_windows()
        {
            var clock = new TestClock();
            using var limiter = Create(clock, perSecond: 5, perMinute: 7);
            Take(limiter, 3);
            Assert.That(limiter.GetStatistics()!.CurrentAvailablePermits, Is.EqualTo(2));
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.That(limiter.GetStatistics()!.CurrentAvailablePermits, Is.EqualTo(4), "the minute window now binds");
        }
    }
}
