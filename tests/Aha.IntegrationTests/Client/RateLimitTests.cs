using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;
using Aha.Client.RateLimiting;
using Aha.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace Aha.IntegrationTests.Client
{
    /// <summary>
    /// The client under the sandbox's rate limits at the real ratio (20 per window and 300 per 60 windows), time-scaled
    /// so that the minute window passes in 3 s: several concurrent exports need more than one long window, and not
    /// one request is refused.
    /// </summary>
    [TestFixture]
    public sealed class RateLimitTests
    {
        [Test]
        [CancelAfter(120_000)]
        public async Task Concurrent_multi_page_exports_under_the_real_ratio_of_limits_get_no_429(CancellationToken cancellationToken)
        {
            var options = new AhaSandboxOptions { FeaturesPerProduct = 100, IdeasPerProduct = 10, SeedSpecExamples = false };
            options.RateLimit.TimeScale = 20; // 20 per 50 ms, 300 per 3 s: Aha!'s ratio, 20 times faster
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);

            var expected = sandbox.Records("features", "id").Select(r => r["id"]!.ToString()).ToArray();
            const int tasks = 4;
            const int perPage = 5;
            var pagesPerExport = (expected.Length + perPage - 1) / perPage;
            Assert.That(tasks * pagesPerExport, Is.GreaterThan(options.RateLimit.LongWindowLimit), "the exports need more requests than one long window allows");

            // Each task its own client, as separate parts of an application would have; they share the sandbox's budget.
            var exports = Enumerable.Range(0, tasks).Select(_ => Task.Run(() => ExportIdsAsync(sandbox.CreateClient(), perPage, cancellationToken), cancellationToken)).ToArray();
            var results = await Task.WhenAll(exports);

            foreach (var ids in results)
            {
                Assert.That(ids, Is.EqualTo(expected), "every export is complete and in order");
            }

            var statistics = sandbox.Statistics;
            Assert.Multiple(() =>
            {
                Assert.That(statistics.RateLimitedResponses, Is.Zero, "no 429: the client's limiter matches the sandbox's scaled windows");
                Assert.That(statistics.AcceptedRequests, Is.EqualTo(tasks * pagesPerExport));
                Assert.That(statistics.PeakRequestsPerShortWindow, Is.LessThanOrEqualTo(options.RateLimit.ShortWindowLimit));
                Assert.That(statistics.PeakRequestsPerLongWindow, Is.LessThanOrEqualTo(options.RateLimit.LongWindowLimit));
            });
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Parallel_page_fetching_is_paced_by_the_same_limiter(CancellationToken cancellationToken)
        {
            var options = new AhaSandboxOptions { FeaturesPerProduct = 60, IdeasPerProduct = 10, SeedSpecExamples = false };
            options.RateLimit.TimeScale = 20;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);
            var aha = sandbox.CreateClient();

            var ids = new List<string?>();
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "id" }).WithPerPage(2).WithParallelism(20).WithCancellation(cancellationToken))
            {
                ids.Add(feature.Id);
            }

            Assert.That(ids, Is.EqualTo(sandbox.Records("features", "id").Select(r => r["id"]!.ToString())));
            Assert.That(sandbox.Statistics.RateLimitedResponses, Is.Zero);
            Assert.That(sandbox.Statistics.PeakRequestsPerShortWindow, Is.LessThanOrEqualTo(options.RateLimit.ShortWindowLimit));
            Assert.That(aha.RateLimit.RateLimitedResponses, Is.Zero);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task The_client_limiter_has_the_sandbox_limits_over_the_scaled_windows(CancellationToken cancellationToken)
        {
            var options = new AhaSandboxOptions { FeaturesPerProduct = 5, IdeasPerProduct = 5, SeedSpecExamples = false };
            options.RateLimit.ShortWindowLimit = 7;
            options.RateLimit.LongWindowLimit = 90;
            options.RateLimit.TimeScale = 4;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);

            var limiterOptions = AhaSandboxClientExtensions.LimiterOptionsFor(sandbox);
            Assert.That(limiterOptions.Windows.Select(w => (w.PermitLimit, w.Duration)), Is.EquivalentTo(new[]
            {
                (7, TimeSpan.FromMilliseconds(250)),
                (90, TimeSpan.FromSeconds(15)),
            }));
            Assert.That(limiterOptions.SafetyMargin, Is.EqualTo(TimeSpan.FromMilliseconds(12.5)));

            var first = sandbox.CreateClientOptions();
            var second = sandbox.CreateClientOptions();
            Assert.That(first.RateLimit.Limiter, Is.InstanceOf<SlidingWindowLogRateLimiter>());
            Assert.That(second.RateLimit.Limiter, Is.SameAs(first.RateLimit.Limiter), "clients of one sandbox share one budget, as the sandbox counts them together");
            Assert.That(first.BaseUrl, Is.EqualTo(sandbox.BaseAddress));
            Assert.That(first.Token, Is.EqualTo(sandbox.Token));

            await using var other = await AhaSandbox.StartAsync(options, cancellationToken);
            Assert.That(other.CreateClientOptions().RateLimit.Limiter, Is.Not.SameAs(first.RateLimit.Limiter));
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Configure_overrides_and_a_sandbox_without_limits_gives_a_client_without_limiter(CancellationToken cancellationToken)
        {
            var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
            var options = new AhaSandboxOptions { FeaturesPerProduct = 5, IdeasPerProduct = 5, SeedSpecExamples = false, TimeProvider = time };
            options.RateLimit.Enabled = false;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);

            var clientOptions = sandbox.CreateClientOptions(o => o.UserAgent = "My tests (qa@example.com)");
            Assert.That(clientOptions.RateLimit.Enabled, Is.False);
            Assert.That(clientOptions.RateLimit.Limiter, Is.Null);
            Assert.That(clientOptions.TimeProvider, Is.SameAs(time), "the client runs on the sandbox's clock");
            Assert.That(clientOptions.UserAgent, Is.EqualTo("My tests (qa@example.com)"));

            var aha = sandbox.CreateClient();
            var products = await aha.Products.ListAsync(cancellationToken: cancellationToken);
            Assert.That(products.Products, Has.Count.EqualTo(sandbox.Count("products")));
        }

        private static async Task<List<string?>> ExportIdsAsync(AhaClient aha, int perPage, CancellationToken cancellationToken)
        {
            var ids = new List<string?>();
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "id" }).WithPerPage(perPage).WithCancellation(cancellationToken))
            {
                ids.Add(feature.Id);
            }

            return ids;
        }
    }
}
