using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    /// <summary>Reads from one sandbox with the default demo data (thousands of features and ideas).</summary>
    [TestFixture]
    public class PagingAndFieldsTests
    {
        private AhaSandbox _sandbox = null!;
        private HttpClient _http = null!;

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            var options = new AhaSandboxOptions();
            options.RateLimit.Enabled = false;
            _sandbox = await AhaSandbox.StartAsync(options);
            _http = _sandbox.CreateHttpClient();
        }

        [OneTimeTearDown]
        public async Task StopAsync()
        {
            _http.Dispose();
            await _sandbox.DisposeAsync();
        }

        [Test]
        public void Default_demo_data_has_thousands_of_features_and_ideas_in_several_products()
        {
            Assert.That(_sandbox.Count("products"), Is.GreaterThanOrEqualTo(4));
            Assert.That(_sandbox.Count("features"), Is.GreaterThanOrEqualTo(3000));
            Assert.That(_sandbox.Count("ideas"), Is.GreaterThanOrEqualTo(2000));
            foreach (var collection in new[] { "releases", "epics", "requirements", "initiatives", "goals", "comments", "tasks", "time_tracking_events", "release_phases", "idea_organizations", "competitors", "strategy_models", "idea_endorsements", "users" })
            {
                Assert.That(_sandbox.Count(collection), Is.GreaterThan(0), collection);
            }
        }

        /// <summary>
        /// A list page renders only the attributes it returns (cheaper than rendering each record in full and dropping
        /// the rest); the values must be exactly those of the full record, in the order asked for.
        /// </summary>
        [TestCase("features", null)]
        [TestCase("features", "name,custom_fields,release,id,reference_num,product_id,url")]
        [TestCase("features", "*")]
        [TestCase("ideas", null)]
        [TestCase("releases", null)]
        [TestCase("epics", "id,name,custom_fields,release")]
        public async Task List_items_equal_the_full_record_restricted_to_the_listed_attributes(string collection, string? fields)
        {
            var query = fields is null ? string.Empty : "&fields=" + System.Uri.EscapeDataString(fields);
            var page = await _http.GetObjectAsync($"{collection}?per_page=20{query}");
            var items = page[collection]!.AsArray();
            Assert.That(items, Is.Not.Empty);
            var compared = 0;
            foreach (var item in items.Select(i => i!.AsObject()))
            {
                var id = item["id"].Str();
                var full = (await _http.GetObjectAsync($"{collection}/{id}?fields=*")).Single().Value!.AsObject();
                var names = item.Select(p => p.Key).ToList();
                if (fields is { } list && list != "*")
                {
                    Assert.That(names, Is.EqualTo(list.Split(',').Where(n => full.ContainsKey(n)).ToList()), $"{collection}/{id}: attributes in the order asked for");
                }

                foreach (var name in names)
                {
                    Assert.That(JsonNode.DeepEquals(item[name], full[name]), Is.True, $"{collection}/{id}: '{name}' differs from the full record");
                    compared++;
                }
            }

            Assert.That(compared, Is.GreaterThan(items.Count * 3));
        }

        [Test]
        public async Task Default_page_is_30_records_with_the_pagination_object()
        {
            var page = await _http.GetObjectAsync("features");
            Assert.That(page["features"]!.AsArray(), Has.Count.EqualTo(30));
            var pagination = page["pagination"]!.AsObject();
            var total = _sandbox.Count("features");
            Assert.That(pagination["total_records"]!.GetValue<int>(), Is.EqualTo(total));
            Assert.That(pagination["total_pages"]!.GetValue<int>(), Is.EqualTo((total + 29) / 30));
            Assert.That(pagination["current_page"]!.GetValue<int>(), Is.EqualTo(1));
        }

        [Test]
        public async Task Paging_through_every_feature_at_200_per_page_returns_each_record_once_in_order()
        {
            var expected = _sandbox.Records("features", "reference_num").Select(r => r["reference_num"].Str()).ToList();
            var seen = new List<string>();
            var pages = 0;
            for (var page = 1; ; page++)
            {
                var body = await _http.GetObjectAsync($"features?page={page}&per_page=200&fields=reference_num");
                pages++;
                seen.AddRange(body["features"]!.AsArray().Select(f => f!["reference_num"].Str()));
                if (page >= body["pagination"]!["total_pages"]!.GetValue<int>())
                {
                    break;
                }
            }

            Assert.That(pages, Is.EqualTo((expected.Count + 199) / 200));
            Assert.That(seen, Is.EqualTo(expected));
            Assert.That(seen.Distinct().Count(), Is.EqualTo(seen.Count));
        }

        [Test]
        public async Task Full_export_of_ideas_with_all_fields_equals_the_seeded_data()
        {
            var expected = _sandbox.Records("ideas");
            var seen = new List<JsonObject>();
            for (var page = 1; ; page++)
            {
                var body = await _http.GetObjectAsync($"ideas?page={page}&per_page=200&fields=*");
                seen.AddRange(body["ideas"]!.AsArray().Select(i => i!.AsObject()));
                if (page >= body["pagination"]!["total_pages"]!.GetValue<int>())
                {
                    break;
                }
            }

            Assert.That(seen.Count, Is.EqualTo(expected.Count));
            for (var i = 0; i < seen.Count; i++)
            {
                Assert.That(JsonNode.DeepEquals(seen[i], expected[i]), Is.True, () => "idea " + i + " differs: " + seen[i].ToJsonString());
            }
        }

        [TestCase("per_page=0")]
        [TestCase("per_page=201")]
        [TestCase("per_page=-5")]
        [TestCase("per_page=abc")]
        [TestCase("per_page=")]
        [TestCase("page=0")]
        [TestCase("page=x")]
        [TestCase("updated_since=yesterday")]
        public async Task Out_of_range_paging_parameters_are_400(string query)
        {
            using var response = await _http.GetAsync("features?" + query);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await response.ReadObjectAsync())["message"].Str(), Is.Not.Empty);
        }

        [Test]
        public async Task Page_past_the_end_is_empty_and_says_where_it_is()
        {
            var body = await _http.GetObjectAsync("products?page=99");
            Assert.That(body["products"]!.AsArray(), Is.Empty);
            Assert.That(body["pagination"]!["current_page"]!.GetValue<int>(), Is.EqualTo(99));
        }

        [Test]
        public async Task Empty_result_reports_zero_pages()
        {
            var body = await _http.GetObjectAsync("features?q=no-such-feature-anywhere");
            Assert.That(body["features"]!.AsArray(), Is.Empty);
            Assert.That(body["pagination"]!["total_records"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(body["pagination"]!["total_pages"]!.GetValue<int>(), Is.EqualTo(0));
        }

        [Test]
        public async Task Every_pagination_shape_can_be_served()
        {
            try
            {
                _sandbox.PaginationShape = PaginationShape.ArrayOfOne;
                var array = await _http.GetObjectAsync("features?per_page=10&page=2");
                Assert.That(array["pagination"]!.AsArray().Single()!["current_page"]!.GetValue<int>(), Is.EqualTo(2));

                _sandbox.PaginationShape = PaginationShape.MetaPagination;
                var meta = await _http.GetObjectAsync("features?per_page=10&page=2");
                Assert.That(meta.ContainsKey("pagination"), Is.False);
                var p = meta["meta"]!["pagination"]!;
                Assert.That(p["per_page"]!.GetValue<int>(), Is.EqualTo(10));
                Assert.That(p["next_page"]!.GetValue<int>(), Is.EqualTo(3));
                Assert.That(p["prev_page"]!.GetValue<int>(), Is.EqualTo(1));

                _sandbox.PaginationShape = PaginationShape.Absent;
                var absent = await _http.GetObjectAsync("features?per_page=10");
                Assert.That(absent.Select(kv => kv.Key), Is.EqualTo(new[] { "features" }));
            }
            finally
            {
                _sandbox.PaginationShape = PaginationShape.Object;
            }
        }

        [Test]
        public async Task Fields_returns_sparse_records_with_exactly_the_named_attributes()
        {
            var list = await _http.GetObjectAsync("features?fields=name,reference_num,workflow_status&per_page=5");
            foreach (var feature in list["features"]!.AsArray())
            {
                Assert.That(feature!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "name", "reference_num", "workflow_status" }));
            }

            var key = list["features"]!.AsArray()[0]!["reference_num"].Str();
            var single = await _http.GetObjectAsync($"features/{key}?fields=name");
            Assert.That(single["feature"]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "name" }));
        }

        [Test]
        public async Task Custom_fields_come_with_single_records_and_fields_star_but_not_in_default_lists()
        {
            var list = await _http.GetObjectAsync("features?per_page=3");
            var item = list["features"]!.AsArray()[0]!.AsObject();
            Assert.That(item.ContainsKey("custom_fields"), Is.False);
            Assert.That(item.ContainsKey("reference_num") && item.ContainsKey("name") && item.ContainsKey("id"), Is.True);

            var single = await _http.GetObjectAsync("features/" + item["reference_num"].Str());
            Assert.That(single["feature"]!["custom_fields"], Is.InstanceOf<JsonArray>());

            var star = await _http.GetObjectAsync("features?per_page=3&fields=*");
            Assert.That(star["features"]!.AsArray()[0]!["custom_fields"], Is.InstanceOf<JsonArray>());
            var some = await _http.GetObjectAsync("features?per_page=3&fields=custom_fields");
            Assert.That(some["features"]!.AsArray()[0]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "custom_fields" }));
        }

        [Test]
        public async Task Demo_custom_fields_cover_every_kind_with_ids_as_numbers_and_strings()
        {
            var types = new Dictionary<string, JsonObject>();
            foreach (var feature in _sandbox.Records("features").Take(200))
            {
                foreach (var field in feature["custom_fields"]!.AsArray())
                {
                    types.TryAdd(field!["type"].Str(), field.AsObject());
                }
            }

            Assert.That(types.Keys, Is.SupersetOf(new[] { "string", "number", "date", "note", "array", "users", "url", "equation_sheet", "attachment" }));
            Assert.That(types["attachment"].ContainsKey("value"), Is.False, "attachment fields carry attachments, no value");
            Assert.That(types["attachment"]["attachments"]!.AsArray(), Is.Not.Empty);
            Assert.That(types["equation_sheet"]["value"]!["values"], Is.InstanceOf<JsonObject>());
            Assert.That(types["users"]["value"]!.AsArray()[0]!["email"].Str(), Does.Contain("@"));
            Assert.That(types["number"]["value"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
            Assert.That(types["array"]["value"], Is.InstanceOf<JsonArray>());
            Assert.That(types.Values.Select(f => f["id"]!.GetValueKind()).Distinct(), Is.EquivalentTo(new[] { System.Text.Json.JsonValueKind.Number, System.Text.Json.JsonValueKind.String }));
            Assert.That(types.Values.All(f => f.ContainsKey("key") && f.ContainsKey("name") && f.ContainsKey("updatedAt")), Is.True);

            var notes = _sandbox.Records("features").Take(300).SelectMany(f => f["custom_fields"]!.AsArray()).Where(f => f!["type"].Str() == "note").Select(f => f!["value"].Str());
            Assert.That(notes.Any(n => n.Any(c => c > 0x2000)), Is.True, "notes carry non-Latin text and emoji");

            // The wire form is UTF-8 text, not \u escapes.
            using var response = await _http.GetAsync("features?fields=custom_fields&per_page=50");
            var raw = await response.Content.ReadAsStringAsync();
            Assert.That(raw, Does.Contain("München").Or.Contain("日本語").Or.Contain("🚀"));
        }

        [Test]
        public async Task Scoped_lists_return_only_the_parents_records()
        {
            var product = (await _http.GetObjectAsync("products"))["products"]!.AsArray()[1]!;
            var prefix = product["reference_prefix"].Str();
            var features = await _http.GetObjectAsync($"products/{prefix}/features?per_page=200&fields=reference_num,product_id");
            Assert.That(features["features"]!.AsArray().All(f => f!["reference_num"].Str().StartsWith(prefix + "-", System.StringComparison.Ordinal)), Is.True);
            Assert.That(features["pagination"]!["total_records"]!.GetValue<int>(), Is.EqualTo(_sandbox.Options.FeaturesPerProduct));

            var release = (await _http.GetObjectAsync($"products/{prefix}/releases"))["releases"]!.AsArray()[0]!;
            var inRelease = await _http.GetObjectAsync($"releases/{release["reference_num"].Str()}/features?per_page=200&fields=release");
            Assert.That(inRelease["features"]!.AsArray(), Is.Not.Empty);
            Assert.That(inRelease["features"]!.AsArray().All(f => f!["release"]!["id"].Str() == release["id"].Str()), Is.True);

            var ideas = await _http.GetObjectAsync($"products/{prefix}/ideas?per_page=1");
            Assert.That(ideas["pagination"]!["total_records"]!.GetValue<int>(), Is.EqualTo(_sandbox.Options.IdeasPerProduct));
        }

        [Test]
        public async Task Filters_narrow_lists()
        {
            var tagged = await _http.GetObjectAsync("features?tag=api&per_page=200&fields=tags");
            Assert.That(tagged["features"]!.AsArray(), Is.Not.Empty);
            Assert.That(tagged["features"]!.AsArray().All(f => f!["tags"]!.AsArray().Any(t => t.Str() == "api")), Is.True);

            var recent = await _http.GetObjectAsync("ideas?created_since=2024-06-01T00:00:00Z&per_page=200&fields=created_at");
            Assert.That(recent["ideas"]!.AsArray().All(i => string.CompareOrdinal(i!["created_at"].Str(), "2024-06-01") > 0), Is.True);

            var mine = await _http.GetObjectAsync("features?assigned_to_user=sandra.box@example.com&per_page=5&fields=assigned_to_user");
            Assert.That(mine["features"]!.AsArray().All(f => f!["assigned_to_user"]!["email"].Str() == "sandra.box@example.com"), Is.True);

            var popular = await _http.GetObjectAsync("ideas?sort=popular&per_page=20&fields=votes");
            var votes = popular["ideas"]!.AsArray().Select(i => i!["votes"]!.GetValue<int>()).ToList();
            Assert.That(votes, Is.Ordered.Descending);
        }
    }
}
