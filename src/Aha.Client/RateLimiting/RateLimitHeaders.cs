using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using Newtonsoft.Json.Linq;

namespace Aha.Client.RateLimiting
{
    /// <summary>
    /// Reads Aha!'s rate-limit signals. The documents disagree on how a 429 says when to retry, so every form is read:
    /// <c>Retry-After</c> (seconds or HTTP date), a <c>retry_after</c> header or JSON body field (seconds), and
    /// <c>X-Ratelimit-Reset</c> (UTC epoch seconds). Times from the server are converted to the local clock through
    /// the response's <c>Date</c> header when the local clock disagrees with it, so a skewed local clock does not shorten the
    /// wait (and an agreeing one does not lengthen it by Date's rounding to the second).
    /// </summary>
    internal static class RateLimitHeaders
    {
        internal const string Limit = "X-Ratelimit-Limit";
        internal const string Remaining = "X-Ratelimit-Remaining";
        internal const string Reset = "X-Ratelimit-Reset";
        internal const string RetryAfterUnderscore = "retry_after";

        private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

        private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

        /// <summary>The <c>X-Ratelimit-*</c> values of a response; the reset is in local-clock time.</summary>
        internal static (int? Limit, int? Remaining, DateTimeOffset? ResetsAt) ReadState(HttpResponseMessage response, DateTimeOffset localNow)
        {
            var limit = ReadInt(response, Limit);
            var remaining = ReadInt(response, Remaining);
            DateTimeOffset? resetsAt = null;
            if (ReadResetDelay(response, localNow) is { } delay)
            {
                resetsAt = localNow + delay;
            }

            return (limit, remaining, resetsAt);
        }

        /// <summary>
        /// How long the server asks us to wait before retrying, from every form it may use (the longest wins, so a retry
        /// is never early); null when the response names no delay.
        /// </summary>
        /// <param name="response">The 429 (or 503) response.</param>
        /// <param name="body">Its body, when already read; used for a JSON <c>retry_after</c> field.</param>
        /// <param name="localNow">Now, on the client's clock.</param>
        internal static TimeSpan? GetRetryDelay(HttpResponseMessage response, string? body, DateTimeOffset localNow)
        {
            TimeSpan? result = null;

            void Consider(TimeSpan? candidate)
            {
                if (candidate is { } c)
                {
                    c = c < TimeSpan.Zero ? TimeSpan.Zero : c > MaxDelay ? MaxDelay : c;
                    result = result is { } r && r >= c ? r : c;
                }
            }

            var retryAfter = response.Headers.RetryAfter;
            if (retryAfter?.Delta is { } delta)
            {
                Consider(delta);
            }
            else if (retryAfter?.Date is { } date)
            {
                Consider(date - ServerNow(response, localNow));
            }
            else if (FirstValue(response, "Retry-After") is { } rawRetryAfter && TryParseSeconds(rawRetryAfter, out var raw))
            {
                Consider(raw); // a fractional value the typed parser rejects
            }

            if (FirstValue(response, RetryAfterUnderscore) is { } underscore && TryParseSeconds(underscore, out var fromHeader))
            {
                Consider(fromHeader);
            }

            Consider(ReadBodyRetryAfter(body));

            // The reset names when the window with no budget left reopens; when the server says budget remains, the
            // 429 came from another window (the per-second one) and the reset would only make us wait too long.
            var remaining = ReadInt(response, Remaining);
            if (remaining is null || remaining <= 0)
            {
                Consider(ReadResetDelay(response, localNow));
            }

            return result;
        }

        /// <summary>The delay until <c>X-Ratelimit-Reset</c>, on the server's clock when it sent a <c>Date</c>.</summary>
        internal static TimeSpan? ReadResetDelay(HttpResponseMessage response, DateTimeOffset localNow)
        {
            var raw = FirstValue(response, Reset);
            if (raw is null || !double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < 0)
            {
                return null;
            }

            // Documented as UTC epoch seconds. Tolerate milliseconds, and a small number meaning "seconds from now".
            if (value > 100_000_000_000d)
            {
                value /= 1000d;
            }
            else if (value < 1_000_000_000d)
            {
                return TimeSpan.FromSeconds(Math.Min(value, MaxDelay.TotalSeconds));
            }

            var reset = DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000d));
            var delay = reset - ServerNow(response, localNow);
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
        }

        internal static TimeSpan? ReadBodyRetryAfter(string? body)
        {
            if (string.IsNullOrWhiteSpace(body) || body!.TrimStart()[0] != '{')
            {
                return null;
            }

            try
            {
                var json = JObject.Parse(body);
                var token = json[RetryAfterUnderscore] ?? json["error"]?.SelectToken(RetryAfterUnderscore) ?? json["errors"]?.SelectToken(RetryAfterUnderscore);
                if (token is null)
                {
                    return null;
                }

                return TryParseSeconds(token.ToString(), out var seconds) ? seconds : null;
            }
            catch (Exception ex) when (ex is Newtonsoft.Json.JsonException || ex is InvalidOperationException || ex is ArgumentException)
            {
                return null;
            }
        }

        // The server's "now" for its whole-second times. Date is truncated to the second, so the server's clock read
        // somewhere in [Date, Date + 1 s) when it answered. When the local clock falls in that interval the clocks agree
        // and the local one is exact (measuring from Date would add up to a second to every wait); when it does not, the
        // local clock is skewed and Date, the earliest the server's clock can read, is used: a wait is never too short.
        private static DateTimeOffset ServerNow(HttpResponseMessage response, DateTimeOffset localNow)
        {
            if (response.Headers.Date is not { } date)
            {
                return localNow;
            }

            var sinceDate = localNow - date;
            return sinceDate >= TimeSpan.Zero && sinceDate < OneSecond ? localNow : date;
        }

        private static bool TryParseSeconds(string raw, out TimeSpan value)
        {
            if (double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && !double.IsNaN(seconds) && !double.IsInfinity(seconds) && seconds >= 0)
            {
                value = TimeSpan.FromSeconds(Math.Min(seconds, MaxDelay.TotalSeconds));
                return true;
            }

            value = default;
            return false;
        }

        private static int? ReadInt(HttpResponseMessage response, string name)
        {
            var raw = FirstValue(response, name);
            return raw != null && int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        private static string? FirstValue(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }

            return response.Content != null && response.Content.Headers.TryGetValues(name, out IEnumerable<string>? contentValues) ? contentValues.FirstOrDefault() : null;
        }
    }
}
