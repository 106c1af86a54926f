using System;
using System.Threading.RateLimiting;
using Aha.Client.Configuration;
using Microsoft.Extensions.Logging;

namespace Aha.Client.RateLimiting
{
    /// <summary>
    /// Where the rate-limit budget lives. The default (no backend) is a limiter in this process; a backend can keep the
    /// budget elsewhere so that several processes or machines behind one IP address share it, for example Redis with
    /// <c>options.RateLimit.UseRedis(...)</c> from the <c>Aha.Client.Redis</c> package.
    /// Set it as <see cref="AhaRateLimitOptions.Backend"/>.
    /// </summary>
    /// <remarks>
    /// A backend is asked for a limiter each time a pipeline is built (each <c>new AhaClient(options)</c>, each
    /// dependency-injection container), after configuration binding, with the final limits, clock and logger factory.
    /// Return the same limiter for the same settings so that every client in the process shares one budget. The client
    /// disposes each lease when the response has arrived; the limiter should implement
    /// <see cref="IAhaPausableRateLimiter"/> so that a server signal (<c>X-Ratelimit-Remaining: 0</c> or a 429) holds
    /// everyone sharing the budget.
    /// </remarks>
    public abstract class AhaRateLimitBackend
    {
        /// <summary>Returns the limiter that paces requests for these settings (shared by clients with equal settings).</summary>
        /// <param name="context">The limits, clock and logger factory of the pipeline being built.</param>
        /// <returns>A limiter safe to use from several threads; its lifetime belongs to the backend.</returns>
        public abstract RateLimiter GetLimiter(AhaRateLimitBackendContext context);
    }

    /// <summary>What a pipeline tells an <see cref="AhaRateLimitBackend"/> when it asks for a limiter.</summary>
    public sealed class AhaRateLimitBackendContext
    {
        /// <summary>Creates the context.</summary>
        /// <param name="options">The rate-limit options (a snapshot taken when the pipeline was built).</param>
        /// <param name="timeProvider">The clock of the pipeline.</param>
        /// <param name="loggerFactory">Where the backend should log (for example a fallback warning).</param>
        public AhaRateLimitBackendContext(AhaRateLimitOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            RequestsPerSecond = options.RequestsPerSecond;
            RequestsPerMinute = options.RequestsPerMinute;
            SafetyMargin = options.SafetyMargin;
            MaxArrivalDelay = options.MaxArrivalDelay;
            QueueLimit = options.QueueLimit;
            TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
            LoggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        }

        /// <summary>Requests allowed in any one-second window (<see cref="AhaRateLimitOptions.RequestsPerSecond"/>).</summary>
        public int RequestsPerSecond { get; }

        /// <summary>Requests allowed in any one-minute window (<see cref="AhaRateLimitOptions.RequestsPerMinute"/>).</summary>
        public int RequestsPerMinute { get; }

        /// <summary>Added to each window before a request's place in it is reused (<see cref="AhaRateLimitOptions.SafetyMargin"/>).</summary>
        public TimeSpan SafetyMargin { get; }

        /// <summary>
        /// Longest time assumed for a request to reach Aha! once granted (<see cref="AhaRateLimitOptions.MaxArrivalDelay"/>);
        /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (the default): no assumption, a permit holds its place until released.
        /// </summary>
        public TimeSpan MaxArrivalDelay { get; }

        /// <summary>How many requests may wait for a permit (<see cref="AhaRateLimitOptions.QueueLimit"/>).</summary>
        public int QueueLimit { get; }

        /// <summary>The clock of the pipeline.</summary>
        public TimeProvider TimeProvider { get; }

        /// <summary>Where the backend should log.</summary>
        public ILoggerFactory LoggerFactory { get; }

        /// <summary>
        /// The windows of these limits, longest first: one minute, then one second (a backend may scale them, for
        /// instance in tests).
        /// </summary>
        /// <returns>The two windows.</returns>
        public RateLimitWindow[] GetWindows() => new[]
        {
            new RateLimitWindow(RequestsPerMinute, TimeSpan.FromMinutes(1)),
            new RateLimitWindow(RequestsPerSecond, TimeSpan.FromSeconds(1)),
        };

        /// <summary>A new in-process limiter with these settings: what the client uses without a backend.</summary>
        /// <returns>A new limiter; the caller disposes it.</returns>
        public SlidingWindowLogRateLimiter CreateInProcessLimiter()
        {
            var options = SlidingWindowLogRateLimiterOptions.ForAha(RequestsPerSecond, RequestsPerMinute);
            options.SafetyMargin = SafetyMargin;
            options.MaxArrivalDelay = MaxArrivalDelay;
            options.QueueLimit = QueueLimit;
            options.TimeProvider = TimeProvider;
            return new SlidingWindowLogRateLimiter(options);
        }
    }

    /// <summary>
    /// A limiter that can hold every grant until a given moment, because the server said the budget is spent
    /// (<c>X-Ratelimit-Remaining: 0</c> with <c>X-Ratelimit-Reset</c>, or a 429 with its delay). The client calls it for
    /// every such signal when <see cref="AhaRateLimitOptions.PauseOnServerSignal"/> is on.
    /// </summary>
    public interface IAhaPausableRateLimiter
    {
        /// <summary>Holds every grant until <paramref name="until"/>; queued callers keep their place.</summary>
        /// <param name="until">When granting may resume, in the time of the limiter's clock.</param>
        void PauseUntil(DateTimeOffset until);
    }

    /// <summary>
    /// A lease that can be handed back uncounted. The client calls <see cref="Refund"/> instead of disposing the lease
    /// when the server refused the attempt (429): whether the server counted it is then the server's to say, through the
    /// delay it sends and its <c>X-Ratelimit-*</c> headers (which pause the limiter), not a fixed assumption, and a
    /// budget shared through a backend does not keep (or replay) attempts that were refused.
    /// </summary>
    public interface IAhaRefundableLease
    {
        /// <summary>Releases the permit without counting it against any window; the lease is disposed.</summary>
        void Refund();
    }
}
