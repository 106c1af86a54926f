using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Paging
{
    /// <summary>
    /// The paging loop requests the next page when the previous answer arrives, not when the caller comes back for
    /// it, and stays within its look-ahead: at most <see cref="PagingEngine{T}.MaxPagesAhead"/> pages, and beyond the
    /// degree of parallelism only while the answers not yet reached by the caller stay under
    /// <see cref="PagingEngine{T}.LookAheadBytes"/>.
    /// </summary>
    public class ReadAheadTests
    {
        private const int PerPage = 200;

        [Test]
        public async Task Pages_keep_being_requested_while_the_caller_holds_the_first_one()
        {
            var server = new ListServer(5000); // 25 pages of small records (~12 KB each): the byte budget does not bind
            var bound = PagingEngine<object>.MaxPagesAhead;
            var (ids, violations, heldUntilRequested) = await ExportHoldingTheFirstRecordAsync(server, holdUntilPage: 1 + bound, bound);

            Assert.That(heldUntilRequested, Is.True, "the pages ahead were requested while the caller held page 1");
            Assert.That(violations, Is.Empty, "no page requested more than the look-ahead beyond the caller");
            Assert.That(ids, Is.EqualTo(Enumerable.Range(1, 5000).Select(Id)));
            Assert.That(server.RequestedPages, Is.EqualTo(Enumerable.Range(1, 25)), "each page once, in order, none beyond the last");
            Assert.That(server.MaxInFlight, Is.LessThanOrEqualTo(1), "sequential: one request at a time");
        }

        [Test]
        public async Task Large_pages_are_read_ahead_only_within_the_byte_budget()
        {
            // Pages of ~600 KB: once two answers wait for the caller, no third is requested.
            var padding = new string('x', 3000);
            var server = new ListServer(2000)
            {
                Rewrite = (page, perPage, body) =>
                {
                    foreach (var record in ((JArray)body["features"]!).OfType<JObject>())
                    {
                        record["description"] = padding;
                    }

                    return body;
                },
            };
            var (ids, violations, heldUntilRequested) = await ExportHoldingTheFirstRecordAsync(server, holdUntilPage: 3, bound: 2);

            Assert.That(heldUntilRequested, Is.True, "one page beyond the first ahead was requested while the caller held page 1");
            Assert.That(violations, Is.Empty, "no page requested beyond two pages that have arrived ahead of the caller");
            Assert.That(ids, Is.EqualTo(Enumerable.Range(1, 2000).Select(Id)));
            Assert.That(server.RequestedPages, Is.EqualTo(Enumerable.Range(1, 10)));
        }

        [Test]
        public async Task Parallel_mode_refills_its_window_from_arrivals_within_the_look_ahead()
        {
            var server = new ListServer(5000); // 25 pages
            var bound = PagingEngine<object>.MaxPagesAhead;
            var (ids, violations, heldUntilRequested) = await ExportHoldingTheFirstRecordAsync(server, holdUntilPage: 1 + bound, bound, parallelism: 4);

            Assert.That(heldUntilRequested, Is.True);
            Assert.That(violations, Is.Empty);
            Assert.That(ids, Is.EqualTo(Enumerable.Range(1, 5000).Select(Id)));
            Assert.That(server.RequestedPages.OrderBy(p => p), Is.EqualTo(Enumerable.Range(1, 25)));
            Assert.That(server.MaxInFlight, Is.LessThanOrEqualTo(4));
        }

        [Test]
        public async Task Stopping_early_cancels_the_pages_read_ahead_and_reports_nothing()
        {
            var server = new ListServer(3000);
            var taken = 0;

            await foreach (var feature in server.CreateFeaturesClientThroughPipeline().ListAllAsync())
            {
                if (++taken == 5)
                {
                    break;
                }
            }

            Assert.That(server.RequestedPages, Is.SubsetOf(Enumerable.Range(1, 1 + PagingEngine<object>.MaxPagesAhead)));
            Assert.That(server.RequestedPages, Is.Unique);
        }

        private static string Id(int n) => (1_000_000 + n).ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// Exports through the client's pipeline; the caller holds its first record until page
        /// <paramref name="holdUntilPage"/> has been requested (a guard turns a would-be deadlock into a failed
        /// assertion). Every request is checked against the caller's position: a page beyond
        /// <paramref name="bound"/> pages after the one the loop may be on is a violation.
        /// </summary>
        private static async Task<(List<string> Ids, List<string> Violations, bool HeldUntilRequested)> ExportHoldingTheFirstRecordAsync(ListServer server, int holdUntilPage, int bound, int parallelism = 1)
        {
            var taken = 0;
            var violations = new ConcurrentQueue<string>();
            var requested = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.BeforeServe = page =>
            {
                // The loop moves to page c + 1 only once the caller has taken all of page c: it is on page
                // full + 1 at most, where full counts the pages the caller has taken entirely.
                var full = Volatile.Read(ref taken) / PerPage;
                if (page > full + 1 + bound)
                {
                    violations.Enqueue($"page {page} requested when the caller had taken {full} full pages");
                }

                if (page >= holdUntilPage)
                {
                    requested.TrySetResult(true);
                }
            };

            var ids = new List<string>();
            var heldUntilRequested = false;
            await foreach (var feature in server.CreateFeaturesClientThroughPipeline().ListAllAsync().WithParallelism(parallelism))
            {
                if (ids.Count == 0)
                {
                    var first = await Task.WhenAny(requested.Task, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false);
                    heldUntilRequested = first == requested.Task;
                }

                ids.Add(feature.Id!);
                Interlocked.Increment(ref taken);
            }

            return (ids, violations.ToList(), heldUntilRequested);
        }
    }
}
