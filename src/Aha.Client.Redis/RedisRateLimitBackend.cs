using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Aha.Client.RateLimiting;

namespace Aha.Client.Redis
{
    /// <summary>
    /// The backend set by <c>UseRedis</c>: hands every pipeline in the process with the same connection, key, limits
    /// and clock the same <see cref="RedisSharedRateLimiter"/>, so one process has one queue and one fallback.
    /// </summary>
    internal sealed class RedisRateLimitBackend : AhaRateLimitBackend
    {
        private static readonly ConditionalWeakTable<TimeProvider, ConcurrentDictionary<string, Lazy<RedisSharedRateLimiter>>> Limiters =
            new ConditionalWeakTable<TimeProvider, ConcurrentDictionary<string, Lazy<RedisSharedRateLimiter>>>();

        public RedisRateLimitBackend(RedisConnectionSource connection, string key, AhaRedisRateLimitOptions options)
        {
            Connection = connection;
            Key = key;
            Options = options;
        }

        public RedisConnectionSource Connection { get; }

        public string Key { get; }

        public AhaRedisRateLimitOptions Options { get; }

        public override RateLimiter GetLimiter(AhaRateLimitBackendContext context)
        {
            if (context is null)
            {
                throw new ArgumentNullException(nameof(context));
            }

            var id = string.Join(
                "|",
                Connection.Identity,
                Key,
                context.RequestsPerSecond.ToString(CultureInfo.InvariantCulture),
                context.RequestsPerMinute.ToString(CultureInfo.InvariantCulture),
                context.SafetyMargin.Ticks.ToString(CultureInfo.InvariantCulture),
                context.MaxArrivalDelay.Ticks.ToString(CultureInfo.InvariantCulture),
                context.QueueLimit.ToString(CultureInfo.InvariantCulture),
                Options.OperationTimeout.Ticks.ToString(CultureInfo.InvariantCulture),
                Options.RetryInterval.Ticks.ToString(CultureInfo.InvariantCulture),
                Options.TimeScale.ToString("R", CultureInfo.InvariantCulture));
            var perClock = Limiters.GetValue(context.TimeProvider, _ => new ConcurrentDictionary<string, Lazy<RedisSharedRateLimiter>>(StringComparer.Ordinal));
            return perClock.GetOrAdd(id, _ => new Lazy<RedisSharedRateLimiter>(() => new RedisSharedRateLimiter(Connection, Key, Options, context))).Value;
        }
    }
}
