using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    [TestFixture]
    public class AuthAndWrapperTests
    {
        private AhaSandbox _sandbox = null!;
        private HttpClient _http = null!;

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            _sandbox = await Sandboxes.SmallAsync();
            _http = _sandbox.CreateHttpClient();
        }

        [OneTimeTearDown]
        public async Task StopAsync()
        {
            _http.Dispose();
            await _sandbox.DisposeAsync();
        }

        [Test]
        public async Task Base_address_is_loopback_api_v1()
        {
            Assert.That(_sandbox.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(_sandbox.BaseAddress.AbsolutePath, Is.EqualTo("/api/v1/"));
            Assert.That(_sandbox.BaseAddress.Port, Is.GreaterThan(0));
            var me = await _http.GetObjectAsync("me");
            Assert.That(me["user"]!["email"].Str(), Does.Contain("@example.com"));
        }

        [TestCase(null)]
        [TestCase("Bearer wrong-token")]
        [TestCase("Basic dXNlcjpwYXNz")]
        public async Task Missing_or_bad_token_is_403_with_a_json_message(string? authorization)
        {
            using var http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "features");
            if (authorization != null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            var body = await response.ReadObjectAsync();
            Assert.That(body["error"].Str(), Is.EqualTo("Forbidden"));
            Assert.That(body["message"].Str(), Is.Not.Empty);
            Assert.That(body.ToJsonString(), Does.Not.Contain(_sandbox.Token), "a secret must never be echoed");
        }

        [Test]
        public async Task Token_is_accepted_as_a_bearer_token()
        {
            using var http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _sandbox.Token);
            using var response = await http.GetAsync("products");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        }

        [Test]
        public async Task Single_records_and_lists_are_wrapped()
        {
            var list = await _http.GetObjectAsync("features");
            Assert.That(list["features"], Is.InstanceOf<JsonArray>());
            Assert.That(list["pagination"]!["total_records"]!.GetValue<int>(), Is.EqualTo(_sandbox.Count("features")));
            var first = list["features"]!.AsArray()[0]!;
            var key = first["reference_num"].Str();

            var single = await _http.GetObjectAsync("features/" + key);
            Assert.That(single.Count, Is.EqualTo(1));
            Assert.That(single["feature"]!["reference_num"].Str(), Is.EqualTo(key));

            var byId = await _http.GetObjectAsync("features/" + first["id"].Str());
            Assert.That(byId["feature"]!["reference_num"].Str(), Is.EqualTo(key));
        }

        [TestCase("{\"name\": \"No wrapper\"}", "wrapped in \"feature\"")]
        [TestCase("{\"feature\": \"not an object\"}", "must be an object")]
        [TestCase("{\"feature\": {\"name\": \"x\"}, \"name\": \"sibling\"}", "Unexpected member")]
        [TestCase("{\"feature\": {\"name\": ", "not valid JSON")]
        [TestCase("[1, 2]", "JSON object")]
        [TestCase("", "body is required")]
        [TestCase("{\"feature\": {\"name\": \"   \"}}", "Name can't be blank")]
        [TestCase("{\"feature\": {\"description\": \"no name\"}}", "Name can't be blank")]
        [TestCase("{\"feature\": {\"name\": 42}}", "name must be a string")]
        [TestCase("{\"feature\": {\"name\": \"x\", \"start_date\": \"31/12/2024\"}}", "start_date must be a date")]
        [TestCase("{\"feature\": {\"name\": \"x\", \"tags\": {\"a\": 1}}}", "tags must be")]
        [TestCase("{\"feature\": {\"name\": \"x\", \"custom_fields\": [\"priority\"]}}", "custom_fields must be an object")]
        public async Task Invalid_create_bodies_are_400_with_a_message_and_store_nothing(string body, string message)
        {
            var release = (await _http.GetObjectAsync("releases"))["releases"]!.AsArray()[0]!["reference_num"].Str();
            var before = _sandbox.Count("features");
            using var response = await _http.PostAsync($"releases/{release}/features", Sandboxes.Json(body));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var error = await response.ReadObjectAsync();
            Assert.That(error["error"].Str(), Is.EqualTo("Bad Request"));
            Assert.That(error["message"].Str(), Does.Contain(message));
            Assert.That(_sandbox.Count("features"), Is.EqualTo(before));
        }

        [Test]
        public async Task Invalid_update_changes_nothing()
        {
            var key = (await _http.GetObjectAsync("features"))["features"]!.AsArray()[1]!["reference_num"].Str();
            var before = (await _http.GetObjectAsync("features/" + key))["feature"]!.ToJsonString();
            using var response = await _http.PutAsync("features/" + key, Sandboxes.Json("{\"feature\": {\"name\": \"Renamed\", \"progress\": 250}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var after = (await _http.GetObjectAsync("features/" + key))["feature"]!.ToJsonString();
            Assert.That(after, Is.EqualTo(before), "a rejected update is all or nothing");
        }

        [TestCase("features/NOPE-999")]
        [TestCase("features/1234567890123456789")]
        [TestCase("ideas/NOPE-I-1")]
        [TestCase("releases/NOPE-R-1/features")]
        [TestCase("products/NOPE/ideas")]
        [TestCase("no_such_collection")]
        public async Task Unknown_records_and_routes_are_404(string uri)
        {
            using var response = await _http.GetAsync(uri);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            var body = await response.ReadObjectAsync();
            Assert.That(body["message"].Str(), Is.Not.Empty);
        }

        [Test]
        public async Task Create_read_update_delete_round_trip()
        {
            var release = (await _http.GetObjectAsync("releases"))["releases"]!.AsArray()[0]!;
            var releaseKey = release["reference_num"].Str();
            using var created = await _http.PostAsync($"releases/{releaseKey}/features?disable_mailers=true", Sandboxes.Json(
                "{\"feature\": {\"name\": \"Sandbox feature ✓\", \"workflow_status\": {\"name\": \"In development\"}, \"tags\": \"alpha, beta\", \"assigned_to_user\": \"jose.nunez@example.com\", \"description\": \"<p>Hi ü</p>\"}}"));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), "creates answer 200, not 201");
            var feature = (await created.ReadObjectAsync())["feature"]!;
            var key = feature["reference_num"].Str();
            Assert.That(feature["name"].Str(), Is.EqualTo("Sandbox feature ✓"));
            Assert.That(feature["workflow_status"]!["name"].Str(), Is.EqualTo("In development"));
            Assert.That(feature["tags"]!.AsArray().Select(t => t.Str()), Is.EqualTo(new[] { "alpha", "beta" }));
            Assert.That(feature["assigned_to_user"]!["name"].Str(), Is.EqualTo("José Núñez"));
            Assert.That(feature["release"]!["reference_num"].Str(), Is.EqualTo(releaseKey));
            Assert.That(feature["description"]!["body"].Str(), Is.EqualTo("<p>Hi ü</p>"));
            Assert.That(feature["id"].Str().Length, Is.EqualTo(19));

            // Visible to later reads: by key, by id, in the release's and the product's lists.
            Assert.That((await _http.GetObjectAsync("features/" + key))["feature"]!["name"].Str(), Is.EqualTo("Sandbox feature ✓"));
            Assert.That((await _http.GetObjectAsync("features/" + feature["id"].Str()))["feature"]!["reference_num"].Str(), Is.EqualTo(key));
            var inRelease = await _http.GetObjectAsync($"releases/{releaseKey}/features?per_page=200&fields=reference_num");
            Assert.That(inRelease["features"]!.AsArray().Select(f => f!["reference_num"].Str()), Does.Contain(key));
            var productId = feature["product_id"].Str();
            var inProduct = await _http.GetObjectAsync($"products/{productId}/features?q=Sandbox feature");
            Assert.That(inProduct["features"]!.AsArray().Select(f => f!["reference_num"].Str()), Is.EqualTo(new[] { key }));

            using var updated = await _http.PutAsync("features/" + key, Sandboxes.Json("{\"feature\": {\"name\": \"Renamed\", \"tags\": [\"gamma\"]}}"));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var after = (await _http.GetObjectAsync("features/" + key))["feature"]!;
            Assert.That(after["name"].Str(), Is.EqualTo("Renamed"));
            Assert.That(after["tags"]!.AsArray().Select(t => t.Str()), Is.EqualTo(new[] { "gamma" }));
            Assert.That(after["workflow_status"]!["name"].Str(), Is.EqualTo("In development"), "attributes not sent are kept");

            using var deleted = await _http.DeleteAsync("features/" + key);
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await deleted.Content.ReadAsByteArrayAsync(), Is.Empty);
            using var gone = await _http.GetAsync("features/" + key);
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            using var again = await _http.DeleteAsync("features/" + key);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }
}
