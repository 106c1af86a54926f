using System;
using System.Threading.RateLimiting;
using Aha.Client.Configuration;
using Aha.Client.RateLimiting;
using Microsoft.Extensions.Options;

namespace Aha.Client.Redis.Tests
{
    /// <summary>The option that switches the shared budget on.</summary>
    public class UseRedisTests
    {
        private static AhaClientOptions Options() => new AhaClientOptions
        {
            BaseUrl = new Uri("http://127.0.0.1:9/api/v1/"),
            Token = "test-token",
            UserAgent = "Aha.Client.Redis tests (dev@example.com)",
        };

        [Test]
        public void UseRedis_sets_a_backend_and_checks_its_arguments()
        {
            var options = Options();
            using (var custom = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 1 }))
            {
                options.RateLimit.Limiter = custom;
                Assert.That(options.RateLimit.UseRedis(TestRedisConfiguration, key: "aha:egress-1"), Is.SameAs(options.RateLimit));
            }

            Assert.That(options.RateLimit.Backend, Is.Not.Null);
            Assert.That(options.RateLimit.Limiter, Is.Null, "UseRedis replaces a custom limiter");

            Assert.That(() => Options().RateLimit.UseRedis("localhost:6379", key: " "), Throws.ArgumentException.With.Message.Contains("key"));
            Assert.That(() => Options().RateLimit.UseRedis(string.Empty, key: "aha:x"), Throws.ArgumentException.With.Message.Contains("configuration"));
            Assert.That(() => Options().RateLimit.UseRedis("localhost:6379", "aha:x", o => o.OperationTimeout = TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }

        [Test]
        public void A_custom_limiter_and_a_backend_together_are_a_configuration_error()
        {
            var options = Options();
            options.RateLimit.UseRedis(TestRedisConfiguration, key: "aha:both");
            using var custom = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 1 });
            options.RateLimit.Limiter = custom;

            Assert.That(() => new AhaClient(options), Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Backend"));
        }

        [Test]
        public void Clients_of_one_process_with_the_same_settings_share_one_limiter_and_state()
        {
            var key = TestRedis.NewKey("same");
            var first = Options();
            first.RateLimit.UseRedis(TestRedisConfiguration, key);
            var second = Options();
            second.RateLimit.UseRedis(TestRedisConfiguration, key);
            var other = Options();
            other.RateLimit.UseRedis(TestRedisConfiguration, key + ":other");

            var a = new AhaClient(first);
            var b = new AhaClient(second);
            var c = new AhaClient(other);

            Assert.That(b.RateLimit, Is.SameAs(a.RateLimit), "one budget per key in a process: one queue, one state");
            Assert.That(c.RateLimit, Is.Not.SameAs(a.RateLimit));
        }

        private static string TestRedisConfiguration => TestRedis.Configuration;
    }
}
