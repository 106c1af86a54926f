using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Aha.Client.RateLimiting;

namespace Aha.Client.Tests.RateLimiting
{
    public class RateLimitHeadersTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        private static HttpResponseMessage TooMany() => new HttpResponseMessage((HttpStatusCode)429);

        [Test]
        public void Retry_After_in_seconds()
        {
            using var response = TooMany();
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromSeconds(7)));
        }

        [Test]
        public void Retry_After_as_an_HTTP_date_measured_against_the_server_Date()
        {
            using var response = TooMany();
            response.Headers.TryAddWithoutValidation("Retry-After", "Fri, 27 Nov 2026 12:00:45 GMT");
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromSeconds(45)));

            // A local clock 10 s ahead of the server's must not shorten the wait.
            response.Headers.Date = Now;
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now + TimeSpan.FromSeconds(10)), Is.EqualTo(TimeSpan.FromSeconds(45)));
        }

        [Test]
        public void Retry_After_with_a_fraction()
        {
            using var response = TooMany();
            response.Headers.TryAddWithoutValidation("Retry-After", "1.5");
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromSeconds(1.5)));
        }

        [Test]
        public void The_retry_after_header_with_an_underscore()
        {
            using var response = TooMany();
            response.Headers.TryAddWithoutValidation("retry_after", "12");
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromSeconds(12)));
        }

        [TestCase("{\"error\":\"Rate limit exceeded\",\"message\":\"Too many requests\",\"retry_after\":60}", 60)]
        [TestCase("{\"retry_after\":\"2.5\"}", 2.5)]
        [TestCase("{\"error\":{\"message\":\"slow down\",\"retry_after\":3}}", 3)]
        public void The_retry_after_field_of_a_JSON_body(string body, double seconds)
        {
            using var response = TooMany();
            Assert.That(RateLimitHeaders.GetRetryDelay(response, body, Now), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
        }

        [Test]
        public void X_Ratelimit_Reset_as_UTC_epoch_seconds()
        {
            using var response = TooMany();
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Limit", "300");
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Remaining", "0");
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", (Now + TimeSpan.FromSeconds(42)).ToUnixTimeSeconds().ToString());
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromSeconds(42)));

            var (limit, remaining, resetsAt) = RateLimitHeaders.ReadState(response, Now);
            Assert.That((limit, remaining, resetsAt), Is.EqualTo(((int?)300, (int?)0, (DateTimeOffset?)(Now + TimeSpan.FromSeconds(42)))));
        }

        [Test]
        public void X_Ratelimit_Reset_is_measured_on_the_local_clock_when_it_agrees_with_the_whole_second_Date()
        {
            // The server answered at 12:00:00.700; Date says 12:00:00 (whole seconds). Measuring the reset from Date
            // would wait 0.7 s longer than the server asked.
            using var response = TooMany();
            response.Headers.Date = Now;
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Remaining", "0");
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", (Now + TimeSpan.FromSeconds(42)).ToUnixTimeSeconds().ToString());
            var localNow = Now + TimeSpan.FromMilliseconds(700);
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, localNow), Is.EqualTo(TimeSpan.FromSeconds(41.3)));
            Assert.That(RateLimitHeaders.ReadState(response, localNow).ResetsAt, Is.EqualTo(Now + TimeSpan.FromSeconds(42)));
        }

        [TestCase(-5.0)]
        [TestCase(3.0)]
        public void X_Ratelimit_Reset_is_measured_against_Date_when_the_local_clock_disagrees(double skewSeconds)
        {
            // A local clock off by more than Date's rounding: the server's own clock (Date) is the safe measure.
            using var response = TooMany();
            response.Headers.Date = Now;
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Remaining", "0");
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", (Now + TimeSpan.FromSeconds(42)).ToUnixTimeSeconds().ToString());
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now + TimeSpan.FromSeconds(skewSeconds)), Is.EqualTo(TimeSpan.FromSeconds(42)));
        }

        [Test]
        public void The_longest_signal_wins_so_a_retry_is_never_early()
        {
            using var response = TooMany();
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Remaining", "0");
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", (Now + TimeSpan.FromSeconds(44)).ToUnixTimeSeconds().ToString());
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromSeconds(44)));
        }

        [Test]
        public void A_reset_is_ignored_when_the_server_says_budget_remains()
        {
            // The 429 came from the per-second window; the minute window's reset is irrelevant.
            using var response = TooMany();
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Remaining", "120");
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", (Now + TimeSpan.FromSeconds(44)).ToUnixTimeSeconds().ToString());
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromSeconds(1)));
        }

        [TestCase(null)]
        [TestCase("<html><body>Too many</body></html>")]
        [TestCase("{\"error\":\"Rate limit exceeded\"}")]
        [TestCase("{not json")]
        public void No_signal_means_no_server_delay(string? body)
        {
            using var response = TooMany();
            Assert.That(RateLimitHeaders.GetRetryDelay(response, body, Now), Is.Null);
        }

        [Test]
        public void Absurd_values_are_capped_and_negative_ones_are_zero()
        {
            using var response = TooMany();
            response.Headers.TryAddWithoutValidation("retry_after", "999999999");
            Assert.That(RateLimitHeaders.GetRetryDelay(response, null, Now), Is.EqualTo(TimeSpan.FromHours(1)));

            using var past = TooMany();
            past.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", (Now - TimeSpan.FromSeconds(5)).ToUnixTimeSeconds().ToString());
            Assert.That(RateLimitHeaders.GetRetryDelay(past, null, Now), Is.EqualTo(TimeSpan.Zero));
        }
    }
}
