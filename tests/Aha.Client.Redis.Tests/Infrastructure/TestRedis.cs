using System;
using System.Threading.Tasks;
using Aha.Client.Redis.Tests.Infrastructure;
using StackExchange.Redis;

// In the tests' root namespace: an NUnit SetUpFixture covers its own namespace and those below it.
namespace Aha.Client.Redis.Tests
{
    /// <summary>
    /// The Redis server shared by the tests of this assembly: the one .ci/run started (its port in
    /// <c>AHA_TEST_REDIS_PORT</c>), else one started here from the redis-server binary, else every test fails with a
    /// message saying how to install it. Never a silent skip. Tests that kill Redis start their own.
    /// </summary>
    [SetUpFixture]
    public sealed class TestRedis
    {
        private static RedisServer? _own;
        private static string? _configuration;

        /// <summary>"127.0.0.1:port" of the shared server.</summary>
        internal static string Configuration => _configuration ?? throw new InvalidOperationException("The Redis set-up did not run.");

        /// <summary>A key no other test uses.</summary>
        internal static string NewKey(string purpose) => "aha:test:" + purpose + ":" + Guid.NewGuid().ToString("N").Substring(0, 12);

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            var port = Environment.GetEnvironmentVariable(RedisServer.PortVariable);
            if (!string.IsNullOrEmpty(port))
            {
                _configuration = "127.0.0.1:" + port;
                try
                {
                    using var probe = await ConnectionMultiplexer.ConnectAsync(_configuration + ",connectTimeout=5000");
                    await probe.GetDatabase().PingAsync();
                }
                catch (RedisConnectionException ex)
                {
                    throw new InvalidOperationException($"{RedisServer.PortVariable}={port}, but no Redis answers on 127.0.0.1:{port} ({ex.Message}). Start redis-server there or unset the variable so that the tests start their own.", ex);
                }

                TestContext.Progress.WriteLine($"Redis tests use the server on {_configuration} ({RedisServer.PortVariable}).");
                return;
            }

            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RedisServer.BinaryVariable)) && RedisServer.FindOnPath() is null)
            {
                // One line, once, and each test fails with that line alone rather than a stack trace.
                TestContext.Progress.WriteLine("error: " + RedisServer.MissingServerMessage);
                throw new RedisServerMissingException(RedisServer.MissingServerMessage);
            }

            _own = await RedisServer.StartAsync();
            _configuration = _own.Configuration;
            TestContext.Progress.WriteLine($"Redis tests started their own redis-server on {_configuration}.");
        }

        [OneTimeTearDown]
        public void Stop() => _own?.Dispose();
    }

    /// <summary>The set-up failure when no redis-server can be found: its message says what to install; no stack trace, which would say nothing more.</summary>
    public sealed class RedisServerMissingException : AssertionException
    {
        public RedisServerMissingException(string message)
            : base(message)
        {
        }

        public override string StackTrace => string.Empty;
    }
}
