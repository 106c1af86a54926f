using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Aha.Sandbox.Tests
{
    /// <summary>Rate limits on a fake clock: time moves only when a test says so, so no test sleeps.</summary>
    [TestFixture]
    public class RateLimitTests
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        private static Task<AhaSandbox> StartAsync(FakeTimeProvider time, Action<SandboxRateLimitOptions>? configure = null) =>
            Sandboxes.SmallAsync(o =>
            {
                o.TimeProvider = time;
                o.RateLimit.Enabled = true;
                configure?.Invoke(o.RateLimit);
            });

        private static async Task<HttpStatusCode[]> BurstAsync(HttpClient http, int count)
        {
            var codes = new HttpStatusCode[count];
            for (var i = 0; i < count; i++)
            {
                using var response = await http.GetAsync("products");
                codes[i] = response.StatusCode;
            }

            return codes;
        }

        [Test]
        public async Task The_21st_request_in_a_second_is_429_with_every_signal()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();

            Assert.That(await BurstAsync(http, 20), Is.All.EqualTo(HttpStatusCode.OK));
            time.Advance(TimeSpan.FromMilliseconds(400));
            using var limited = await http.GetAsync("features");

            Assert.That((int)limited.StatusCode, Is.EqualTo(429));
            Assert.That(limited.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)), "whole seconds, rounded up from 0.6 s");
            Assert.That(limited.Headers.GetValues("retry_after").Single(), Is.EqualTo("1"));
            Assert.That(limited.Headers.GetValues("X-Ratelimit-Limit").Single(), Is.EqualTo("20"));
            Assert.That(limited.Headers.GetValues("X-Ratelimit-Remaining").Single(), Is.EqualTo("0"));
            Assert.That(long.Parse(limited.Headers.GetValues("X-Ratelimit-Reset").Single()), Is.EqualTo(Start.AddSeconds(1).ToUnixTimeSeconds()));
            var body = await limited.ReadObjectAsync();
            Assert.That(body["error"].Str(), Is.EqualTo("Rate limit exceeded"));
            Assert.That(body["message"].Str(), Does.Contain("rate limit"));
            Assert.That(body["retry_after"]!.GetValue<int>(), Is.EqualTo(1));

            time.Advance(TimeSpan.FromMilliseconds(599));
            using (var stillLimited = await http.GetAsync("products"))
            {
                Assert.That((int)stillLimited.StatusCode, Is.EqualTo(429), "the window is (t - 1 s, t]");
            }

            time.Advance(TimeSpan.FromMilliseconds(1));
            using var accepted = await http.GetAsync("products");
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sandbox.Statistics.RateLimitedResponses, Is.EqualTo(2));
            Assert.That(sandbox.Statistics.PeakRequestsPerShortWindow, Is.EqualTo(20));
        }

        [Test]
        public async Task The_minute_window_holds_request_301_until_the_first_leaves_it()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();

            // 300 requests in bursts of 20, one burst per second (t = 0 .. 14 s): all accepted.
            for (var burst = 0; burst < 15; burst++)
            {
                Assert.That(await BurstAsync(http, 20), Is.All.EqualTo(HttpStatusCode.OK), "burst " + burst);
                time.Advance(TimeSpan.FromSeconds(1));
            }

            using var limited = await http.GetAsync("products");
            Assert.That((int)limited.StatusCode, Is.EqualTo(429));
            Assert.That(limited.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(45)), "at t = 15 s the first request leaves the window at t = 60 s");
            Assert.That(limited.Headers.GetValues("X-Ratelimit-Limit").Single(), Is.EqualTo("300"));

            time.Advance(TimeSpan.FromSeconds(45));
            Assert.That(await BurstAsync(http, 20), Is.All.EqualTo(HttpStatusCode.OK), "at t = 60 s the first burst has left the window");
            Assert.That(sandbox.Statistics.PeakRequestsPerLongWindow, Is.EqualTo(300));
            Assert.That(sandbox.Statistics.AcceptedRequests, Is.EqualTo(320));
        }

        [Test]
        public async Task Every_answer_carries_X_Ratelimit_headers()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();
            using var first = await http.GetAsync("products");
            Assert.That(first.Headers.GetValues("X-Ratelimit-Limit").Single(), Is.EqualTo("300"));
            Assert.That(first.Headers.GetValues("X-Ratelimit-Remaining").Single(), Is.EqualTo("299"));
            Assert.That(long.Parse(first.Headers.GetValues("X-Ratelimit-Reset").Single()), Is.EqualTo(Start.AddSeconds(60).ToUnixTimeSeconds()));
            using var missing = await http.GetAsync("features/NOPE-1");
            Assert.That(missing.Headers.GetValues("X-Ratelimit-Remaining").Single(), Is.EqualTo("298"));
            using var anonymous = new HttpClient { BaseAddress = sandbox.BaseAddress };
            using var forbidden = await anonymous.GetAsync("products");
            Assert.That((int)forbidden.StatusCode, Is.EqualTo(403));
            Assert.That(forbidden.Headers.Contains("X-Ratelimit-Remaining"), Is.True, "requests are limited per source IP, before authentication");
        }

        [Test]
        public async Task Rejected_requests_do_not_count_against_the_limit()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();
            await BurstAsync(http, 20);
            Assert.That(await BurstAsync(http, 50), Is.All.EqualTo((HttpStatusCode)429));
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.That(await BurstAsync(http, 20), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(sandbox.Statistics.RateLimitedResponses, Is.EqualTo(50));
            Assert.That(sandbox.Statistics.TotalRequests, Is.EqualTo(90));
        }

        [TestCase(RateLimitSignals.None)]
        [TestCase(RateLimitSignals.RetryAfter)]
        [TestCase(RateLimitSignals.RetryAfterUnderscore)]
        [TestCase(RateLimitSignals.XRatelimit)]
        [TestCase(RateLimitSignals.Body)]
        [TestCase(RateLimitSignals.RetryAfter | RateLimitSignals.Body)]
        public async Task Each_429_signal_can_be_switched(RateLimitSignals signals)
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time, r =>
            {
                r.On429 = signals;
                r.XRatelimitOnEveryResponse = false;
            });
            using var http = sandbox.CreateHttpClient();
            var ok = await http.GetAsync("products");
            Assert.That(ok.Headers.Contains("X-Ratelimit-Limit"), Is.False);
            await BurstAsync(http, 19);
            using var limited = await http.GetAsync("products");
            Assert.That((int)limited.StatusCode, Is.EqualTo(429));
            Assert.That(limited.Headers.RetryAfter != null, Is.EqualTo(signals.HasFlag(RateLimitSignals.RetryAfter)));
            Assert.That(limited.Headers.Contains("retry_after"), Is.EqualTo(signals.HasFlag(RateLimitSignals.RetryAfterUnderscore)));
            Assert.That(limited.Headers.Contains("X-Ratelimit-Reset"), Is.EqualTo(signals.HasFlag(RateLimitSignals.XRatelimit)));
            var body = await limited.Content.ReadAsStringAsync();
            Assert.That(body.Contains("retry_after", StringComparison.Ordinal), Is.EqualTo(signals.HasFlag(RateLimitSignals.Body)));
        }

        [Test]
        public async Task Limits_and_windows_are_configurable_and_time_can_be_scaled()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time, r =>
            {
                r.ShortWindowLimit = 3;
                r.LongWindowLimit = 5;
                r.TimeScale = 10; // 1 s -> 100 ms, 60 s -> 6 s
            });
            using var http = sandbox.CreateHttpClient();
            Assert.That(await BurstAsync(http, 4), Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429 }));
            time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.That(await BurstAsync(http, 3), Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429 }), "the long window (5 in 6 s) binds now");
            time.Advance(TimeSpan.FromSeconds(6));
            Assert.That(await BurstAsync(http, 1), Is.All.EqualTo(HttpStatusCode.OK));
        }

        [Test]
        public async Task Limits_can_be_turned_off_and_history_reset()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();
            await BurstAsync(http, 21);
            sandbox.ResetRateLimits();
            Assert.That(await BurstAsync(http, 20), Is.All.EqualTo(HttpStatusCode.OK));

            await using var unlimited = await Sandboxes.SmallAsync(o => o.TimeProvider = time);
            using var http2 = unlimited.CreateHttpClient();
            Assert.That(await BurstAsync(http2, 40), Is.All.EqualTo(HttpStatusCode.OK));
            using var response = await http2.GetAsync("products");
            Assert.That(response.Headers.Contains("X-Ratelimit-Limit"), Is.False, "no limiter, no rate-limit headers");
        }
    }
}
