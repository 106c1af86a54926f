using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.Extensions.Options;

namespace Aha.Client.Configuration
{
    /// <summary>
    /// Checks <see cref="AhaClientOptions"/> when a client is built (at start-up with
    /// <c>services.AddAhaClient()</c>, in the constructor with <c>new AhaClient(options)</c>), with messages that say
    /// what to change. Messages never contain the token.
    /// </summary>
    public sealed class AhaClientOptionsValidator : IValidateOptions<AhaClientOptions>
    {
        private static readonly Regex AccountPattern = new Regex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // The longest delay or duration Polly's strategy options accept (retry Delay and MaxDelay, the breaker's durations).
        // Checked here, with the other bounds Polly checks (0.5 s minimum of the breaker's durations, a failure ratio in
        // (0, 1]), so that options that pass this validator always build the Polly pipelines, and options that do not
        // fail with the list of every problem rather than with Polly's exception about its own option types. A property,
        // not a static field: reading a static field would run the type's initializer, and with it the account
        // pattern's Regex construction, on every start-up.
        private static TimeSpan MaxPollyDuration => TimeSpan.FromTicks(TimeSpan.TicksPerDay);

        /// <summary>The host that serves every account and needs the <c>X-Aha-Account</c> header.</summary>
        internal const string SharedHost = "secure.aha.io";

        /// <inheritdoc />
        public ValidateOptionsResult Validate(string? name, AhaClientOptions options)
        {
            var failures = GetFailures(options);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        /// <summary>Returns every problem found in <paramref name="options"/>; empty when they are valid.</summary>
        /// <param name="options">The options to check.</param>
        /// <returns>One message per problem.</returns>
        public static IReadOnlyList<string> GetFailures(AhaClientOptions? options)
        {
            var failures = new List<string>();
            if (options is null)
            {
                failures.Add("AhaClientOptions are missing.");
                return failures;
            }

            ValidateEndpoint(options, failures);
            ValidateAuthentication(options, failures);
            ValidateRateLimit(options.RateLimit, failures);
            ValidateResilience(options.Resilience, failures);
            return failures;
        }

        /// <summary>Throws an <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
        /// <param name="options">The options to check.</param>
        public static void ThrowIfInvalid(AhaClientOptions? options)
        {
            var failures = GetFailures(options);
            if (failures.Count > 0)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(AhaClientOptions), failures);
            }
        }

        /// <summary>The API root the options point at (with a trailing slash), or null when they are invalid.</summary>
        /// <param name="options">Valid options.</param>
        /// <returns>The base address for <see cref="System.Net.Http.HttpClient.BaseAddress"/>.</returns>
        internal static Uri ResolveBaseAddress(AhaClientOptions options)
        {
            if (options.BaseUrl is null)
            {
                return new Uri($"https://{options.Account!.Trim().ToLowerInvariant()}.aha.io/api/v1/");
            }

            var builder = new UriBuilder(options.BaseUrl);
            var path = builder.Path;
            if (string.IsNullOrEmpty(path) || path == "/")
            {
                path = "/api/v1/";
            }
            else if (!path.EndsWith("/", StringComparison.Ordinal))
            {
                path += "/";
            }

            builder.Path = path;
            builder.Query = string.Empty;
            builder.Fragment = string.Empty;
            return builder.Uri;
        }

        /// <summary>The value of <c>X-Aha-Account</c>, or null when the host already names the account.</summary>
        /// <param name="options">Valid options.</param>
        /// <returns>The account to send in the header, if any.</returns>
        internal static string? ResolveAccountHeader(AhaClientOptions options)
        {
            if (options.BaseUrl is null || string.IsNullOrWhiteSpace(options.Account))
            {
                return null;
            }

            var account = options.Account!.Trim();
            return string.Equals(options.BaseUrl.Host, account + ".aha.io", StringComparison.OrdinalIgnoreCase) ? null : account;
        }

        private static void ValidateEndpoint(AhaClientOptions o, List<string> failures)
        {
            // Spaces around the name are trimmed; a line break or another control character is refused, also at the end:
            // it usually means the value was read from a file or a secret with a trailing newline, which is worth fixing
            // at the source rather than hiding. Messages show such characters escaped (\r, \n), never raw.
            var account = o.Account?.Trim(' ');
            if (account != null && HasControlCharacter(account))
            {
                failures.Add($"AhaClientOptions.Account '{Printable(account)}' contains a line break or another control character: give only the subdomain ('company' for https://company.aha.io). A value read from a file or a secret often ends in a newline.");
            }
            else if (!string.IsNullOrEmpty(account) && !AccountPattern.IsMatch(account!))
            {
                var hint = account!.IndexOf('.') >= 0
                    ? " Give only the subdomain: 'company' for https://company.aha.io (or set BaseUrl to the full URL)."
                    : " Use the subdomain of your Aha! URL: letters, digits and hyphens, for example 'company' for https://company.aha.io.";
                failures.Add($"AhaClientOptions.Account '{Printable(account)}' is not a valid Aha! account name: it may contain only letters, digits and inner hyphens.{hint}");
            }

            if (o.BaseUrl is null)
            {
                if (string.IsNullOrEmpty(account))
                {
                    failures.Add("AhaClientOptions: set Account (your subdomain, 'company' for https://company.aha.io) or BaseUrl (the API root, for example https://company.aha.io/api/v1/).");
                }

                return;
            }

            var url = o.BaseUrl;
            if (!url.IsAbsoluteUri)
            {
                failures.Add($"AhaClientOptions.BaseUrl '{Printable(url.OriginalString)}' must be an absolute URL such as https://company.aha.io/api/v1/.");
                return;
            }

            var isHttps = string.Equals(url.Scheme, "https", StringComparison.OrdinalIgnoreCase);
            var isHttp = string.Equals(url.Scheme, "http", StringComparison.OrdinalIgnoreCase);
            if (!isHttps && !(isHttp && IsLoopback(url)))
            {
                failures.Add(isHttp
                    ? $"AhaClientOptions.BaseUrl '{url.GetLeftPart(UriPartial.Authority)}' must use HTTPS: the token would travel in clear text. Plain HTTP is allowed only for loopback addresses (localhost, 127.0.0.1, [::1]) used by local test servers."
                    : $"AhaClientOptions.BaseUrl '{url.GetLeftPart(UriPartial.Authority)}' must be an https:// URL.");
            }

            if (!string.IsNullOrEmpty(url.UserInfo))
            {
                failures.Add("AhaClientOptions.BaseUrl must not contain a user name or password: put the API key or token in Token.");
            }

            if (string.Equals(url.Host, SharedHost, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(account))
            {
                failures.Add("AhaClientOptions: requests to https://secure.aha.io must name the account: set Account (sent as the X-Aha-Account header).");
            }
        }

        private static void ValidateAuthentication(AhaClientOptions o, List<string> failures)
        {
            if (o.TokenProvider is null)
            {
                if (string.IsNullOrWhiteSpace(o.Token))
                {
                    failures.Add("AhaClientOptions.Token is missing: set it to an Aha! API key (Settings > Personal > Developer > API keys) or an OAuth2 access token, or set TokenProvider.");
                }
                else if (o.Token!.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                {
                    failures.Add("AhaClientOptions.Token contains spaces or control characters: give only the key itself, without 'Bearer ' or line breaks.");
                }
            }

            if (o.UserAgent != null && o.UserAgent.Any(char.IsControl))
            {
                failures.Add("AhaClientOptions.UserAgent must not contain line breaks or other control characters.");
            }
            else if (o.UserAgent != null && o.UserAgent.Length > 256)
            {
                failures.Add("AhaClientOptions.UserAgent is longer than 256 characters: give a short name and a contact, for example 'Roadmap export (ops@example.com)'.");
            }
        }

        private static void ValidateRateLimit(AhaRateLimitOptions? r, List<string> failures)
        {
            if (r is null)
            {
                failures.Add("AhaClientOptions.RateLimit must not be null.");
                return;
            }

            if (r.Limiter != null)
            {
                if (r.Backend != null)
                {
                    failures.Add("AhaClientOptions.RateLimit: set either Limiter or Backend (for example UseRedis), not both.");
                }

                return;
            }

            if (r.RequestsPerSecond < 1)
            {
                failures.Add($"AhaClientOptions.RateLimit.RequestsPerSecond must be at least 1 (was {r.RequestsPerSecond}); Aha! allows 20.");
            }

            if (r.RequestsPerMinute < 1)
            {
                failures.Add($"AhaClientOptions.RateLimit.RequestsPerMinute must be at least 1 (was {r.RequestsPerMinute}); Aha! allows 300.");
            }

            if (r.SafetyMargin < TimeSpan.Zero || r.SafetyMargin > TimeSpan.FromSeconds(10))
            {
                failures.Add($"AhaClientOptions.RateLimit.SafetyMargin must be between 0 and 10 seconds (was {r.SafetyMargin}).");
            }

            if (r.MaxArrivalDelay != System.Threading.Timeout.InfiniteTimeSpan && (r.MaxArrivalDelay < TimeSpan.Zero || r.MaxArrivalDelay > TimeSpan.FromSeconds(30)))
            {
                failures.Add($"AhaClientOptions.RateLimit.MaxArrivalDelay must be between 0 and 30 seconds, or Timeout.InfiniteTimeSpan for no assumption (was {r.MaxArrivalDelay}).");
            }

            if (r.QueueLimit < 0)
            {
                failures.Add($"AhaClientOptions.RateLimit.QueueLimit must not be negative (was {r.QueueLimit}).");
            }
        }

        private static void ValidateResilience(AhaResilienceOptions? r, List<string> failures)
        {
            if (r is null)
            {
                failures.Add("AhaClientOptions.Resilience must not be null.");
                return;
            }

            if (r.MaxRetryAttempts < 0 || r.MaxRetryAttempts > 100)
            {
                failures.Add($"AhaClientOptions.Resilience.MaxRetryAttempts must be between 0 and 100 (was {r.MaxRetryAttempts}).");
            }

            if (r.BaseDelay <= TimeSpan.Zero || r.BaseDelay > MaxPollyDuration)
            {
                failures.Add($"AhaClientOptions.Resilience.BaseDelay must be positive and at most one day (was {r.BaseDelay}).");
            }

            if (r.MaxDelay < r.BaseDelay)
            {
                failures.Add($"AhaClientOptions.Resilience.MaxDelay ({r.MaxDelay}) must not be shorter than BaseDelay ({r.BaseDelay}).");
            }
            else if (r.MaxDelay > MaxPollyDuration)
            {
                failures.Add($"AhaClientOptions.Resilience.MaxDelay must be at most one day (was {r.MaxDelay}).");
            }

            CheckTimeout(r.AttemptTimeout, "AttemptTimeout", failures);
            CheckTimeout(r.TotalTimeout, "TotalTimeout", failures);
            if (r.TotalTimeout != Timeout.InfiniteTimeSpan && r.AttemptTimeout != Timeout.InfiniteTimeSpan && r.TotalTimeout < r.AttemptTimeout)
            {
                failures.Add($"AhaClientOptions.Resilience.TotalTimeout ({r.TotalTimeout}) must not be shorter than AttemptTimeout ({r.AttemptTimeout}).");
            }

            var cb = r.CircuitBreaker;
            if (cb is null)
            {
                failures.Add("AhaClientOptions.Resilience.CircuitBreaker must not be null.");
            }
            else if (cb.Enabled)
            {
                if (cb.FailureRatio <= 0 || cb.FailureRatio > 1)
                {
                    failures.Add($"AhaClientOptions.Resilience.CircuitBreaker.FailureRatio must be above 0 and at most 1 (was {cb.FailureRatio}).");
                }

                if (cb.MinimumThroughput < 2)
                {
                    failures.Add($"AhaClientOptions.Resilience.CircuitBreaker.MinimumThroughput must be at least 2 (was {cb.MinimumThroughput}).");
                }

                if (cb.SamplingDuration < TimeSpan.FromMilliseconds(500) || cb.SamplingDuration > MaxPollyDuration)
                {
                    failures.Add($"AhaClientOptions.Resilience.CircuitBreaker.SamplingDuration must be between 0.5 s and one day (was {cb.SamplingDuration}).");
                }

                if (cb.BreakDuration < TimeSpan.FromMilliseconds(500) || cb.BreakDuration > MaxPollyDuration)
                {
                    failures.Add($"AhaClientOptions.Resilience.CircuitBreaker.BreakDuration must be between 0.5 s and one day (was {cb.BreakDuration}).");
                }
            }
        }

        private static void CheckTimeout(TimeSpan value, string name, List<string> failures)
        {
            if (value != Timeout.InfiniteTimeSpan && value < TimeSpan.FromMilliseconds(10))
            {
                failures.Add($"AhaClientOptions.Resilience.{name} must be at least 10 ms, or Timeout.InfiniteTimeSpan to disable it (was {value}).");
            }
        }

        private static bool IsLoopback(Uri url)
        {
            if (url.IsLoopback || string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            return IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip);
        }

        private static bool HasControlCharacter(string text)
        {
            foreach (var c in text)
            {
                if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A value as it may appear in a message: control characters escaped (\r, \n, \u0007), cut at 80 characters.</summary>
        internal static string Printable(string value)
        {
            var text = new System.Text.StringBuilder();
            foreach (var c in value.Length > 80 ? value.Substring(0, 80) : value)
            {
                switch (c)
                {
                    case '\r': text.Append("\\r"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                        {
                            text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            text.Append(c);
                        }

                        break;
                }
            }

            return value.Length > 80 ? text.Append("...").ToString() : text.ToString();
        }
    }
}
