using System;
using System.Threading;

namespace Aha.Client.Configuration
{
    /// <summary>
    /// Retries, timeouts and circuit breaker. A 429 is retried for every method after the server's delay; other
    /// transient failures (408, 500, 502, 503, 504, attempt timeouts, connection failures) only for GET, PUT and
    /// DELETE, because a POST may already have been processed. Per call, <see cref="Resilience.AhaRequestOptions"/>
    /// overrides these values.
    /// </summary>
    public sealed class AhaResilienceOptions
    {
        /// <summary>Retries after the first attempt. 0 disables retries. Default: 6.</summary>
        public int MaxRetryAttempts { get; set; } = 6;

        /// <summary>First delay of the exponential backoff used when the server gives no delay; above zero, at most one day. Default: 1 s.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Cap of the exponential backoff (not of a delay the server asks for); at least <see cref="BaseDelay"/>, at most one day. Default: 30 s.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Whether backoff delays are randomised so that concurrent callers spread out. Default: true.</summary>
        public bool UseJitter { get; set; } = true;

        /// <summary>
        /// Longest time one attempt may take on the wire, from sending to the end of the response body. Time waiting for
        /// a rate-limit permit is not included. <see cref="Timeout.InfiniteTimeSpan"/> disables it. Default: 100 s.
        /// </summary>
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>
        /// Longest time a call may take in all, including rate-limit waits, every attempt and the delays between them.
        /// The default, 5 minutes, outlasts a full one-minute window plus a 60-second <c>Retry-After</c>; raise it for
        /// bulk jobs that queue many requests at once. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
        /// </summary>
        public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>An optional circuit breaker that fails fast while Aha! keeps failing. Off by default.</summary>
        public AhaCircuitBreakerOptions CircuitBreaker { get; set; } = new AhaCircuitBreakerOptions();
    }

    /// <summary>
    /// Circuit breaker settings (Polly). It counts server errors, timeouts and connection failures, never 429s (the
    /// rate limiter handles those).
    /// </summary>
    public sealed class AhaCircuitBreakerOptions
    {
        /// <summary>Whether the breaker is in the pipeline. Default: false.</summary>
        public bool Enabled { get; set; }

        /// <summary>Share of failed attempts in the sampling period that opens the circuit. Default: 0.5.</summary>
        public double FailureRatio { get; set; } = 0.5;

        /// <summary>Attempts needed in the sampling period before the ratio is considered. Default: 10.</summary>
        public int MinimumThroughput { get; set; } = 10;

        /// <summary>The period over which failures are counted; from 0.5 s to one day. Default: 30 s.</summary>
        public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long the circuit stays open before a trial request; from 0.5 s to one day. Default: 15 s.</summary>
        public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
    }
}
