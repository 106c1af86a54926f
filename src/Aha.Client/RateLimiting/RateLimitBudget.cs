using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Aha.Client.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aha.Client.RateLimiting
{
    /// <summary>
    /// One rate-limit budget: the limiter that paces requests plus what the server told us about it. Budgets are shared
    /// process-wide by default (Aha! counts per source IP): every client whose options name the same limits and clock
    /// gets the same instance from <see cref="For"/>, whether it was built by dependency injection or by
    /// <c>new AhaClient(options)</c>.
    /// </summary>
    internal sealed class RateLimitBudget
    {
        private static readonly ConditionalWeakTable<TimeProvider, ConcurrentDictionary<Key, RateLimitBudget>> Shared =
            new ConditionalWeakTable<TimeProvider, ConcurrentDictionary<Key, RateLimitBudget>>();

        private static readonly ConditionalWeakTable<RateLimiter, RateLimitBudget> ForCustomLimiters = new ConditionalWeakTable<RateLimiter, RateLimitBudget>();

        private RateLimitBudget(RateLimiter limiter, TimeProvider time, TimeSpan margin)
        {
            Limiter = limiter;
            Time = time;
            Margin = margin;
            State = new AhaRateLimitState(time);
        }

        /// <summary>Paces requests. Pluggable: <see cref="AhaRateLimitOptions.Limiter"/> or <see cref="AhaRateLimitOptions.Backend"/> replaces it.</summary>
        internal RateLimiter Limiter { get; }

        internal AhaRateLimitState State { get; }

        internal TimeProvider Time { get; }

        /// <summary>Added to server-given resets, which are whole seconds and may be measured against another clock.</summary>
        internal TimeSpan Margin { get; }

        /// <summary>The budget for these options: shared process-wide unless the options opt out.</summary>
        internal static RateLimitBudget For(AhaRateLimitOptions options, TimeProvider time, ILoggerFactory? loggerFactory = null)
        {
            var custom = options.Limiter
                ?? options.Backend?.GetLimiter(new AhaRateLimitBackendContext(options, time, loggerFactory ?? NullLoggerFactory.Instance));
            if (custom != null)
            {
                // One budget (state, pauses) per limiter: clients handed the same limiter share it.
                return ForCustomLimiters.GetValue(custom, l => new RateLimitBudget(l, time, options.SafetyMargin));
            }

            if (!options.SharedAcrossClients)
            {
                return Create(options, time);
            }

            var key = new Key(options.RequestsPerSecond, options.RequestsPerMinute, options.SafetyMargin, options.MaxArrivalDelay, options.QueueLimit);
            var perClock = Shared.GetValue(time, _ => new ConcurrentDictionary<Key, RateLimitBudget>());
            return perClock.GetOrAdd(key, _ => Create(options, time));
        }

        /// <summary>The process-wide budget of a client with default options, for clients built from a bare HttpClient.</summary>
        internal static RateLimitBudget Default => For(new AhaRateLimitOptions(), TimeProvider.System);

        /// <summary>Holds every request sharing this budget until <paramref name="until"/> (plus the margin).</summary>
        /// <returns>True when this extended the pause.</returns>
        internal bool Pause(DateTimeOffset until)
        {
            until += Margin;
            if (until <= Time.GetUtcNow() || !State.PauseUntil(until))
            {
                return false;
            }

            if (Limiter is IAhaPausableRateLimiter pausable)
            {
                pausable.PauseUntil(until);
            }

            return true;
        }

        private static RateLimitBudget Create(AhaRateLimitOptions options, TimeProvider time)
        {
            var limiterOptions = SlidingWindowLogRateLimiterOptions.ForAha(options.RequestsPerSecond, options.RequestsPerMinute);
            limiterOptions.SafetyMargin = options.SafetyMargin;
            limiterOptions.MaxArrivalDelay = options.MaxArrivalDelay;
            limiterOptions.QueueLimit = options.QueueLimit;
            limiterOptions.TimeProvider = time;
            return new RateLimitBudget(new SlidingWindowLogRateLimiter(limiterOptions), time, options.SafetyMargin);
        }

        private readonly struct Key : IEquatable<Key>
        {
            private readonly int _perSecond;
            private readonly int _perMinute;
            private readonly TimeSpan _margin;
            private readonly TimeSpan _arrival;
            private readonly int _queueLimit;

            public Key(int perSecond, int perMinute, TimeSpan margin, TimeSpan arrival, int queueLimit)
            {
                _perSecond = perSecond;
                _perMinute = perMinute;
                _margin = margin;
                _arrival = arrival;
                _queueLimit = queueLimit;
            }

            public bool Equals(Key other) => _perSecond == other._perSecond && _perMinute == other._perMinute && _margin == other._margin && _arrival == other._arrival && _queueLimit == other._queueLimit;

            public override bool Equals(object? obj) => obj is Key other && Equals(other);

            public override int GetHashCode() => (_perSecond * 397) ^ (_perMinute * 17) ^ _margin.GetHashCode() ^ (_arrival.GetHashCode() * 31) ^ _queueLimit;
        }
    }
}
