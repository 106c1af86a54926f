using System;

namespace Aha.Client.Redis
{
    /// <summary>
    /// Settings of the Redis-backed rate-limit budget (<c>options.RateLimit.UseRedis(...)</c>). The limits themselves
    /// (<c>RequestsPerSecond</c>, <c>RequestsPerMinute</c>, <c>SafetyMargin</c>, <c>MaxArrivalDelay</c>) come from
    /// <see cref="Configuration.AhaRateLimitOptions"/>; every process sharing a key should use the same values.
    /// </summary>
    public sealed class AhaRedisRateLimitOptions
    {
        /// <summary>
        /// Longest time a request waits for one answer from Redis before it is paced by the in-process limiter instead.
        /// Default: 1 s. Until the first answer after start-up, the connection's <c>connectTimeout</c> (5 s by default)
        /// applies instead: a process that is still connecting must not burst as if it were alone.
        /// </summary>
        public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// After Redis failed, how long requests are paced in-process before Redis is tried again (it is also tried as
        /// soon as the connection is restored). Default: 1 s.
        /// </summary>
        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Divides every window (1 s and 1 min) by this factor, on the Redis budget and its in-process fallback alike.
        /// For tests against a server that enforces scaled-down windows; production leaves it at 1.
        /// </summary>
        internal double TimeScale { get; set; } = 1;

        internal AhaRedisRateLimitOptions Clone() => new AhaRedisRateLimitOptions
        {
            OperationTimeout = OperationTimeout,
            RetryInterval = RetryInterval,
            TimeScale = TimeScale,
        };

        internal void Validate()
        {
            if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromSeconds(30))
            {
                throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, "AhaRedisRateLimitOptions.OperationTimeout must be between 0 (exclusive) and 30 seconds.");
            }

            if (RetryInterval < TimeSpan.Zero || RetryInterval > TimeSpan.FromMinutes(5))
            {
                throw new ArgumentOutOfRangeException(nameof(RetryInterval), RetryInterval, "AhaRedisRateLimitOptions.RetryInterval must be between 0 and 5 minutes.");
            }

            if (!(TimeScale >= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(TimeScale), TimeScale, "TimeScale must be at least 1.");
            }
        }
    }
}
