using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;
using Aha.Sandbox;

namespace Aha.IntegrationTests.Client
{
    /// <summary>
    /// The client against a sandbox that fails on purpose (5xx, dropped connections, HTML error pages, truncated
    /// bodies, and POSTs that fail after the record was created): reads complete with the right data, and no write is
    /// ever sent twice.
    /// </summary>
    [TestFixture]
    public sealed class ChaosTests
    {
        [Test]
        [CancelAfter(120_000)]
        public async Task Reads_complete_with_the_seeded_data_through_server_errors_dropped_connections_and_html_pages(CancellationToken cancellationToken)
        {
            var options = ExportMatchesSeedTests.Unlimited(PaginationShape.Object);
            options.Chaos.Seed = 7;
            options.Chaos.ServerErrorRate = 0.08;
            options.Chaos.DroppedConnectionRate = 0.05;
            options.Chaos.HtmlErrorPageRate = 0.05;
            options.Chaos.TruncatedBodyRate = 0.05;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);
            var aha = sandbox.CreateClient(FastRetries);

            var ids = new List<string?>();
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "id,name" }).WithPerPage(40).WithCancellation(cancellationToken))
            {
                ids.Add(feature.Id);
            }

            Assert.That(ids, Is.EqualTo(sandbox.Records("features", "id").Select(r => r["id"]!.ToString())), "every record, once, in order");
            Assert.Multiple(() =>
            {
                Assert.That(sandbox.Statistics.Faults(ChaosFault.ServerError), Is.GreaterThan(0));
                Assert.That(sandbox.Statistics.Faults(ChaosFault.DroppedConnection), Is.GreaterThan(0));
                Assert.That(sandbox.Statistics.Faults(ChaosFault.HtmlErrorPage), Is.GreaterThan(0));
                Assert.That(sandbox.Statistics.Faults(ChaosFault.TruncatedBody), Is.GreaterThan(0));
            });
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task No_POST_is_duplicated_when_writes_fail_after_the_commit(CancellationToken cancellationToken)
        {
            var options = ExportMatchesSeedTests.Unlimited(PaginationShape.Object);
            options.Chaos.Seed = 11;
            options.Chaos.ServerErrorRate = 0.1;
            options.Chaos.DroppedConnectionRate = 0.05;
            options.Chaos.HtmlErrorPageRate = 0.05;
            options.Chaos.FailAfterCommitRate = 0.25;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);
            var aha = sandbox.CreateClient(FastRetries);
            var before = sandbox.Count("features");

            const int attempts = 40;
            var succeeded = 0;
            var failed = new List<Exception>();
            for (var i = 0; i < attempts; i++)
            {
                var body = new FeatureCreate { Name = $"Chaos feature {i}" };
                try
                {
                    await aha.Features.CreateAsync("ATL-R-1", body, cancellationToken: cancellationToken);
                    succeeded++;
                }
                catch (AhaException ex)
                {
                    failed.Add(ex);
                }
            }

            var statistics = sandbox.Statistics;
            var committedButFailed = statistics.Faults(ChaosFault.FailAfterCommit);
            Assert.Multiple(() =>
            {
                Assert.That(statistics.DuplicateCreations, Is.Zero, string.Join("; ", statistics.DuplicateCreationDetails));
                Assert.That(statistics.RequestsTo("POST /api/v1/releases/{release_id}/features"), Is.EqualTo(attempts), "one POST per call: none retried");
                Assert.That(committedButFailed, Is.GreaterThan(0), "the chaos did hit committed writes");
                Assert.That(failed, Has.Count.EqualTo(attempts - succeeded));

                // Every failed POST says it may have been applied: a lost answer is a write of unknown outcome, a 5xx a
                // server error whose message says how to check (the sandbox's client builds the full pipeline).
                Assert.That(failed.Where(e => !(e is AhaWriteOutcomeUnknownException) && !(e is AhaServerException)), Is.Empty, string.Join("; ", failed.Select(e => e.GetType().Name)));
                Assert.That(failed.OfType<AhaWriteOutcomeUnknownException>(), Is.Not.Empty, "dropped connections after the commit");
                Assert.That(failed.Select(e => e.Message), Has.All.Contain("may"));
                Assert.That(sandbox.Count("features"), Is.EqualTo(before + succeeded + committedButFailed), "created = answered 200 + created but failed afterwards");
            });
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Idempotent_custom_field_updates_are_retried_through_failures_and_land_once(CancellationToken cancellationToken)
        {
            var options = ExportMatchesSeedTests.Unlimited(PaginationShape.Object);
            options.Chaos.Seed = 3;
            options.Chaos.ServerErrorRate = 0.2;
            options.Chaos.DroppedConnectionRate = 0.1;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);
            var aha = sandbox.CreateClient(FastRetries);

            for (var i = 1; i <= 10; i++)
            {
                await aha.Features.UpdateCustomFieldsAsync($"BCN-{i}", CustomFieldUpdate.Set("customer_impact", (long)(i * 100)), cancellationToken: cancellationToken);
            }

            for (var i = 1; i <= 10; i++)
            {
                var feature = (await aha.Features.GetAsync($"BCN-{i}", cancellationToken: cancellationToken));
                Assert.That(feature.CustomFields!["customer_impact"].AsNumber(), Is.EqualTo(i * 100m));
            }

            Assert.That(sandbox.Statistics.FaultsInjected.Values.Sum(), Is.GreaterThan(0));
        }

        /// <summary>Retries without the production back-off (1 s base), so a test with many faults stays short.</summary>
        private static void FastRetries(Aha.Client.Configuration.AhaClientOptions options)
        {
            options.Resilience.MaxRetryAttempts = 10;
            options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(2);
            options.Resilience.MaxDelay = TimeSpan.FromMilliseconds(20);
            options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(20);
        }
    }
}
