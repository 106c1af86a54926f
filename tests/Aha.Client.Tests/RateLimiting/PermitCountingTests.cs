using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Aha.Client.RateLimiting;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.RateLimiting
{
    /// <summary>When the client counts a permit, and what a refused (429) attempt costs the budget.</summary>
    public class PermitCountingTests
    {
        private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(5); // the library default

        [Test]
        public async Task A_permit_counts_when_the_response_headers_arrive_not_when_the_body_has_been_read()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var body = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var held = new HeldContent(body.Task);
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                var n = sent.Increment();
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = n == 1 ? held : new StringContent("{}") };
            });
            var aha = TestClients.Create(clock, mock, o => o.RateLimit.RequestsPerSecond = 1);

            var first = aha.GetAsync("features");
            // The body is read only once the headers have come back up through the pipeline (and been counted): waiting
            // for the mock to answer is not enough, the clock could move before the count.
            await WaitUntilAsync(() => held.ReadStarted);

            // The headers arrived at 0; the body takes 0.5 s.
            clock.Advance(TimeSpan.FromMilliseconds(500));
            body.SetResult(true);
            (await TestClock.Completes(first)).Dispose();

            var second = aha.GetAsync("features");
            var wait = await clock.WaitForTimerAsync(TimeSpan.FromSeconds(2));
            Assert.That(wait, Is.EqualTo(TimeSpan.FromMilliseconds(500) + Margin), "one window after the headers, not after the body");
            clock.Advance(wait);
            (await TestClock.Completes(second)).Dispose();
            Assert.That(sent.Value, Is.EqualTo(2));
        }

        [Test]
        public async Task A_refused_attempt_does_not_keep_its_place_the_servers_delay_governs()
        {
            // One request per second. The first attempt is refused with "retry after 0.2 s": had the refused attempt
            // kept its place, the retry would wait a whole window (1 s); it goes after the server's 0.2 s.
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                if (sent.Increment() == 1)
                {
                    var refused = TestClients.Json((HttpStatusCode)429, "{\"error\":\"Rate limit exceeded\"}");
                    refused.Headers.TryAddWithoutValidation("Retry-After", "0.2");
                    return refused;
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock, o => o.RateLimit.RequestsPerSecond = 1);
            var started = clock.GetUtcNow();

            using var response = await clock.RunAsync(aha.GetAsync("features"), TimeSpan.FromSeconds(2));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(2));
            var elapsed = clock.GetUtcNow() - started;
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200)).And.LessThan(TimeSpan.FromSeconds(1)), "the server's delay, not a window");
            Assert.That(aha.RateLimit.RateLimitedResponses, Is.EqualTo(1));
        }

        [Test]
        public async Task Remaining_zero_does_not_pause_when_any_own_limiter_has_spent_the_budget_too()
        {
            // The check asks the limiter of the budget, whatever it is (here a custom one; Redis's works the same way).
            var clock = new TestClock();
            var sent = new Counter();
            var reset = clock.GetUtcNow() + TimeSpan.FromSeconds(61);
            var mock = RateLimitHeaderServer.Create(sent, reset, n => n == 1 ? 1 : 0);
            var inner = SlidingWindowLogRateLimiterOptions.ForAha(2, 2);
            inner.TimeProvider = clock;
            using var custom = new Wrapping(new SlidingWindowLogRateLimiter(inner));
            var aha = TestClients.Create(clock, mock, o => o.RateLimit.Limiter = custom);

            (await TestClock.Completes(aha.GetAsync("features"))).Dispose();
            (await TestClock.Completes(aha.GetAsync("features"))).Dispose();

            Assert.That(aha.RateLimit.Remaining, Is.EqualTo(0));
            Assert.That(aha.RateLimit.PausedUntil, Is.Null, "the limiter knows the budget is spent: no whole-second pause on top");
        }

        [Test]
        public async Task Remaining_zero_still_pauses_when_the_own_limiter_thinks_budget_is_left()
        {
            var clock = new TestClock();
            var reset = clock.GetUtcNow() + TimeSpan.FromSeconds(20);
            var mock = RateLimitHeaderServer.Create(new Counter(), reset, _ => 0);
            var inner = SlidingWindowLogRateLimiterOptions.ForAha(20, 300);
            inner.TimeProvider = clock;
            using var custom = new Wrapping(new SlidingWindowLogRateLimiter(inner));
            var aha = TestClients.Create(clock, mock, o => o.RateLimit.Limiter = custom);

            (await TestClock.Completes(aha.GetAsync("features"))).Dispose();
            Assert.That(aha.RateLimit.PausedUntil, Is.EqualTo(reset + Margin), "someone else spent the budget: everyone waits for the reset");
        }

        private static async Task WaitUntilAsync(Func<bool> condition)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!condition())
            {
                await Task.Yield();
                timeout.Token.ThrowIfCancellationRequested();
            }
        }

        /// <summary>A body that is not complete until the test says so.</summary>
        private sealed class HeldContent : HttpContent
        {
            private readonly Task _released;
            private volatile bool _readStarted;

            public HeldContent(Task released) => _released = released;

            /// <summary>Whether the client has started to read the body (so the headers have passed every handler).</summary>
            public bool ReadStarted => _readStarted;

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                _readStarted = true;
                await _released.ConfigureAwait(false);
                await stream.WriteAsync(new byte[] { (byte)'{', (byte)'}' }, 0, 2).ConfigureAwait(false);
            }

            protected override bool TryComputeLength(out long length)
            {
                length = -1;
                return false;
            }
        }

        /// <summary>A limiter that is not one of the client's own types, delegating to another.</summary>
        private sealed class Wrapping : RateLimiter
        {
            private readonly RateLimiter _inner;

            public Wrapping(RateLimiter inner) => _inner = inner;

            public override TimeSpan? IdleDuration => _inner.IdleDuration;

            public override RateLimiterStatistics? GetStatistics() => _inner.GetStatistics();

            protected override RateLimitLease AttemptAcquireCore(int permitCount) => _inner.AttemptAcquire(permitCount);

            protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => _inner.AcquireAsync(permitCount, cancellationToken);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _inner.Dispose();
                }
            }
        }
    }
}
