using System;
using Aha.Client.Redis;
using StackExchange.Redis;

namespace Aha.Client.Configuration
{
    /// <summary>Keeps the Aha! rate-limit budget in Redis, shared by every process configured with the same key.</summary>
    public static class AhaRedisRateLimitExtensions
    {
        /// <summary>
        /// Shares one rate-limit budget (both windows: per second and per minute) with every process, on this machine
        /// or another, configured with the same Redis and <paramref name="key"/>. Aha! counts per source IP address,
        /// so use one key per egress address, for example <c>"aha:nat-gateway-1"</c>. While Redis is unavailable each
        /// process falls back to its in-process limiter (a warning is logged, the
        /// <c>aha.client.rate_limit.fallback</c> counter counts the permits), requests never fail because of it, and the
        /// shared budget is used again as soon as Redis answers.
        /// </summary>
        /// <param name="options">The rate-limit options (<c>AhaClientOptions.RateLimit</c>).</param>
        /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>"localhost:6379"</c>
        /// or <c>"redis1:6379,password=...,ssl=true"</c>. One connection per configuration string is opened per process
        /// and kept for its lifetime. The client sets <c>abortConnect=false</c> and a fail-fast backlog so a Redis
        /// outage never holds a request.</param>
        /// <param name="key">The name of the shared budget: the same in every process that shares the egress address.</param>
        /// <param name="configure">Optional Redis-specific settings (timeouts).</param>
        /// <returns>The same options, for chaining.</returns>
        public static AhaRateLimitOptions UseRedis(this AhaRateLimitOptions options, string configuration, string key, Action<AhaRedisRateLimitOptions>? configure = null)
        {
            if (configuration is null || configuration.Trim().Length == 0)
            {
                throw new ArgumentException("A Redis configuration string is required, for example \"localhost:6379\".", nameof(configuration));
            }

            return Use(options, new RedisConnectionSource(configuration), key, configure);
        }

        /// <summary>
        /// Shares one rate-limit budget through an existing Redis connection; see
        /// <see cref="UseRedis(AhaRateLimitOptions, string, string, Action{AhaRedisRateLimitOptions}?)"/>. The connection
        /// stays yours; create it with <c>AbortOnConnectFail = false</c> so that the client can start while Redis is
        /// down, and preferably with <c>BacklogPolicy.FailFast</c>.
        /// </summary>
        /// <param name="options">The rate-limit options (<c>AhaClientOptions.RateLimit</c>).</param>
        /// <param name="connection">The Redis connection.</param>
        /// <param name="key">The name of the shared budget.</param>
        /// <param name="configure">Optional Redis-specific settings (timeouts).</param>
        /// <returns>The same options, for chaining.</returns>
        public static AhaRateLimitOptions UseRedis(this AhaRateLimitOptions options, IConnectionMultiplexer connection, string key, Action<AhaRedisRateLimitOptions>? configure = null)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            return Use(options, new RedisConnectionSource(connection), key, configure);
        }

        private static AhaRateLimitOptions Use(AhaRateLimitOptions options, RedisConnectionSource connection, string key, Action<AhaRedisRateLimitOptions>? configure)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (key is null || key.Trim().Length == 0)
            {
                throw new ArgumentException("A key naming the shared budget is required, for example \"aha:egress-1\".", nameof(key));
            }

            var redisOptions = new AhaRedisRateLimitOptions();
            configure?.Invoke(redisOptions);
            redisOptions.Validate();

            options.Limiter = null;
            options.Backend = new RedisRateLimitBackend(connection, key, redisOptions.Clone());
            return options;
        }
    }
}
