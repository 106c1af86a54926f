using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Aha.Client.Redis
{
    /// <summary>
    /// Where the Redis connection comes from: a configuration string (one connection per string per process, opened on
    /// first use and kept) or a connection the application owns.
    /// </summary>
    internal sealed class RedisConnectionSource
    {
        private static readonly ConcurrentDictionary<string, Lazy<Task<IConnectionMultiplexer>>> Shared =
            new ConcurrentDictionary<string, Lazy<Task<IConnectionMultiplexer>>>(StringComparer.Ordinal);

        private static readonly ConditionalWeakTable<IConnectionMultiplexer, string> Ids = new ConditionalWeakTable<IConnectionMultiplexer, string>();

        private readonly string? _configuration;
        private readonly IConnectionMultiplexer? _connection;

        public RedisConnectionSource(string configuration)
        {
            // Parse now: a malformed string is a configuration error the caller should see at once.
            var parsed = ConfigurationOptions.Parse(configuration);
            _configuration = configuration;
            ConnectTimeout = TimeSpan.FromMilliseconds(parsed.ConnectTimeout);
            Identity = "config:" + configuration;
            Endpoints = string.Join(",", parsed.EndPoints.Select(e => e.ToString()));
        }

        public RedisConnectionSource(IConnectionMultiplexer connection)
        {
            _connection = connection;
            ConnectTimeout = TimeSpan.Zero; // already connected, or reconnecting in the background
            Identity = "connection:" + Ids.GetValue(connection, _ => Guid.NewGuid().ToString("N"));
            Endpoints = string.Join(",", connection.GetEndPoints().Select(e => e.ToString()));
        }

        /// <summary>Distinguishes connections when limiters are shared; contains the configuration string, so never log it.</summary>
        public string Identity { get; }

        /// <summary>
        /// How long the first connection may take (<c>connectTimeout</c> of the configuration string, 5 s by default).
        /// A process that starts waits this long for Redis before pacing in-process: it must not burst because it does
        /// not know yet what the others have used.
        /// </summary>
        public TimeSpan ConnectTimeout { get; }

        /// <summary>The server addresses, for log messages (no password or other setting).</summary>
        public string Endpoints { get; }

        /// <summary>The connection, opened on first use. Never throws for an unreachable server: the connection is
        /// returned disconnected and reconnects in the background.</summary>
        public Task<IConnectionMultiplexer> GetAsync()
        {
            if (_connection != null)
            {
                return Task.FromResult(_connection);
            }

            return Shared.GetOrAdd(_configuration!, c => new Lazy<Task<IConnectionMultiplexer>>(() => ConnectAsync(c), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        }

        private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
        {
            var options = ConfigurationOptions.Parse(configuration);

            // Start even when Redis is down (the in-process limiter takes over), and never queue commands while
            // disconnected: a rate-limit decision that arrives late is worse than a local one now.
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ReconnectRetryPolicy = new LinearRetry(1000);
            if (string.IsNullOrEmpty(options.ClientName))
            {
                options.ClientName = "Aha.Client.Redis";
            }

            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
    }
}
