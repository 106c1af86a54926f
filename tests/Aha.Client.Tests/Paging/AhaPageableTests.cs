using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Paging
{
    /// <summary>Item- and page-level enumeration through the generated <c>ListAllAsync</c> over MockHttp.</summary>
    public class AhaPageableTests
    {
        private static async Task<List<Feature>> AllAsync(IAsyncEnumerable<Feature> source, CancellationToken cancellationToken = default)
        {
            var result = new List<Feature>();
            await foreach (var item in source.WithCancellation(cancellationToken))
            {
                result.Add(item);
            }

            return result;
        }

        private static void AssertIdsAre(IEnumerable<Feature> features, IEnumerable<int> numbers)
            => Assert.That(features.Select(f => f.Id), Is.EqualTo(numbers.Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture))));

        [TestCase(PaginationShape.Object)]
        [TestCase(PaginationShape.Array)]
        [TestCase(PaginationShape.Meta)]
        [TestCase(PaginationShape.FlatWithPerPage)]
        public async Task Every_pagination_shape_yields_every_record_once_in_order(PaginationShape shape)
        {
            var server = new ListServer(450, shape);

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 450));
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(server.Requests.Select(r => r.PerPage), Is.All.EqualTo(200));
        }

        [Test]
        public async Task A_list_without_pagination_is_a_single_page()
        {
            var server = new ListServer(250, PaginationShape.Absent);

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 250));
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1 }));
        }

        [Test]
        public async Task Three_thousand_records_over_15_pages_arrive_complete_and_in_order()
        {
            var server = new ListServer(3000);

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            Assert.That(features, Has.Count.EqualTo(3000));
            AssertIdsAre(features, Enumerable.Range(1, 3000));
            Assert.That(features.Select(f => f.Id).Distinct().Count(), Is.EqualTo(3000));
            Assert.That(server.RequestedPages, Is.EqualTo(Enumerable.Range(1, 15)));
            Assert.That(server.Requests.Select(r => r.PerPage), Is.All.EqualTo(200));
        }

        [Test]
        public async Task Enumeration_is_lazy_and_at_most_one_page_ahead()
        {
            var server = new ListServer(3000);
            var pageable = server.CreateFeaturesClient().ListAllAsync();
            Assert.That(server.Requests, Is.Empty, "nothing is requested before enumeration");

            var taken = 0;
            await foreach (var feature in pageable)
            {
                if (++taken == 5)
                {
                    break;
                }
            }

            Assert.That(server.RequestedPages, Is.SubsetOf(new[] { 1, 2 }));
            Assert.That(server.RequestedPages, Does.Contain(1));
            Assert.That(server.MaxInFlight, Is.LessThanOrEqualTo(1));
        }

        [Test]
        public async Task Total_pages_zero_stops_cleanly()
        {
            var server = new ListServer(0);

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            Assert.That(features, Is.Empty);
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1 }));
        }

        [Test]
        public async Task Total_pages_zero_with_records_yields_them_and_stops()
        {
            var server = new ListServer(3) { Rewrite = (page, perPage, body) => { body["pagination"]!["total_pages"] = 0; return body; } };

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, new[] { 1, 2, 3 });
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1 }));
        }

        [Test]
        public async Task An_empty_page_before_total_pages_stops_cleanly()
        {
            // The server still claims 5 pages, but page 3 comes back empty (records deleted meanwhile).
            var server = new ListServer(1000)
            {
                Rewrite = (page, perPage, body) =>
                {
                    if (page >= 3)
                    {
                        body["features"] = new JArray();
                    }

                    return body;
                },
            };

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 400));
            Assert.That(server.RequestedPages.Distinct(), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(server.RequestedPages.Max(), Is.LessThanOrEqualTo(4), "at most the one page ahead beyond the empty one");
        }

        [Test]
        public async Task A_short_last_page_ends_the_list_even_when_total_pages_is_stale()
        {
            // total_pages stays 5 (stale), but page 2 is short and completes total_records.
            var server = new ListServer(250)
            {
                Rewrite = (page, perPage, body) => { body["pagination"]!["total_pages"] = 5; return body; },
            };

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 250));
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1, 2 }));
        }

        [Test]
        public async Task Pages_smaller_than_asked_for_are_followed_while_total_records_says_more()
        {
            // A server that caps per_page at 50 but reports totals consistently.
            var server = new ListServer(180)
            {
                Rewrite = (page, perPage, body) =>
                {
                    var all = Enumerable.Range(1, 180).ToList();
                    body["features"] = new JArray(all.Skip((page - 1) * 50).Take(50).Select(ListServer.MakeRecord));
                    body["pagination"] = new JObject { ["total_records"] = 180, ["total_pages"] = 4, ["current_page"] = page };
                    return body;
                },
            };

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 180));
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        }

        [Test]
        public async Task Records_inserted_while_paging_are_never_yielded_twice()
        {
            // Newest first: before each page after the first, 30 new records are inserted at the front, shifting
            // every later record onto the next page.
            var server = new ListServer(1000);
            var next = 5000;
            server.BeforeServe = page =>
            {
                if (page > 1)
                {
                    for (var i = 0; i < 30; i++)
                    {
                        server.Records.Insert(0, ListServer.MakeRecord(next++));
                    }
                }
            };

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            var ids = features.Select(f => f.Id).ToList();
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Is.SupersetOf(Enumerable.Range(1, 1000).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        [Test]
        public async Task Records_deleted_while_paging_do_not_make_surviving_records_disappear()
        {
            // Before pages 2..5 are served, 17 records near the front are deleted: every later record moves 17 places
            // towards pages already read. Re-reading the previous page catches them.
            var server = new ListServer(1000);
            var deleted = new HashSet<string>();
            server.BeforeServe = page =>
            {
                if (page > 1 && page <= 5)
                {
                    foreach (var victim in server.Records.Skip(10).Take(17).ToList())
                    {
                        deleted.Add((string)victim["id"]!);
                        server.Records.Remove(victim);
                    }
                }
            };

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            var ids = features.Select(f => f.Id!).ToList();
            Assert.That(ids, Is.Unique);
            var survivors = Enumerable.Range(1, 1000).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(id => !deleted.Contains(id));
            Assert.That(ids, Is.SupersetOf(survivors));
        }

        [Test]
        public async Task A_server_that_ignores_the_page_parameter_does_not_loop_forever()
        {
            var server = new ListServer(1000)
            {
                Rewrite = (page, perPage, body) =>
                {
                    body["features"] = new JArray(Enumerable.Range(1, 200).Select(ListServer.MakeRecord));
                    body["pagination"] = new JObject { ["total_records"] = 1_000_000, ["total_pages"] = 5000, ["current_page"] = 1 };
                    return body;
                },
            };

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 200));
            Assert.That(server.Requests.Count, Is.LessThanOrEqualTo(6));
        }

        [Test]
        public async Task Fields_and_filters_pass_through_unchanged()
        {
            var server = new ListServer(10);
            var since = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

            await AllAsync(server.CreateFeaturesClient().ListAllAsync(new FeaturesListOptions { Fields = "name,reference_num,custom_fields", Q = "dark mode", UpdatedSince = since, Tag = "beta", AssignedToUser = "jane@aha.io" }));

            var query = server.Requests.Single().Query;
            Assert.That(query, Does.Contain("fields=name%2Creference_num%2Ccustom_fields"));
            Assert.That(query, Does.Contain("q=dark%20mode"));
            Assert.That(query, Does.Contain("updated_since=" + Uri.EscapeDataString(since.ToString("o", System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(query, Does.Contain("tag=beta"));
            Assert.That(query, Does.Contain("assigned_to_user=jane%40aha.io"));
            Assert.That(query, Does.Contain("page=1"));
            Assert.That(query, Does.Contain("per_page=200"));
        }

        [Test]
        public async Task Cancellation_between_pages_stops_the_enumeration()
        {
            var server = new ListServer(1000);
            using var cts = new CancellationTokenSource();
            var seen = 0;

            await Assert.ThatAsync(async () =>
            {
                await foreach (var feature in server.CreateFeaturesClient().ListAllAsync().WithCancellation(cts.Token))
                {
                    if (++seen == 250)
                    {
                        cts.Cancel();
                    }
                }
            }, Throws.InstanceOf<OperationCanceledException>());

            Assert.That(seen, Is.EqualTo(250));
        }

        [Test]
        public async Task Cancellation_during_a_page_request_is_honoured()
        {
            var server = new ListServer(1000) { HangOnPage = 2 };
            using var cts = new CancellationTokenSource();
            var pageable = server.CreateFeaturesClient().ListAllAsync(cancellationToken: cts.Token);
            var seen = 0;

            var enumeration = Task.Run(async () =>
            {
                await foreach (var feature in pageable)
                {
                    seen++;
                }
            });
            await server.HangStarted.Task;
            cts.Cancel();

            await Assert.ThatAsync(async () => await enumeration, Throws.InstanceOf<OperationCanceledException>());
            Assert.That(seen, Is.LessThanOrEqualTo(200));
        }

        [Test]
        public async Task A_failing_page_surfaces_its_error_after_the_pages_before_it()
        {
            var mock = new MockHttpMessageHandler();
            mock.When(ListServer.BaseAddress + "features").WithQueryString("page", "1")
                .Respond("application/json", "{\"features\":[{\"id\":\"1\"},{\"id\":\"2\"}],\"pagination\":{\"total_records\":400,\"total_pages\":2,\"current_page\":1}}");
            mock.When(ListServer.BaseAddress + "features").WithQueryString("page", "2")
                .Respond(HttpStatusCode.Forbidden, "application/json", "{\"error\":\"Forbidden\",\"message\":\"Authentication failed\"}");
            var client = new FeaturesClient(new HttpClient(mock) { BaseAddress = new Uri(ListServer.BaseAddress) });
            var seen = new List<string?>();

            var ex = await Assert.ThrowsAsync<AhaApiException<Error>>(async () =>
            {
                await foreach (var feature in client.ListAllAsync().WithPerPage(2))
                {
                    seen.Add(feature.Id);
                }
            });

            Assert.That(ex!.StatusCode, Is.EqualTo(403));
            Assert.That(seen, Is.EqualTo(new[] { "1", "2" }));
        }

        [Test]
        public async Task AsPages_reports_progress_and_resumes_from_a_page()
        {
            var server = new ListServer(1000);
            var client = server.CreateFeaturesClient();
            var pages = new List<AhaPage<Feature>>();

            await foreach (var page in client.ListAllAsync().AsPages(perPage: 150))
            {
                pages.Add(page);
                if (page.CurrentPage == 3)
                {
                    break;
                }
            }

            Assert.That(pages.Select(p => p.CurrentPage), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(pages.Select(p => p.TotalPages), Is.All.EqualTo(7));
            Assert.That(pages.Select(p => p.TotalRecords), Is.All.EqualTo(1000));
            Assert.That(pages.Select(p => p.Items.Count), Is.All.EqualTo(150));
            Assert.That(pages[2].NextPage, Is.EqualTo(4));

            var resumed = new List<AhaPage<Feature>>();
            await foreach (var page in client.ListAllAsync().AsPages(startPage: pages[2].NextPage, perPage: 150))
            {
                resumed.Add(page);
            }

            Assert.That(resumed.Select(p => p.CurrentPage), Is.EqualTo(new[] { 4, 5, 6, 7 }));
            Assert.That(resumed.Last().IsLastPage, Is.True);
            Assert.That(resumed.Last().Items, Has.Count.EqualTo(100));
            var all = pages.Concat(resumed).SelectMany(p => p.Items).ToList();
            AssertIdsAre(all, Enumerable.Range(1, 1000));
        }

        [Test]
        public async Task AsPages_of_an_unpaginated_list_is_one_last_page()
        {
            var server = new ListServer(12, PaginationShape.Absent);

            var pages = new List<AhaPage<Feature>>();
            await foreach (var page in server.CreateFeaturesClient().ListAllAsync().AsPages())
            {
                pages.Add(page);
            }

            Assert.That(pages, Has.Count.EqualTo(1));
            Assert.That(pages[0].IsLastPage, Is.True);
            Assert.That(pages[0].TotalPages, Is.EqualTo(1));
            Assert.That(pages[0].TotalRecords, Is.Null);
            Assert.That(pages[0].Items, Has.Count.EqualTo(12));
        }

        [Test]
        public void Page_size_and_parallelism_are_validated_eagerly()
        {
            var pageable = new ListServer(1).CreateFeaturesClient().ListAllAsync();

            Assert.That(() => pageable.AsPages(perPage: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => pageable.AsPages(perPage: 201), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => pageable.AsPages(startPage: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => pageable.WithPerPage(500), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => pageable.WithParallelism(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => pageable.WithParallelism(AhaPageable.MaxParallelism + 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(pageable.PerPage, Is.EqualTo(200));
        }

        [Test]
        public void Required_path_parameters_are_checked_when_the_wrapper_is_called()
        {
            var client = new ListServer(1).CreateFeaturesClient();
            Assert.That(() => client.ListAllByProductAsync(null!), Throws.ArgumentNullException);
            Assert.That(() => client.ListAllByProductAsync(" "), Throws.ArgumentException);
            Assert.That(() => client.ListAllAsync(new FeaturesListOptions { Page = 2 }), Throws.ArgumentException);
        }

        [Test]
        public async Task FromPages_serves_in_memory_pages_for_mocks()
        {
            var pageable = AhaPageable.FromPages<string>(new[] { new[] { "a", "b" }, new[] { "c" } }, s => s);

            var items = new List<string>();
            await foreach (var item in pageable)
            {
                items.Add(item);
            }

            Assert.That(items, Is.EqualTo(new[] { "a", "b", "c" }));
        }
    }
}
