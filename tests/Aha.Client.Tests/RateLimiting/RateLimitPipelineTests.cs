using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.RateLimiting
{
    /// <summary>The limiter as the whole client pipeline uses it, through <c>aha.HttpClient</c>.</summary>
    public class RateLimitPipelineTests
    {
        private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(5); // the library default

        [Test]
        public async Task The_21st_request_in_a_second_waits_for_the_window()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var aha = TestClients.Create(clock, TestClients.AlwaysOk(sent));

            var first20 = Enumerable.Range(0, 20).Select(i => aha.GetAsync("features?page=" + i)).ToList();
            await TestClock.Completes(Task.WhenAll(first20));
            var the21st = aha.GetAsync("features?page=21");

            var wait = await clock.WaitForTimerAsync(TimeSpan.FromSeconds(2));
            Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(1) + Margin));
            Assert.That(sent.Value, Is.EqualTo(20));
            Assert.That(the21st.IsCompleted, Is.False);

            clock.Advance(wait);
            using var response = await TestClock.Completes(the21st);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(21));
        }

        [Test]
        public async Task The_301st_request_in_a_minute_waits_for_the_minute_window()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var aha = TestClients.Create(clock, TestClients.AlwaysOk(sent));

            for (var second = 0; second < 15; second++)
            {
                var batch = Enumerable.Range(0, 20).Select(i => aha.GetAsync("features")).ToList();
                foreach (var r in await TestClock.Completes(Task.WhenAll(batch)))
                {
                    r.Dispose();
                }

                clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            }

            Assert.That(sent.Value, Is.EqualTo(300));
            var the301st = aha.GetAsync("features");
            var wait = await clock.WaitForTimerAsync(TimeSpan.FromSeconds(61));
            var elapsed = TimeSpan.FromTicks((TimeSpan.FromSeconds(1) + Margin).Ticks * 15);
            Assert.That(wait, Is.EqualTo(TimeSpan.FromMinutes(1) + Margin - elapsed));
            Assert.That(sent.Value, Is.EqualTo(300));

            clock.Advance(wait);
            (await TestClock.Completes(the301st)).Dispose();
            Assert.That(sent.Value, Is.EqualTo(301));
        }

        [Test]
        public async Task Queue_time_does_not_count_against_the_attempt_timeout()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var aha = TestClients.Create(clock, TestClients.AlwaysOk(sent), o =>
            {
                o.RateLimit.RequestsPerMinute = 1;
                o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(1);
            });

            (await TestClock.Completes(aha.GetAsync("features"))).Dispose();
            var queued = aha.GetAsync("features");

            // 60 s in the queue with a 1 s attempt timeout: still answered, in one attempt. Only the queue's wait is
            // advanced (running every timer could fire the attempt's own 1 s timeout before a busy machine has let the
            // answer through, and the retry would be the test's doing, not the client's).
            var wait = await clock.WaitForTimerAsync(TimeSpan.FromSeconds(61));
            Assert.That(wait, Is.GreaterThan(TimeSpan.FromSeconds(1)), "the queued request waits for the minute's permit");
            clock.Advance(wait);
            using var response = await TestClock.Completes(queued);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(2));
        }

        [Test]
        public async Task A_request_cancelled_while_queued_is_never_sent_and_frees_its_place()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var aha = TestClients.Create(clock, TestClients.AlwaysOk(sent), o => o.RateLimit.RequestsPerSecond = 1);

            (await TestClock.Completes(aha.GetAsync("features"))).Dispose();
            using var cts = new CancellationTokenSource();
            var cancelled = aha.GetAsync("features/cancelled", cts.Token);
            await clock.WaitForTimerAsync(TimeSpan.FromSeconds(2));
            var next = aha.GetAsync("features/next");

            cts.Cancel();
            Assert.That(async () => await TestClock.Completes(cancelled), Throws.InstanceOf<OperationCanceledException>());

            clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            (await TestClock.Completes(next)).Dispose();
            Assert.That(sent.Value, Is.EqualTo(2), "the cancelled request never reached the server");
        }

        [Test]
        public async Task Remaining_zero_pauses_every_client_until_the_reset_and_is_exposed()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var reset = clock.GetUtcNow() + TimeSpan.FromSeconds(30);
            var mock = RateLimitHeaderServer.Create(sent, reset, n => n == 1 ? 0 : 299, limit: 300);

            // Two clients over the same (process-wide) budget: the second one obeys what the first one heard.
            var first = TestClients.Create(clock, mock);
            var second = TestClients.Create(clock, mock);
            (await TestClock.Completes(first.GetAsync("features"))).Dispose();

            Assert.That(first.RateLimit.Remaining, Is.EqualTo(0));
            Assert.That(first.RateLimit.Limit, Is.EqualTo(300));
            Assert.That(first.RateLimit.ResetsAt, Is.EqualTo(reset));
            Assert.That(second.RateLimit.PausedUntil, Is.EqualTo(reset + Margin));

            var held = second.GetAsync("features");
            var wait = await clock.WaitForTimerAsync(TimeSpan.FromSeconds(31));
            Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(30) + Margin));
            Assert.That(sent.Value, Is.EqualTo(1));

            clock.Advance(wait);
            (await TestClock.Completes(held)).Dispose();
            Assert.That(sent.Value, Is.EqualTo(2));
            Assert.That(second.RateLimit.Remaining, Is.EqualTo(299));
        }

        [Test]
        public async Task Remaining_zero_does_not_pause_when_the_own_limiter_has_spent_the_budget_too()
        {
            // Our exact limiter already holds the next request until the precise moment a permit frees; the server's
            // reset is in whole seconds, so a pause on it would only add rounding (1.2 s per minute window in the
            // 400-page export benchmark). The signal carries news only when the limiter thinks budget is left.
            var clock = new TestClock();
            var sent = new Counter();
            var reset = clock.GetUtcNow() + TimeSpan.FromSeconds(61);
            var mock = RateLimitHeaderServer.Create(sent, reset, n => n == 1 ? 1 : 0, limit: 2);
            var aha = TestClients.Create(clock, mock, o =>
            {
                o.RateLimit.RequestsPerSecond = 2;
                o.RateLimit.RequestsPerMinute = 2;
            });

            (await TestClock.Completes(aha.GetAsync("features"))).Dispose();
            (await TestClock.Completes(aha.GetAsync("features"))).Dispose();

            Assert.That(aha.RateLimit.Remaining, Is.EqualTo(0));
            Assert.That(aha.RateLimit.PausedUntil, Is.Null, "no pause: the limiter knows the budget is spent, exactly");

            // The limiter alone holds the third request: one minute (plus the margin) after the first was counted.
            var third = aha.GetAsync("features");
            Assert.That(await clock.WaitForTimerAsync(TimeSpan.FromSeconds(61)), Is.EqualTo(TimeSpan.FromSeconds(60) + Margin));
            Assert.That(sent.Value, Is.EqualTo(2));
            clock.Advance(TimeSpan.FromSeconds(60) + Margin);
            (await TestClock.Completes(third)).Dispose();
            Assert.That(sent.Value, Is.EqualTo(3));
        }

        [Test]
        public async Task Clients_share_one_budget_by_default_and_can_opt_out()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = TestClients.AlwaysOk(sent);
            var a = TestClients.Create(clock, mock, o => o.RateLimit.RequestsPerSecond = 2);
            var b = TestClients.Create(clock, mock, o => o.RateLimit.RequestsPerSecond = 2);
            var alone = TestClients.Create(clock, mock, o =>
            {
                o.RateLimit.RequestsPerSecond = 2;
                o.RateLimit.SharedAcrossClients = false;
            });

            (await TestClock.Completes(a.GetAsync("x"))).Dispose();
            (await TestClock.Completes(b.GetAsync("x"))).Dispose();
            var third = b.GetAsync("x");
            Assert.That(await clock.WaitForTimerAsync(TimeSpan.FromSeconds(2)), Is.EqualTo(TimeSpan.FromSeconds(1) + Margin));

            (await TestClock.Completes(alone.GetAsync("x"))).Dispose();
            Assert.That(sent.Value, Is.EqualTo(3), "the opted-out client has its own budget");
            Assert.That(third.IsCompleted, Is.False);

            clock.Advance(TimeSpan.FromSeconds(1) + Margin);
            (await TestClock.Completes(third)).Dispose();
        }

        [Test]
        public async Task With_limiting_disabled_nothing_waits()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var aha = TestClients.Create(clock, TestClients.AlwaysOk(sent), o => o.RateLimit.Enabled = false);
            var all = Enumerable.Range(0, 50).Select(_ => aha.GetAsync("x")).ToList();
            await TestClock.Completes(Task.WhenAll(all));
            Assert.That(sent.Value, Is.EqualTo(50));
        }
    }
}
