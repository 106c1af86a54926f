using System;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using NSubstitute;

namespace Aha.Client.Tests.Shape
{
    /// <summary>
    /// The sixty resource clients of <see cref="AhaClient"/> are built on first use (a fresh process that exports one
    /// resource builds one client, docs/benchmarks.md): each property still returns one instance for the client's
    /// lifetime, whichever thread asks first, and mocking through the protected constructor still works.
    /// </summary>
    public class ResourceClientCreationTests
    {
        private static readonly PropertyInfo[] ResourceProperties = typeof(AhaClient).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.Name.EndsWith("Client", StringComparison.Ordinal) && p.PropertyType.Namespace == "Aha.Client" && p.PropertyType != typeof(AhaClient))
            .ToArray();

        private static AhaClient NewClient() => new AhaClient(new HttpClient { BaseAddress = new Uri("https://company.aha.io/api/v1/") });

        [Test]
        public void Every_resource_property_is_virtual_and_returns_the_same_instance_every_time()
        {
            Assert.That(ResourceProperties, Has.Length.GreaterThanOrEqualTo(60));
            var aha = NewClient();
            foreach (var property in ResourceProperties)
            {
                Assert.That(property.GetMethod!.IsVirtual, Is.True, property.Name);
                var first = property.GetValue(aha);
                Assert.That(first, Is.Not.Null.And.InstanceOf(property.PropertyType), property.Name);
                Assert.That(property.GetValue(aha), Is.SameAs(first), property.Name);
            }
        }

        [Test]
        public void A_resource_client_is_built_when_first_used_not_with_the_AhaClient()
        {
            var aha = NewClient();
            var field = typeof(AhaClient).GetField("_ideas", BindingFlags.NonPublic | BindingFlags.Instance)!;
            Assert.That(field.GetValue(aha), Is.Null);

            var ideas = aha.Ideas;

            Assert.That(field.GetValue(aha), Is.SameAs(ideas));
            Assert.That(typeof(AhaClient).GetField("_features", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(aha), Is.Null);
        }

        [Test]
        public void Threads_asking_at_the_same_time_all_get_the_one_instance()
        {
            const int threads = 8;
            for (var round = 0; round < 50; round++)
            {
                var aha = NewClient();
                var seen = new FeaturesClient[threads];
                using var start = new Barrier(threads);
                var workers = Enumerable.Range(0, threads).Select(i => Task.Factory.StartNew(
                    () =>
                    {
                        start.SignalAndWait();
                        seen[i] = aha.Features;
                    },
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default)).ToArray();
                Task.WaitAll(workers);

                Assert.That(seen, Is.All.SameAs(aha.Features), $"round {round}");
            }
        }

        [Test]
        public void A_mock_returns_what_it_was_given()
        {
            var features = Substitute.For<FeaturesClient>();
            var aha = Substitute.For<AhaClient>();
            aha.Features.Returns(features);

            Assert.That(aha.Features, Is.SameAs(features));
        }

        [Test]
        public void A_client_made_for_mocking_says_so_when_a_resource_property_is_not_overridden()
        {
            var aha = Substitute.ForPartsOf<AhaClient>();

            var error = Assert.Throws<InvalidOperationException>(() => _ = aha.Ideas);

            Assert.That(error!.Message, Does.Contain("mocking").And.Contain("override"));
        }
    }
}
