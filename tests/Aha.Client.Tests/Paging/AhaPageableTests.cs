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
        public async Task A_list_without_pagination_is_read_while_its_pages_are_full()
        {
            // Was "a single page": a full page of 200 without pagination stopped the enumeration and 2,800 of 3,000
            // records were never read. A full page only proves that there may be more, so the next page is read; each
            // page after the first is checked against the page before it (read again), since without total_records
            // nothing else tells whether records were deleted meanwhile.
            var server = new ListServer(3000, PaginationShape.Absent);

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 3000));
            Assert.That(server.RequestedPages.Distinct(), Is.EqualTo(Enumerable.Range(1, 16)), "pages 1-15 are full; the empty 16th ends the list");
            Assert.That(server.RequestedPages.Count(p => p == 16), Is.EqualTo(1));
        }

        [Test]
        public async Task A_short_page_without_pagination_ends_the_list()
        {
            var server = new ListServer(250, PaginationShape.Absent);

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync());

            AssertIdsAre(features, Enumerable.Range(1, 250));
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1, 2, 1 }), "page 2 is short: the end; page 1 read again shows that nothing moved");
        }

        [Test]
        public async Task A_list_without_pagination_that_ignores_per_page_is_one_page()
        {
            // More records than asked for: the server sent the whole list.
            var server = new ListServer(250, PaginationShape.AbsentWholeList);

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
        public async Task Enumeration_is_lazy_and_reads_a_bounded_number_of_pages_ahead()
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

            // The next page leaves when an answer arrives, so a caller that stops early may leave a few pages unread,
            // never more than the look-ahead, and never more than one request at a time.
            Assert.That(server.RequestedPages, Is.SubsetOf(Enumerable.Range(1, 1 + PagingEngine<object>.MaxPagesAhead)));
            Assert.That(server.RequestedPages, Does.Contain(1));
            Assert.That(server.RequestedPages, Is.Unique);
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
            // Pages 4 and 5 may have been requested ahead (total_pages still said they exist); they are never yielded,
            // and nothing beyond total_pages is asked for.
            Assert.That(server.RequestedPages.Distinct().Where(p => p <= 3), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(server.RequestedPages.Max(), Is.LessThanOrEqualTo(5), "nothing beyond total_pages");
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

            // Page 3 is requested as soon as page 2's response arrives, before page 2 is read, because page 1 said there
            // are 5 pages (see EarlyRequestTests); a stale total_pages costs that one request, whose answer is dropped.
            Assert.That(server.RequestedPages.Take(2), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(server.RequestedPages.Skip(2), Is.SubsetOf(new[] { 3 }));
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
            // towards pages already read. The drop of total_records makes the engine read the page before again until
            // it finds the last record it yielded; what follows it there is the continuation. (This test used to
            // accept any order; the records present throughout must now come in the server's order.)
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
            var survivors = Enumerable.Range(1, 1000).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(id => !deleted.Contains(id)).ToList();
            Assert.That(ids.Where(id => !deleted.Contains(id)), Is.EqualTo(survivors));
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
            Assert.That(server.Requests.Count, Is.LessThanOrEqualTo(4 + PagingEngine<object>.MaxPagesAhead), "the page and its three repeats, plus the pages read ahead");
        }

        [Test]
        public async Task Fields_and_filters_pass_through_unchanged()
        {
            var server = new ListServer(10);
            var since = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

            await AllAsync(server.CreateFeaturesClient().ListAllAsync(new FeaturesListOptions { Fields = "name,reference_num,custom_fields", Q = "dark mode", UpdatedSince = since, Tag = "beta", AssignedToUser = "jane@aha.io" }));

            // fields= is passed on with id added (paging tells records apart by id; see Sparse_fields_... below).
            var query = server.Requests.Single().Query;
            Assert.That(query, Does.Contain("fields=name%2Creference_num%2Ccustom_fields%2Cid"));
            Assert.That(query, Does.Contain("q=dark%20mode"));
            Assert.That(query, Does.Contain("updated_since=" + Uri.EscapeDataString(since.ToString("o", System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(query, Does.Contain("tag=beta"));
            Assert.That(query, Does.Contain("assigned_to_user=jane%40aha.io"));
            Assert.That(query, Does.Contain("page=1"));
            Assert.That(query, Does.Contain("per_page=200"));
        }

        [Test]
        public async Task Sparse_fields_without_id_keep_the_promise_and_yield_records_as_fields_asked()
        {
            // The README's own example. Newest first: 30 records inserted at the front before every page after the
            // first push 30 already-read records onto the next page. Without id in the request, paging could not
            // recognise them and would yield them twice; it adds id, and clears it again before yielding.
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

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync(new FeaturesListOptions { Fields = "name,reference_num,workflow_status" }));

            Assert.That(server.Requests.Select(r => r.Query), Is.All.Contain("fields=name%2Creference_num%2Cworkflow_status%2Cid"));
            var references = features.Select(f => f.ReferenceNum).ToList();
            Assert.That(references, Is.Unique);
            Assert.That(references.Where(r => int.Parse(r!.Substring(5), System.Globalization.CultureInfo.InvariantCulture) <= 1000), Is.EqualTo(Enumerable.Range(1, 1000).Select(n => "PRJ1-" + n)));
            Assert.That(features.Select(f => f.Id), Is.All.Null, "id was not asked for, so records do not carry it");
            Assert.That(features.Select(f => f.Name), Is.All.Not.Null);
        }

        [TestCase("id,name", "id%2Cname", true)]
        [TestCase("name,id", "name%2Cid", true)]
        [TestCase("*", "%2A", true)]
        [TestCase(null, null, true)]
        public async Task Fields_that_name_id_or_everything_are_sent_unchanged_and_ids_kept(string? fields, string? sent, bool idKept)
        {
            var server = new ListServer(5);

            var features = await AllAsync(server.CreateFeaturesClient().ListAllAsync(new FeaturesListOptions { Fields = fields }));

            var query = server.Requests.Single().Query;
            if (sent is null)
            {
                Assert.That(query, Does.Not.Contain("fields="));
            }
            else
            {
                Assert.That(query, Does.Contain("fields=" + sent + "&").Or.EndsWith("fields=" + sent));
            }

            Assert.That(features.Select(f => f.Id), idKept ? Is.All.Not.Null : Is.All.Null);
        }

        [TestCase(null, null, false)]
        [TestCase("", "", false)]
        [TestCase("name", "name,id", true)]
        [TestCase("name,reference_num,", "name,reference_num,id", true)]
        [TestCase("name, id ", "name, id ", false)]
        [TestCase("name,ID", "name,ID,id", true)]
        [TestCase("name,*", "name,*", false)]
        public void Paging_adds_id_to_fields_only_when_it_is_missing(string? fields, string? sent, bool added)
        {
            Assert.That(PagingFields.WithId(fields, out var wasAdded), Is.EqualTo(sent));
            Assert.That(wasAdded, Is.EqualTo(added));
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

            // A client over a bare HttpClient (no pipeline, so no error step): the generated code's one fallback reports the status.
            var ex = await Assert.ThrowsAsync<AhaApiException>(async () =>
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
            var server = new ListServer(12, PaginationShape.AbsentWholeList);

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
