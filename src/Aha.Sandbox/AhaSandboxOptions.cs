using System;
using System.Collections.Generic;

namespace Aha.Sandbox
{
    /// <summary>
    /// Settings of an <see cref="AhaSandbox"/>. Every member has a default that behaves like Aha!:
    /// rate limits of 20 requests per second and 300 per minute, <c>per_page</c> up to 200 (default 30),
    /// seeded demo data, no chaos.
    /// </summary>
    public sealed class AhaSandboxOptions
    {
        /// <summary>The only bearer token the sandbox accepts (any other, or none, is answered with 403).</summary>
        public string Token { get; set; } = "sandbox-token-0123456789abcdef";

        /// <summary>TCP port on 127.0.0.1; 0 (the default) picks a free one. <see cref="AhaSandbox.BaseAddress"/> tells which.</summary>
        public int Port { get; set; }

        /// <summary>Seed of the demo data. The same seed always produces the same records, ids and values.</summary>
        public int Seed { get; set; } = 20261127;

        /// <summary>Whether to seed the generated demo data (products, releases, features, ideas, ...).</summary>
        public bool SeedDemoData { get; set; } = true;

        /// <summary>
        /// The moment the demo data is dated relative to ("now" for the demo): features and ideas are created over the
        /// eight weeks before it (some within the last hours) and updated up to it; releases are past, under way and
        /// planned around it. Null (the default) takes <see cref="TimeProvider"/>'s current time when the sandbox
        /// starts. The data is a function of <see cref="Seed"/>, the sizes and this moment (to the minute), so a test
        /// that compares against fixed values sets both.
        /// </summary>
        public DateTimeOffset? DemoDataAsOf { get; set; }

        /// <summary>
        /// Whether to seed the records shown in the named examples of the OpenAPI description (the copy of
        /// <c>openapi/aha.yaml</c> embedded in this assembly, or <see cref="SpecPath"/>).
        /// </summary>
        public bool SeedSpecExamples { get; set; } = true;

        /// <summary>
        /// Path of an OpenAPI description to read instead of the embedded copy; <see langword="null"/> uses the
        /// embedded one.
        /// </summary>
        public string? SpecPath { get; set; }

        /// <summary>Number of demo products (workspaces). At least 1.</summary>
        public int Products { get; set; } = 4;

        /// <summary>Number of demo features per product (spread over its releases and epics).</summary>
        public int FeaturesPerProduct { get; set; } = 750;

        /// <summary>Number of demo ideas per product.</summary>
        public int IdeasPerProduct { get; set; } = 500;

        /// <summary>Number of demo releases per product, plus one parking lot.</summary>
        public int ReleasesPerProduct { get; set; } = 5;

        /// <summary>
        /// Whether a custom field key that the record type does not define is accepted on write (its type is
        /// inferred from the value). By default an unknown key is answered with 400, which catches misspelt keys.
        /// </summary>
        public bool AllowUnknownCustomFields { get; set; }

        /// <summary>Shape of the pagination information in list answers. Can also be changed while running.</summary>
        public PaginationShape PaginationShape { get; set; } = PaginationShape.Object;

        /// <summary>Rate limiting (on by default, with Aha!'s numbers).</summary>
        public SandboxRateLimitOptions RateLimit { get; set; } = new SandboxRateLimitOptions();

        /// <summary>Fault injection (off by default).</summary>
        public SandboxChaosOptions Chaos { get; set; } = new SandboxChaosOptions();

        /// <summary>
        /// Activity webhooks: where the sandbox posts each audit (every write it serves), and how it retries. Off until
        /// a URL is set here or registered with <see cref="AhaSandbox.RegisterWebhook"/>.
        /// </summary>
        public SandboxWebhookOptions Webhooks { get; set; } = new SandboxWebhookOptions();

        /// <summary>
        /// The searches of older change history (<c>POST /historical_audits</c>, then <c>GET /historical_audits/{search_id}</c>):
        /// the account's search tokens, what a search reserves, how long it stays running and how its results are paged.
        /// </summary>
        public SandboxHistoricalAuditOptions HistoricalAudits { get; set; } = new SandboxHistoricalAuditOptions();

        /// <summary>
        /// Clock of the sandbox: rate-limit windows, <c>updated_at</c> of writes and chaos delays. Tests can pass a
        /// <c>FakeTimeProvider</c> to move time without sleeping.
        /// </summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        internal AhaSandboxOptions Clone()
        {
            var copy = (AhaSandboxOptions)MemberwiseClone();
            copy.RateLimit = RateLimit.Clone();
            copy.Chaos = Chaos.Clone();
            copy.Webhooks = Webhooks.Clone();
            copy.HistoricalAudits = HistoricalAudits.Clone();
            return copy;
        }

        internal void Validate()
        {
            if (string.IsNullOrWhiteSpace(Token))
            {
                throw new ArgumentException("A token is required.", nameof(Token));
            }

            if (Port < 0 || Port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(Port), "Port must be 0 (any free port) or a TCP port number.");
            }

            if (Products < 1 || FeaturesPerProduct < 0 || IdeasPerProduct < 0 || ReleasesPerProduct < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Products), "Demo data sizes must be positive (Products >= 1, ReleasesPerProduct >= 1).");
            }

            RateLimit.Validate();
            Chaos.Validate();
            Webhooks.Validate();
            HistoricalAudits.Validate();
        }
    }

    /// <summary>
    /// How the sandbox answers the searches of older change history. A search covers the sandbox's own change history
    /// (every write it served, whatever its age) within the search's time window and filters, as it stood when the search
    /// started. It reserves <see cref="SearchReservation"/> tokens at once; the first read that finds it done keeps one
    /// token plus one per audit found (at most the reservation) and gives the rest back. Every answer of these
    /// operations carries the tokens left in <c>X-Historical-Tokens-Available</c>. Tokens are not replenished while the
    /// sandbox runs.
    /// </summary>
    public sealed class SandboxHistoricalAuditOptions
    {
        /// <summary>The account's search tokens when the sandbox starts (default 1000).</summary>
        public int TokensAvailable { get; set; } = 1000;

        /// <summary>
        /// Tokens a search reserves when it starts (default 100). A search that would take the tokens below zero is
        /// refused with a 400 that says how many are left; nothing is reserved then.
        /// </summary>
        public int SearchReservation { get; set; } = 100;

        /// <summary>
        /// Reads of a new search's results that find it still running (<c>"running": true</c>, no audits) before the
        /// results are there (default 1; 0: done at once).
        /// </summary>
        public int PendingReads { get; set; } = 1;

        /// <summary>Audits per page of results; the next page is read with the <c>next_token</c> of the one before (default 100).</summary>
        public int ResultsPerPage { get; set; } = 100;

        internal SandboxHistoricalAuditOptions Clone() => (SandboxHistoricalAuditOptions)MemberwiseClone();

        internal void Validate()
        {
            if (TokensAvailable < 0 || SearchReservation < 1 || PendingReads < 0 || ResultsPerPage < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(TokensAvailable), "TokensAvailable and PendingReads must not be negative; SearchReservation and ResultsPerPage must be at least 1.");
            }
        }
    }

    /// <summary>
    /// How the sandbox delivers activity webhooks. Like Aha!, it posts <c>{"event":"audit","audit":{...}}</c> as JSON
    /// without a signature, one audit per request, in the order the audits were written.
    /// </summary>
    public sealed class SandboxWebhookOptions
    {
        /// <summary>The receiver's absolute http(s) URL; null (the default) posts nothing.</summary>
        public Uri? Url { get; set; }

        /// <summary>Attempts per audit, the first included (default 3). After the last failure the audit is counted in <see cref="SandboxStatistics.WebhookFailures"/> and the next one is sent.</summary>
        public int MaxAttempts { get; set; } = 3;

        /// <summary>Wait before the second attempt; the n-th retry waits n times as long (default 1 second, on the sandbox's <see cref="AhaSandboxOptions.TimeProvider"/>).</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How long one attempt may take before it counts as failed (default 5 seconds, the time Aha! gives a receiver).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

        internal SandboxWebhookOptions Clone() => (SandboxWebhookOptions)MemberwiseClone();

        internal void Validate()
        {
            if (Url != null)
            {
                CheckUrl(Url, nameof(Url));
            }

            if (MaxAttempts < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxAttempts), "At least one attempt is needed.");
            }

            if (RetryDelay < TimeSpan.Zero || Timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(RetryDelay), "RetryDelay must not be negative and Timeout must be positive.");
            }
        }

        internal static void CheckUrl(Uri url, string parameter)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"The webhook URL must be an absolute http or https URL, got '{url}'.", parameter);
            }
        }
    }

    /// <summary>Where a list answer carries its pagination information (every shape appears in Aha!'s documents).</summary>
    public enum PaginationShape
    {
        /// <summary><c>"pagination": {"total_records", "total_pages", "current_page"}</c> (the canonical form).</summary>
        Object,

        /// <summary><c>"pagination": [{"total_records", "total_pages", "current_page"}]</c> (the overview's example).</summary>
        ArrayOfOne,

        /// <summary><c>"meta": {"pagination": {..., "per_page", "next_page", "prev_page"}}</c>.</summary>
        MetaPagination,

        /// <summary>No pagination information at all (a client can only keep reading while pages come back full).</summary>
        Absent,
    }

    /// <summary>Which rate-limit signals a 429 answer carries.</summary>
    [Flags]
    public enum RateLimitSignals
    {
        /// <summary>None: a bare 429.</summary>
        None = 0,

        /// <summary>The standard <c>Retry-After</c> header, in whole seconds.</summary>
        RetryAfter = 1,

        /// <summary>A <c>retry_after</c> header (with an underscore), in whole seconds.</summary>
        RetryAfterUnderscore = 2,

        /// <summary><c>X-Ratelimit-Limit</c>, <c>X-Ratelimit-Remaining</c> and <c>X-Ratelimit-Reset</c> (UTC epoch seconds).</summary>
        XRatelimit = 4,

        /// <summary>The JSON body <c>{"error", "message", "retry_after"}</c>.</summary>
        Body = 8,

        /// <summary>Every signal.</summary>
        All = RetryAfter | RetryAfterUnderscore | XRatelimit | Body,
    }

    /// <summary>Rate limiting per source IP, as Aha! does it: at most N accepted requests in any window.</summary>
    public sealed class SandboxRateLimitOptions
    {
        /// <summary>Whether requests are limited at all.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>Accepted requests allowed in any <see cref="ShortWindow"/> (Aha!: 20 per second).</summary>
        public int ShortWindowLimit { get; set; } = 20;

        /// <summary>Length of the short window before <see cref="TimeScale"/> applies (Aha!: 1 second).</summary>
        public TimeSpan ShortWindow { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Accepted requests allowed in any <see cref="LongWindow"/> (Aha!: 300 per minute).</summary>
        public int LongWindowLimit { get; set; } = 300;

        /// <summary>Length of the long window before <see cref="TimeScale"/> applies (Aha!: 60 seconds).</summary>
        public TimeSpan LongWindow { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Speed-up factor for tests on a real clock: the windows last <c>window / TimeScale</c> (10 makes the minute
        /// window 6 s). Waits announced in <c>Retry-After</c> stay whole seconds, rounded up, as HTTP requires.
        /// </summary>
        public double TimeScale { get; set; } = 1.0;

        /// <summary>Signals sent with a 429 answer.</summary>
        public RateLimitSignals On429 { get; set; } = RateLimitSignals.All;

        /// <summary>Whether every answer (not only a 429) carries <c>X-Ratelimit-Limit/Remaining/Reset</c>.</summary>
        public bool XRatelimitOnEveryResponse { get; set; } = true;

        internal TimeSpan ScaledShortWindow => TimeSpan.FromTicks((long)(ShortWindow.Ticks / TimeScale));

        internal TimeSpan ScaledLongWindow => TimeSpan.FromTicks((long)(LongWindow.Ticks / TimeScale));

        internal SandboxRateLimitOptions Clone() => (SandboxRateLimitOptions)MemberwiseClone();

        internal void Validate()
        {
            if (ShortWindowLimit < 1 || LongWindowLimit < 1 || ShortWindow <= TimeSpan.Zero || LongWindow <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(ShortWindowLimit), "Rate-limit windows and limits must be positive.");
            }

            if (!(TimeScale > 0) || double.IsInfinity(TimeScale))
            {
                throw new ArgumentOutOfRangeException(nameof(TimeScale), "TimeScale must be a positive finite number.");
            }
        }
    }

    /// <summary>
    /// Fault injection. Each rate is the fraction (0 to 1) of authenticated, not rate-limited requests that suffer the
    /// fault; at most one fault hits a request. The choice is a pure function of <see cref="Seed"/>, the request's
    /// method and URL, and how many times that same request was seen before, so a run is repeatable and a retry of a
    /// failed request gets a fresh draw.
    /// </summary>
    public sealed class SandboxChaosOptions
    {
        /// <summary>Seed of the fault draws.</summary>
        public int Seed { get; set; } = 1;

        /// <summary>Fraction answered with a JSON 500, 502, 503 or 504 before the request is processed.</summary>
        public double ServerErrorRate { get; set; }

        /// <summary>Fraction whose connection is dropped before any answer (the request is not processed).</summary>
        public double DroppedConnectionRate { get; set; }

        /// <summary>Fraction delayed by <see cref="SlowResponseDelay"/> before being processed normally.</summary>
        public double SlowResponseRate { get; set; }

        /// <summary>Delay of a slow response (measured on <see cref="AhaSandboxOptions.TimeProvider"/>).</summary>
        public TimeSpan SlowResponseDelay { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Fraction processed normally whose body is cut in half: the headers promise the full length, then the
        /// connection is closed. A truncated write has been committed.
        /// </summary>
        public double TruncatedBodyRate { get; set; }

        /// <summary>Fraction answered with a 502 or 503 HTML page (as a proxy or load balancer would).</summary>
        public double HtmlErrorPageRate { get; set; }

        /// <summary>
        /// Fraction of POST requests that are processed (the record is created) but answered with a 500, or whose
        /// connection is dropped, so the client cannot know that the write happened. A client that retries such a POST
        /// creates a duplicate, which <see cref="SandboxStatistics.DuplicateCreations"/> counts.
        /// </summary>
        public double FailAfterCommitRate { get; set; }

        internal bool Any => ServerErrorRate > 0 || DroppedConnectionRate > 0 || SlowResponseRate > 0 || TruncatedBodyRate > 0
            || HtmlErrorPageRate > 0 || FailAfterCommitRate > 0;

        internal SandboxChaosOptions Clone() => (SandboxChaosOptions)MemberwiseClone();

        internal void Validate()
        {
            foreach (var rate in new[] { ServerErrorRate, DroppedConnectionRate, SlowResponseRate, TruncatedBodyRate, HtmlErrorPageRate, FailAfterCommitRate })
            {
                if (!(rate >= 0 && rate <= 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(ServerErrorRate), "Chaos rates are fractions between 0 and 1.");
                }
            }

            if (ServerErrorRate + DroppedConnectionRate + SlowResponseRate + TruncatedBodyRate + HtmlErrorPageRate + FailAfterCommitRate > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ServerErrorRate), "The chaos rates add up to more than 1.");
            }

            if (SlowResponseDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(SlowResponseDelay));
            }
        }
    }

    /// <summary>The kinds of fault the chaos options inject.</summary>
    public enum ChaosFault
    {
        /// <summary>A JSON 5xx answer before processing.</summary>
        ServerError,

        /// <summary>The connection was dropped before processing.</summary>
        DroppedConnection,

        /// <summary>The answer was delayed.</summary>
        SlowResponse,

        /// <summary>The body was cut short after processing.</summary>
        TruncatedBody,

        /// <summary>An HTML error page before processing.</summary>
        HtmlErrorPage,

        /// <summary>A POST was processed, then failed (500 or dropped connection).</summary>
        FailAfterCommit,
    }
}
