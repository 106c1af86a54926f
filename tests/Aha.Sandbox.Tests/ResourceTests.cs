using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    /// <summary>The other record types: each one's list, get, create, update and delete, and the special operations.</summary>
    [TestFixture]
    public class ResourceTests
    {
        private AhaSandbox _sandbox = null!;
        private HttpClient _http = null!;

        [SetUp]
        public async Task StartAsync()
        {
            _sandbox = await Sandboxes.SmallAsync();
            _http = _sandbox.CreateHttpClient();
        }

        [TearDown]
        public async Task StopAsync()
        {
            _http.Dispose();
            await _sandbox.DisposeAsync();
        }

        private async Task<JsonObject> FirstAsync(string list, string collection) =>
            (await _http.GetObjectAsync(list))[collection]!.AsArray()[0]!.AsObject();

        private async Task<JsonObject> SendAsync(HttpMethod method, string uri, string? body = null, HttpStatusCode expected = HttpStatusCode.OK)
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body == null ? null : Sandboxes.Json(body) };
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(expected), method + " " + uri + ": " + text);
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
        }

        [TestCase("products", "products")]
        [TestCase("releases", "releases")]
        [TestCase("features", "features")]
        [TestCase("epics", "epics")]
        [TestCase("ideas", "ideas")]
        [TestCase("initiatives", "initiatives")]
        [TestCase("goals", "goals")]
        [TestCase("release_phases", "release_phases")]
        [TestCase("idea_organizations", "idea_organizations")]
        [TestCase("tasks", "tasks")]
        [TestCase("strategy_models", "strategy_models")]
        [TestCase("strategic_models", "strategic_models")]
        [TestCase("users", "users")]
        public async Task Account_lists_are_wrapped_and_paginated(string uri, string wrapper)
        {
            var body = await _http.GetObjectAsync(uri);
            Assert.That(body[wrapper]!.AsArray(), Is.Not.Empty);
            Assert.That(body["pagination"]!["total_records"]!.GetValue<int>(), Is.EqualTo(_sandbox.Count(wrapper)));
        }

        [Test]
        public async Task Product_scoped_resources()
        {
            var product = "ATL";
            Assert.That((await _http.GetObjectAsync($"products/{product}"))["product"]!["reference_prefix"].Str(), Is.EqualTo(product));
            foreach (var (uri, wrapper) in new[] { ("releases", "releases"), ("epics", "epics"), ("ideas", "ideas"), ("features", "features"), ("competitors", "competitors"), ("initiatives", "initiatives"), ("goals", "goals"), ("comments", "comments"), ("tasks", "tasks") })
            {
                var body = await _http.GetObjectAsync($"products/{product}/{uri}");
                Assert.That(body.ContainsKey(wrapper), Is.True, uri);
            }
        }

        [Test]
        public async Task Releases_create_update_duplicate_delete()
        {
            var release = (await SendAsync(HttpMethod.Post, "products/ATL/releases", "{\"release\": {\"name\": \"R-next\", \"start_date\": \"2025-01-06\", \"release_date\": \"2025-02-28\", \"parking_lot\": false}}"))["release"]!;
            var key = release["reference_num"].Str();
            Assert.That(key, Does.StartWith("ATL-R-"));
            Assert.That(release["project"]!["reference_prefix"].Str(), Is.EqualTo("ATL"));
            Assert.That(release["release_date"].Str(), Is.EqualTo("2025-02-28"));

            var updated = (await SendAsync(HttpMethod.Put, $"products/ATL/releases/{key}", "{\"release\": {\"name\": \"R-next (renamed)\", \"owner\": \"fred@example.com\"}}"))["release"]!;
            Assert.That(updated["name"].Str(), Is.EqualTo("R-next (renamed)"));
            Assert.That(updated["owner"]!["email"].Str(), Is.EqualTo("fred@example.com"));
            await SendAsync(HttpMethod.Put, $"products/BCN/releases/{key}", "{\"release\": {\"name\": \"x\"}}", HttpStatusCode.NotFound);

            var copy = (await SendAsync(HttpMethod.Post, $"releases/{key}/duplicate"))["release"]!;
            Assert.That(copy["name"].Str(), Is.EqualTo("R-next (renamed) (copy)"));
            Assert.That(copy["id"].Str(), Is.Not.EqualTo(updated["id"].Str()));

            var phase = (await SendAsync(HttpMethod.Post, "release_phases", "{\"release_phase\": {\"name\": \"Beta\", \"release_id\": " + updated["id"].Str() + ", \"phase_type\": \"phase\", \"start_on\": \"2025-01-06\", \"end_on\": \"2025-01-31\"}}"))["release_phase"]!;
            Assert.That(phase["release_id"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number), "release phases carry release_id as a JSON number");
            Assert.That((await _http.GetObjectAsync($"releases/{key}/release_phases"))["release_phases"]!.AsArray().Single()!["name"].Str(), Is.EqualTo("Beta"));
            await SendAsync(HttpMethod.Put, "release_phases/" + phase["id"].Str(), "{\"release_phase\": {\"end_on\": \"2025-02-07\"}}");

            await SendAsync(HttpMethod.Delete, $"products/ATL/releases/{key}", expected: HttpStatusCode.NoContent);
            await SendAsync(HttpMethod.Get, $"releases/{key}", expected: HttpStatusCode.NotFound);
        }

        [Test]
        public async Task Epics_requirements_and_convert_to_epic()
        {
            var release = await FirstAsync("products/ATL/releases", "releases");
            var epic = (await SendAsync(HttpMethod.Post, $"releases/{release["reference_num"].Str()}/epics", "{\"epic\": {\"name\": \"Big thing\"}}"))["epic"]!;
            Assert.That(epic["reference_num"].Str(), Does.StartWith("ATL-E-"));
            var feature = (await SendAsync(HttpMethod.Post, $"releases/{release["reference_num"].Str()}/features", "{\"feature\": {\"name\": \"Part of it\", \"epic\": \"" + epic["reference_num"].Str() + "\"}}"))["feature"]!;
            Assert.That(feature["epic"]!["id"].Str(), Is.EqualTo(epic["id"].Str()));
            Assert.That((await _http.GetObjectAsync($"epics/{epic["reference_num"].Str()}/features"))["features"]!.AsArray().Single()!["reference_num"].Str(), Is.EqualTo(feature["reference_num"].Str()));
            await SendAsync(HttpMethod.Put, "epics/" + epic["id"].Str(), "{\"epic\": {\"name\": \"Bigger thing\"}}");

            var requirement = (await SendAsync(HttpMethod.Post, $"features/{feature["reference_num"].Str()}/requirements", "{\"requirement\": {\"name\": \"Must work\"}}"))["requirement"]!;
            Assert.That(requirement["reference_num"].Str(), Is.EqualTo(feature["reference_num"].Str() + "-1"));
            var changed = (await SendAsync(HttpMethod.Put, "requirements/" + requirement["reference_num"].Str(), "{\"requirement\": {\"workflow_status\": {\"name\": \"Shipped\"}, \"tags\": [\"done\"]}}"))["requirement"]!;
            Assert.That(changed["workflow_status"]!["complete"]!.GetValue<bool>(), Is.True);
            Assert.That(changed["feature"]!["reference_num"].Str(), Is.EqualTo(feature["reference_num"].Str()));

            var converted = (await SendAsync(HttpMethod.Post, $"features/{feature["reference_num"].Str()}/convert_to_epic", "{}"))["epic"]!;
            Assert.That(converted["name"].Str(), Is.EqualTo("Part of it"));
            await SendAsync(HttpMethod.Get, "features/" + feature["reference_num"].Str(), expected: HttpStatusCode.NotFound);
        }

        [Test]
        public async Task Ideas_endorsements_watchers_promotion_and_spam()
        {
            var idea = (await SendAsync(HttpMethod.Post, "products/ATL/ideas", "{\"idea\": {\"name\": \"Faster export\", \"description\": \"<p>Please</p>\", \"tags\": \"export, speed\", \"watchers\": [\"fred@example.com\"]}}"))["idea"]!;
            var key = idea["reference_num"].Str();
            Assert.That(idea["workflow_status"]!["name"].Str(), Is.EqualTo("New"));

            var related = await _http.GetObjectAsync("ideas/related?q=Faster export");
            Assert.That(related["ideas"]!.AsArray().Select(i => i!["reference_num"].Str()), Does.Contain(key));

            var org = await FirstAsync("idea_organizations", "idea_organizations");
            var endorsed = await SendAsync(HttpMethod.Post, $"ideas/{key}/endorsements", "{\"idea_endorsement\": {\"email\": \"buyer@customer.example\", \"idea_organization_id\": \"" + org["id"].Str() + "\", \"value\": 5000}}");
            Assert.That(endorsed["idea_endorsement"]!["idea_organization"]!["id"].Str(), Is.EqualTo(org["id"].Str()));
            Assert.That(endorsed["idea"]!["endorsements_count"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That((await _http.GetObjectAsync($"ideas/{key}/endorsements"))["idea_endorsements"]!.AsArray(), Has.Count.EqualTo(1));

            Assert.That((await _http.GetObjectAsync($"ideas/{key}/watchers"))["watchers"]!.AsArray().Single()!["email"].Str(), Is.EqualTo("fred@example.com"));

            var spam = (await SendAsync(HttpMethod.Put, "ideas/" + key, "{\"idea\": {\"spam\": true}}"))["idea"]!;
            Assert.That(spam["spam"]!.GetValue<bool>(), Is.True);
            Assert.That((await _http.GetObjectAsync("ideas?spam=true&per_page=200"))["ideas"]!.AsArray().Select(i => i!["reference_num"].Str()), Does.Contain(key));

            var promoted = (await SendAsync(HttpMethod.Put, $"ideas/{key}/promote", "{\"idea\": {\"promote_to\": \"feature\"}}"))["idea"]!;
            Assert.That(promoted["feature"]!["reference_num"].Str(), Does.StartWith("ATL-"));
            Assert.That(promoted["workflow_status"]!["name"].Str(), Is.EqualTo("Planned"));

            await SendAsync(HttpMethod.Delete, "ideas/" + key, expected: HttpStatusCode.NoContent);
        }

        [Test]
        public async Task Initiatives_goals_competitors_and_strategy_models()
        {
            var initiative = (await SendAsync(HttpMethod.Post, "products/ATL/initiatives", "{\"initiative\": {\"name\": \"Expand to APAC\", \"workflow_status\": {\"name\": \"On track\"}, \"effort\": 3, \"value\": 8}}"))["initiative"]!;
            Assert.That(initiative["reference_num"].Str(), Does.StartWith("ATL-S-"));
            Assert.That((await _http.GetObjectAsync("initiatives/" + initiative["reference_num"].Str()))["initiative"]!["value"]!.GetValue<int>(), Is.EqualTo(8));

            var goal = (await SendAsync(HttpMethod.Post, "products/ATL/goals", "{\"goal\": {\"name\": \"NPS 50\", \"start_date\": \"2025-01-01\", \"end_date\": \"2025-12-31\", \"progress\": 10}}"))["goal"]!;
            var updated = (await SendAsync(HttpMethod.Put, $"products/ATL/goals/{goal["reference_num"].Str()}", "{\"goal\": {\"progress\": 25, \"initiatives\": [\"" + initiative["id"].Str() + "\"]}}"))["goal"]!;
            Assert.That(updated["progress"]!.GetValue<double>(), Is.EqualTo(25));
            Assert.That(updated["initiatives"]!.AsArray().Single()!["id"].Str(), Is.EqualTo(initiative["id"].Str()));

            var competitor = (await SendAsync(HttpMethod.Post, "products/ATL/competitors", "{\"competitor\": {\"name\": \"Acme\", \"strengths\": \"Cheap\"}}"))["competitor"]!;
            await SendAsync(HttpMethod.Put, $"products/ATL/competitors/{competitor["id"].Str()}", "{\"competitor\": {\"weaknesses\": \"Slow\"}}");
            Assert.That((await _http.GetObjectAsync("competitors/" + competitor["id"].Str()))["competitor"]!["weaknesses"].Str(), Is.EqualTo("Slow"));

            var model = (await SendAsync(HttpMethod.Post, "strategic_models", "{\"strategic_model\": {\"name\": \"SWOT 2025\", \"type\": \"swot\", \"data\": {\"strengths\": [\"Team\"]}}}"))["strategic_model"]!;
            Assert.That((await _http.GetObjectAsync("strategy_models/" + model["id"].Str()))["strategy_model"]!["data"]!["strengths"]!.AsArray().Single().Str(), Is.EqualTo("Team"));
            Assert.That((await _http.GetObjectAsync("strategy_models?type=swot&per_page=200"))["strategy_models"]!.AsArray().Select(m => m!["id"].Str()), Does.Contain(model["id"].Str()));
        }

        [Test]
        public async Task Comments_on_every_commentable_record()
        {
            foreach (var (list, collection, segment) in new[]
            {
                ("features", "features", "features"), ("releases", "releases", "releases"), ("epics", "epics", "epics"),
                ("ideas", "ideas", "ideas"), ("initiatives", "initiatives", "initiatives"), ("goals", "goals", "goals"),
                ("release_phases", "release_phases", "release_phases"), ("tasks", "tasks", "tasks"), ("products", "products", "products"),
            })
            {
                var parent = await FirstAsync(list, collection);
                var id = parent["id"].Str();
                var comment = (await SendAsync(HttpMethod.Post, $"{segment}/{id}/comments", "{\"comment\": {\"body\": \"<p>Looks good 👍</p>\"}}"))["comment"]!;
                Assert.That(comment["user"]!["email"].Str(), Is.EqualTo("sandra.box@example.com"), segment);
                var comments = (await _http.GetObjectAsync($"{segment}/{id}/comments"))["comments"]!.AsArray();
                Assert.That(comments.Select(c => c!["id"].Str()), Does.Contain(comment["id"].Str()), segment);
            }

            await SendAsync(HttpMethod.Post, "features/NOPE-1/comments", "{\"comment\": {\"body\": \"x\"}}", HttpStatusCode.NotFound);
            await SendAsync(HttpMethod.Post, "features/ATL-1/comments", "{\"body\": \"unwrapped\"}", HttpStatusCode.BadRequest);
        }

        [Test]
        public async Task Todos_and_time_tracking()
        {
            var feature = await FirstAsync("features", "features");
            var task = (await SendAsync(HttpMethod.Post, "tasks", "{\"task\": {\"name\": \"Write docs\", \"body\": \"<p>soon</p>\", \"due_date\": \"2025-05-01\", \"assigned_to_users\": [\"sandra.box@example.com\"], \"taskable_type\": \"Feature\", \"taskable_id\": \"" + feature["id"].Str() + "\"}}"))["task"]!;
            Assert.That(task["taskable"]!["id"].Str(), Is.EqualTo(feature["id"].Str()));
            await SendAsync(HttpMethod.Put, "tasks/" + task["id"].Str(), "{\"task\": {\"status\": \"completed\"}}");
            Assert.That((await _http.GetObjectAsync("tasks/" + task["id"].Str()))["task"]!["status"].Str(), Is.EqualTo("completed"));
            Assert.That((await _http.GetObjectAsync("me/tasks?per_page=200"))["tasks"]!.AsArray().Select(t => t!["id"].Str()), Does.Contain(task["id"].Str()));
            Assert.That((await _http.GetObjectAsync($"features/{feature["id"].Str()}/tasks"))["tasks"]!.AsArray().Select(t => t!["id"].Str()), Does.Contain(task["id"].Str()));

            var minutes = (await SendAsync(HttpMethod.Post, $"features/{feature["reference_num"].Str()}/time_tracking_events", "{\"time_tracking_event\": {\"user_id\": 1, \"work_done_text\": \"1h 30min\", \"remaining_estimate_text\": \"2h\"}}"))["time_tracking_event"]!;
            Assert.That(minutes["work_done"]!.GetValue<double>(), Is.EqualTo(90));
            Assert.That(minutes["work_units"]!.GetValue<int>(), Is.EqualTo(10));
            var points = (await SendAsync(HttpMethod.Post, $"features/{feature["reference_num"].Str()}/time_tracking_events", "{\"time_tracking_event\": {\"work_done_text\": \"5p\"}}"))["time_tracking_event"]!;
            Assert.That(points["work_units"]!.GetValue<int>(), Is.EqualTo(20));
            await SendAsync(HttpMethod.Post, $"features/{feature["reference_num"].Str()}/time_tracking_events", "{\"time_tracking_event\": {\"work_done_text\": \"a while\"}}", HttpStatusCode.BadRequest);
            await SendAsync(HttpMethod.Delete, "time_tracking_events/" + minutes["id"].Str(), expected: HttpStatusCode.NoContent);
            await SendAsync(HttpMethod.Delete, "time_tracking_events/" + minutes["id"].Str(), expected: HttpStatusCode.NotFound);
        }

        [Test]
        public async Task Me_and_my_assigned_records()
        {
            var me = (await _http.GetObjectAsync("me"))["user"]!;
            Assert.That(me["first_name"].Str(), Is.EqualTo("Sandra"));
            var assigned = await _http.GetObjectAsync("me/assigned?type=feature&per_page=200");
            Assert.That(assigned["records"]!.AsArray(), Is.Not.Empty);
            Assert.That(assigned["records"]!.AsArray().All(r => r!["record_type"].Str() == "Feature"), Is.True);
            await SendAsync(HttpMethod.Get, "me/assigned?type=spaceship", expected: HttpStatusCode.BadRequest);
        }

        [Test]
        public async Task Same_seed_same_data_other_seed_other_data()
        {
            await using var again = await Sandboxes.SmallAsync();
            await using var other = await Sandboxes.SmallAsync(o => o.Seed = 99);
            var mine = _sandbox.Records("features").Select(r => r.ToJsonString()).ToList();
            Assert.That(again.Records("features").Select(r => r.ToJsonString().Replace(again.BaseAddress.ToString(), _sandbox.BaseAddress.ToString(), System.StringComparison.Ordinal)), Is.EqualTo(mine));
            Assert.That(other.Records("features").Select(r => r["name"].Str()), Is.Not.EqualTo(_sandbox.Records("features").Select(r => r["name"].Str())));
        }
    }
}
