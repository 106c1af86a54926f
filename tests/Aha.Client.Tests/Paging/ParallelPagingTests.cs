using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Tests.Paging
{
    /// <summary>Opt-in parallel mode: bounded concurrency, through the client's own handler pipeline, yielding in page order.</summary>
    public class ParallelPagingTests
    {
        /// <summary>Stands for the rate limiter of the pipeline: sees every request the client sends.</summary>
        private sealed class CountingHandler : DelegatingHandler
        {
            private int _count;

            public int Count => _count;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _count);
                return base.SendAsync(request, cancellationToken);
            }
        }

        [Test]
        public async Task Pages_completing_out_of_order_are_still_yielded_in_page_order()
        {
            var server = new ListServer(2000) { Gated = true };
            var threeInFlight = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.InFlightChanged = n =>
            {
                if (n == 3)
                {
                    threeInFlight.TrySetResult(true);
                }
            };
            var pipeline = new CountingHandler();
            var pageable = server.CreateFeaturesClient(pipeline).ListAllAsync().WithParallelism(3);

            var consumer = Task.Run(async () =>
            {
                var ids = new List<string?>();
                await foreach (var feature in pageable)
                {
                    ids.Add(feature.Id);
                }

                return ids;
            });

            server.Release(1);
            await threeInFlight.Task;
            Assert.That(server.RequestedPages.OrderBy(p => p), Is.EqualTo(new[] { 1, 2, 3, 4 }), "after page 1, pages 2-4 are requested together");

            // Answer the window backwards, then everything else.
            server.Release(4);
            server.Release(3);
            server.Release(2);
            for (var page = 5; page <= 10; page++)
            {
                server.Release(page);
            }

            var result = await consumer;

            Assert.That(result, Is.EqualTo(Enumerable.Range(1, 2000).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(server.MaxInFlight, Is.EqualTo(3));
            Assert.That(server.RequestedPages.OrderBy(p => p), Is.EqualTo(Enumerable.Range(1, 10)));
            Assert.That(pipeline.Count, Is.EqualTo(10), "every page went through the client's own handler pipeline");
        }

        [TestCase(PaginationShape.Array)]
        [TestCase(PaginationShape.Meta)]
        public async Task Parallel_mode_reads_every_shape(PaginationShape shape)
        {
            var server = new ListServer(3000, shape);

            var ids = new List<string?>();
            await foreach (var feature in server.CreateFeaturesClient().ListAllAsync().WithParallelism(4))
            {
                ids.Add(feature.Id);
            }

            Assert.That(ids, Is.EqualTo(Enumerable.Range(1, 3000).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(server.MaxInFlight, Is.LessThanOrEqualTo(4));
            Assert.That(server.RequestedPages.OrderBy(p => p), Is.EqualTo(Enumerable.Range(1, 15)));
        }

        [Test]
        public async Task Stopping_early_in_parallel_mode_cancels_the_pages_fetched_ahead_without_leaking_errors()
        {
            var server = new ListServer(3000);
            var taken = 0;

            await foreach (var feature in server.CreateFeaturesClient().ListAllAsync().WithParallelism(5))
            {
                if (++taken == 10)
                {
                    break;
                }
            }

            Assert.That(taken, Is.EqualTo(10));
            Assert.That(server.Requests.Count, Is.LessThanOrEqualTo(1 + PagingEngine<object>.MaxPagesAhead), "page 1 plus at most the pages read ahead");
        }

        [Test]
        public async Task Records_deleted_during_a_parallel_enumeration_are_not_lost()
        {
            var server = new ListServer(1500);
            var deleted = new HashSet<string>();
            var deletions = 0;
            server.BeforeServe = page =>
            {
                if (page > 1 && deletions++ < 3)
                {
                    foreach (var victim in server.Records.Skip(5).Take(11).ToList())
                    {
                        deleted.Add((string)victim["id"]!);
                        server.Records.Remove(victim);
                    }
                }
            };

            var ids = new List<string>();
            await foreach (var feature in server.CreateFeaturesClient().ListAllAsync().WithParallelism(3))
            {
                ids.Add(feature.Id!);
            }

            Assert.That(ids, Is.Unique);
            var survivors = Enumerable.Range(1, 1500).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(id => !deleted.Contains(id)).ToList();
            Assert.That(ids.Where(id => !deleted.Contains(id)), Is.EqualTo(survivors), "every surviving record, once, in the server's order");
        }
    }
}
