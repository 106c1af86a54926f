using System;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Aha.Client;
using Aha.Client.Configuration;
using Aha.Client.RateLimiting;
using Microsoft.Extensions.Logging;

// In the sandbox's namespace on purpose: `using Aha.Sandbox;` is all a test needs for `sandbox.CreateClient()`.
namespace Aha.Sandbox
{
    /// <summary>
    /// Connects the Aha! client to a running <see cref="AhaSandbox"/>:
    /// <code>
    /// await using var sandbox = await AhaSandbox.StartAsync(options);
    /// var aha = sandbox.CreateClient();
    /// await foreach (var feature in aha.Features.ListAllAsync()) { ... }
    /// </code>
    /// The client has the full pipeline (rate limiter, retries, typed errors, telemetry) that a production client has.
    /// </summary>
    /// <remarks>
    /// <para><b>Rate limits agree.</b> The sandbox counts requests per source IP in two sliding windows
    /// (<see cref="SandboxRateLimitOptions.ShortWindowLimit"/> per <see cref="SandboxRateLimitOptions.ShortWindow"/>
    /// and <see cref="SandboxRateLimitOptions.LongWindowLimit"/> per <see cref="SandboxRateLimitOptions.LongWindow"/>,
    /// both divided by <see cref="SandboxRateLimitOptions.TimeScale"/>). A client built here does not use the
    /// process-wide 20/s + 300/min budget: it draws from a limiter made for this sandbox
    /// (<see cref="GetClientRateLimiter"/>) with exactly the sandbox's limits and scaled windows, shared by every client
    /// created from the same sandbox (the sandbox sees them all as one IP address). So a client paced by it never gets
    /// a 429 from its own requests, at any time scale, and a test at <c>TimeScale = 10</c> runs the real ratio of
    /// Aha!'s limits ten times faster.</para>
    /// <para>Two things stay in whole seconds, as HTTP requires: a 429's <c>Retry-After</c> and
    /// <c>X-Ratelimit-Reset</c>. A client that does get a 429 (because other code shares the sandbox without the
    /// limiter), or that sees <c>X-Ratelimit-Remaining: 0</c>, waits until that whole second, which at a time scale
    /// of 10 is longer than the scaled window: slower than needed, never too early.</para>
    /// <para><b>Clock.</b> When the sandbox runs on its own <see cref="TimeProvider"/> (a <c>FakeTimeProvider</c> in a
    /// test), the client uses the same one for its limiter, retries and timeouts, so the two agree on time; advance it
    /// from the test. Override any of this in <c>configure</c>.</para>
    /// </remarks>
    public static class AhaSandboxClientExtensions
    {
        /// <summary>
        /// Safety margin of the sandbox's client limiter before scaling: 50 ms, more than the client's default of 5 ms
        /// (<see cref="AhaRateLimitOptions.SafetyMargin"/>), because tests run scaled windows on busy CI machines and
        /// must never see a 429 they did not ask for.
        /// </summary>
        private static readonly TimeSpan UnscaledMargin = TimeSpan.FromMilliseconds(50);

        private static readonly ConditionalWeakTable<AhaSandbox, RateLimiter> Limiters = new ConditionalWeakTable<AhaSandbox, RateLimiter>();

        /// <summary>
        /// Creates an <see cref="AhaClient"/> pointed at the sandbox, with its token, its clock and a rate limiter that
        /// matches its limits (see the class remarks). The client uses the shared transport and needs no disposal.
        /// </summary>
        /// <param name="sandbox">A running sandbox.</param>
        /// <param name="configure">Changes the options after they were set for the sandbox (retries, timeouts, user
        /// agent, ...). Set <c>RateLimit.Limiter = null</c> to use the client's own <c>RequestsPerSecond</c> and
        /// <c>RequestsPerMinute</c> instead of the sandbox's limits.</param>
        /// <returns>The client.</returns>
        public static AhaClient CreateClient(this AhaSandbox sandbox, Action<AhaClientOptions>? configure = null)
            => new AhaClient(sandbox.CreateClientOptions(configure));

        /// <summary>
        /// Creates an <see cref="AhaClient"/> pointed at the sandbox, like <see cref="CreateClient(AhaSandbox, Action{AhaClientOptions}?)"/>,
        /// that writes its log events (retries, rate-limit waits, 429s) to <paramref name="loggerFactory"/>.
        /// </summary>
        /// <param name="sandbox">A running sandbox.</param>
        /// <param name="loggerFactory">Where the client's log events go (category <c>Aha.Client</c>).</param>
        /// <param name="configure">Changes the options after they were set for the sandbox.</param>
        /// <returns>The client.</returns>
        public static AhaClient CreateClient(this AhaSandbox sandbox, ILoggerFactory loggerFactory, Action<AhaClientOptions>? configure = null)
            => new AhaClient(sandbox.CreateClientOptions(configure), primaryHandler: null, loggerFactory);

        /// <summary>
        /// Options for a client of the sandbox, for <c>new AhaClient(options, ...)</c>; with dependency injection use
        /// <c>services.AddAhaClient(o =&gt; sandbox.ConfigureClientOptions(o))</c>.
        /// </summary>
        /// <param name="sandbox">A running sandbox.</param>
        /// <param name="configure">Changes the options after they were set for the sandbox.</param>
        /// <returns>New options.</returns>
        public static AhaClientOptions CreateClientOptions(this AhaSandbox sandbox, Action<AhaClientOptions>? configure = null)
        {
            var options = new AhaClientOptions();
            sandbox.ConfigureClientOptions(options);
            configure?.Invoke(options);
            return options;
        }

        /// <summary>
        /// Points existing options at the sandbox: <see cref="AhaClientOptions.BaseUrl"/> (loopback <c>http</c>, which the
        /// options validation allows), <see cref="AhaClientOptions.Token"/>, the sandbox's clock, and the sandbox's rate
        /// limits through <see cref="GetClientRateLimiter"/>. A <see cref="AhaClientOptions.UserAgent"/> already set is kept.
        /// </summary>
        /// <param name="sandbox">A running sandbox.</param>
        /// <param name="options">The options to change.</param>
        public static void ConfigureClientOptions(this AhaSandbox sandbox, AhaClientOptions options)
        {
            if (sandbox is null)
            {
                throw new ArgumentNullException(nameof(sandbox));
            }

            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.BaseUrl = sandbox.BaseAddress;
            options.Account = null;
            options.Token = sandbox.Token;
            options.TokenProvider = null;
            options.UserAgent ??= "Aha.Client.Testing (sandbox)";

            var sandboxTime = sandbox.Options.TimeProvider;
            if (!ReferenceEquals(sandboxTime, TimeProvider.System))
            {
                options.TimeProvider = sandboxTime;
            }

            options.RateLimit ??= new AhaRateLimitOptions();
            var limits = sandbox.Options.RateLimit;
            options.RateLimit.Enabled = limits.Enabled;
            options.RateLimit.Limiter = limits.Enabled ? sandbox.GetClientRateLimiter() : null;
        }

        /// <summary>
        /// The rate limiter that clients of this sandbox share: a <see cref="SlidingWindowLogRateLimiter"/> with the
        /// sandbox's two limits over its windows divided by <see cref="SandboxRateLimitOptions.TimeScale"/>, on the
        /// sandbox's clock, with a safety margin of 50 ms divided by the same scale. One per sandbox, created on first
        /// use and released with the sandbox.
        /// </summary>
        /// <param name="sandbox">A running sandbox.</param>
        /// <returns>The limiter.</returns>
        public static RateLimiter GetClientRateLimiter(this AhaSandbox sandbox)
        {
            if (sandbox is null)
            {
                throw new ArgumentNullException(nameof(sandbox));
            }

            return Limiters.GetValue(sandbox, CreateLimiter);
        }

        /// <summary>The windows a client of the sandbox must respect: the sandbox's limits over its scaled windows.</summary>
        /// <param name="sandbox">A running sandbox.</param>
        /// <returns>The limiter options (long window first).</returns>
        internal static SlidingWindowLogRateLimiterOptions LimiterOptionsFor(AhaSandbox sandbox)
        {
            var limits = sandbox.Options.RateLimit;
            var options = new SlidingWindowLogRateLimiterOptions
            {
                SafetyMargin = Scale(UnscaledMargin, limits.TimeScale),
                TimeProvider = sandbox.Options.TimeProvider,
            };
            options.Windows.Add(new RateLimitWindow(limits.LongWindowLimit, Scale(limits.LongWindow, limits.TimeScale)));
            options.Windows.Add(new RateLimitWindow(limits.ShortWindowLimit, Scale(limits.ShortWindow, limits.TimeScale)));
            return options;
        }

        // The same arithmetic as the sandbox's own scaled windows (window ticks / scale, truncated).
        private static TimeSpan Scale(TimeSpan window, double timeScale) => TimeSpan.FromTicks((long)(window.Ticks / timeScale));

        private static RateLimiter CreateLimiter(AhaSandbox sandbox) => new SlidingWindowLogRateLimiter(LimiterOptionsFor(sandbox));
    }
}
