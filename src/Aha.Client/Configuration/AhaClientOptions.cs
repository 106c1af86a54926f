using System;
using Aha.Client.Authentication;

namespace Aha.Client.Configuration
{
    /// <summary>
    /// Settings of an <see cref="AhaClient"/>: where to send requests, how to authenticate, how fast to go and how
    /// hard to retry. Bound from the <c>"Aha"</c> configuration section by <c>services.AddAhaClient()</c>, or passed to
    /// <c>new AhaClient(options)</c>. Validated when the client is built (see <see cref="AhaClientOptionsValidator"/>).
    /// </summary>
    public sealed class AhaClientOptions
    {
        /// <summary>The configuration section bound by <c>services.AddAhaClient()</c>: <c>"Aha"</c>.</summary>
        public const string SectionName = "Aha";

        /// <summary>
        /// The account subdomain: <c>company</c> for <c>https://company.aha.io</c>. Used to build the base URL when
        /// <see cref="BaseUrl"/> is not set, and sent as <c>X-Aha-Account</c> when <see cref="BaseUrl"/> is the shared
        /// host <c>https://secure.aha.io</c>.
        /// </summary>
        public string? Account { get; set; }

        /// <summary>
        /// The API root, for example <c>https://company.aha.io/api/v1/</c> or <c>https://secure.aha.io/api/v1/</c>
        /// (then set <see cref="Account"/>). A URL without a path gets <c>/api/v1/</c>. Must be HTTPS, except for
        /// loopback addresses (local test servers).
        /// </summary>
        public Uri? BaseUrl { get; set; }

        /// <summary>
        /// An Aha! API key or OAuth2 access token, sent as <c>Authorization: Bearer ...</c>. Never logged and never
        /// part of an exception message. Leave empty when <see cref="TokenProvider"/> is set.
        /// </summary>
        public string? Token { get; set; }

        /// <summary>
        /// Supplies the bearer token for every attempt, for OAuth2 tokens that expire and must be refreshed. Takes
        /// precedence over <see cref="Token"/>.
        /// </summary>
        public IAhaTokenProvider? TokenProvider { get; set; }

        /// <summary>
        /// Who you are and how to reach you, for example <c>Nightly roadmap export (ops@example.com)</c>. Aha! asks
        /// every integration to send one. It is appended to the SDK's own product token in the <c>User-Agent</c>.
        /// </summary>
        public string? UserAgent { get; set; }

        /// <summary>Client-side pacing to stay under Aha!'s 20 requests per second and 300 per minute.</summary>
        public AhaRateLimitOptions RateLimit { get; set; } = new AhaRateLimitOptions();

        /// <summary>Retries, timeouts and circuit breaker.</summary>
        public AhaResilienceOptions Resilience { get; set; } = new AhaResilienceOptions();

        /// <summary>
        /// The clock used by the limiter, retries and timeouts. Null means the one registered in the service
        /// container, or <see cref="System.TimeProvider.System"/>. Tests set a fake one.
        /// </summary>
        public TimeProvider? TimeProvider { get; set; }

        /// <summary>Describes the options without the token.</summary>
        /// <returns>A text safe to log.</returns>
        public override string ToString()
        {
            var token = string.IsNullOrEmpty(Token) ? "(none)" : "[redacted]";
            return $"AhaClientOptions {{ Account = {Account ?? "(none)"}, BaseUrl = {BaseUrl?.ToString() ?? "(none)"}, Token = {token}, TokenProvider = {(TokenProvider is null ? "(none)" : TokenProvider.GetType().Name)}, UserAgent = {UserAgent ?? "(none)"} }}";
        }
    }
}
