using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    [TestFixture]
    public class CustomFieldTests
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

        private async Task<string> AnyFeatureAsync() =>
            (await _http.GetObjectAsync("features?per_page=1"))["features"]!.AsArray()[0]!["reference_num"].Str();

        private static JsonObject Field(JsonObject record, string key) =>
            record["custom_fields"]!.AsArray().Single(f => f!["key"].Str() == key)!.AsObject();

        [Test]
        public async Task Written_as_an_object_read_back_as_the_typed_array()
        {
            var key = await AnyFeatureAsync();
            const string body = @"{""feature"": {""custom_fields"": {
                ""priority"": ""P1"",
                ""customer_impact"": ""42.5"",
                ""target_launch"": ""2025-03-01"",
                ""release_notes"": ""<p>Grüße, 世界 🌍</p>"",
                ""components"": ""web, api"",
                ""stakeholders"": [""zoe.orsted@example.com""],
                ""spec_url"": ""https://docs.example.com/x"",
                ""business_case"": {""6651670327076753738"": 777, ""6651670366942086967"": 432}
            }}}";
            using var response = await _http.PutAsync("features/" + key, Sandboxes.Json(body));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

            var feature = (await _http.GetObjectAsync("features/" + key))["feature"]!.AsObject();
            Assert.That(Field(feature, "priority")["value"].Str(), Is.EqualTo("P1"));
            Assert.That(Field(feature, "priority")["type"].Str(), Is.EqualTo("string"));
            Assert.That(Field(feature, "customer_impact")["value"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number), "a number field reads back as a JSON number");
            Assert.That(Field(feature, "customer_impact")["value"]!.GetValue<decimal>(), Is.EqualTo(42.5m));
            Assert.That(Field(feature, "target_launch")["value"].Str(), Is.EqualTo("2025-03-01"));
            Assert.That(Field(feature, "release_notes")["value"].Str(), Is.EqualTo("<p>Grüße, 世界 🌍</p>"));
            Assert.That(Field(feature, "release_notes")["type"].Str(), Is.EqualTo("note"));
            Assert.That(Field(feature, "components")["value"]!.AsArray().Select(v => v.Str()), Is.EqualTo(new[] { "web", "api" }));
            Assert.That(Field(feature, "stakeholders")["value"]!.AsArray().Single()!["name"].Str(), Is.EqualTo("Zoë Ørsted"));
            Assert.That(Field(feature, "spec_url")["value"].Str(), Is.EqualTo("https://docs.example.com/x"));
            var sheet = Field(feature, "business_case")["value"]!["values"]!;
            Assert.That(sheet["6651670327076753738"]!["value"]!.GetValue<int>(), Is.EqualTo(777));
            Assert.That(sheet["6651670327076753738"]!["name"].Str(), Is.EqualTo("Revenue"), "worksheet cells keep their names");
            foreach (var field in feature["custom_fields"]!.AsArray())
            {
                Assert.That(field!.AsObject().Select(kv => kv.Key), Is.SupersetOf(new[] { "id", "key", "name", "type", "updatedAt" }));
            }
        }

        [Test]
        public async Task Fields_not_named_are_left_unchanged_and_null_clears_one()
        {
            var key = await AnyFeatureAsync();
            await _http.PutAsync("features/" + key, Sandboxes.Json("{\"feature\": {\"custom_fields\": {\"priority\": \"P2\", \"spec_url\": \"https://a.example\"}}}"));
            using var response = await _http.PutAsync("features/" + key, Sandboxes.Json("{\"feature\": {\"custom_fields\": {\"spec_url\": null}}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var feature = (await _http.GetObjectAsync("features/" + key))["feature"]!.AsObject();
            Assert.That(Field(feature, "priority")["value"].Str(), Is.EqualTo("P2"));
            Assert.That(feature["custom_fields"]!.AsArray().Any(f => f!["key"].Str() == "spec_url"), Is.False);
        }

        [TestCase("{\"nope\": 1}", "Unknown custom field 'nope'")]
        [TestCase("{\"customer_impact\": \"lots\"}", "expected a number")]
        [TestCase("{\"target_launch\": \"next week\"}", "must be a date")]
        [TestCase("{\"components\": {\"a\": 1}}", "array of strings")]
        [TestCase("{\"stakeholders\": [\"12345\"]}", "no user")]
        [TestCase("{\"spec_url\": \"not a url\"}", "absolute URL")]
        [TestCase("{\"business_case\": 5}", "worksheet")]
        [TestCase("{\"mockups\": \"file.png\"}", "attachments")]
        public async Task Invalid_custom_field_values_are_400(string fields, string message)
        {
            var key = await AnyFeatureAsync();
            using var response = await _http.PutAsync("features/" + key, Sandboxes.Json("{\"feature\": {\"custom_fields\": " + fields + "}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await response.ReadObjectAsync())["message"].Str(), Does.Contain(message));
        }

        [Test]
        public async Task A_PUT_without_a_body_is_400_not_a_silent_no_op()
        {
            var key = await AnyFeatureAsync();
            using var response = await _http.PutAsync("features/" + key, new StringContent(string.Empty));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        [Test]
        public async Task Unknown_keys_can_be_allowed_by_option()
        {
            await using var sandbox = await Sandboxes.SmallAsync(o => o.AllowUnknownCustomFields = true);
            using var http = sandbox.CreateHttpClient();
            var key = (await http.GetObjectAsync("ideas?per_page=1"))["ideas"]!.AsArray()[0]!["reference_num"].Str();
            using var response = await http.PutAsync("ideas/" + key, Sandboxes.Json("{\"idea\": {\"custom_fields\": {\"region\": \"EMEA\", \"seats\": 12, \"labels\": [\"x\"]}}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var idea = (await http.GetObjectAsync("ideas/" + key))["idea"]!.AsObject();
            Assert.That(Field(idea, "seats")["type"].Str(), Is.EqualTo("number"));
            Assert.That(Field(idea, "labels")["type"].Str(), Is.EqualTo("array"));
            Assert.That(Field(idea, "region")["value"].Str(), Is.EqualTo("EMEA"));
        }

        [Test]
        public async Task Idea_organizations_take_custom_fields_and_comma_separated_email_domains()
        {
            var org = (await _http.GetObjectAsync("idea_organizations?per_page=1"))["idea_organizations"]!.AsArray()[0]!;
            using var response = await _http.PutAsync("idea_organizations/" + org["id"].Str(), Sandboxes.Json("{\"idea_organization\": {\"email_domains\": [\"a.example\", \"b.example\"], \"custom_fields\": {\"priority\": \"P4\"}}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var read = (await _http.GetObjectAsync("idea_organizations/" + org["id"].Str()))["idea_organization"]!.AsObject();
            Assert.That(Field(read, "priority")["value"].Str(), Is.EqualTo("P4"));
            Assert.That(read["email_domains"].Str(), Is.EqualTo("a.example, b.example"), "a comma-separated string, as the official pages show");
        }

        [Test]
        public async Task Create_with_custom_fields()
        {
            var product = (await _http.GetObjectAsync("products"))["products"]!.AsArray()[0]!["reference_prefix"].Str();
            using var response = await _http.PostAsync($"products/{product}/ideas", Sandboxes.Json("{\"idea\": {\"name\": \"Idea with fields\", \"custom_fields\": {\"priority\": \"P3\", \"customer_impact\": 7}}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var idea = (await response.ReadObjectAsync())["idea"]!.AsObject();
            Assert.That(Field(idea, "customer_impact")["value"]!.GetValue<int>(), Is.EqualTo(7));
            Assert.That(idea["reference_num"].Str(), Does.StartWith(product + "-I-"));
            Assert.That(idea["product"]!["reference_prefix"].Str(), Is.EqualTo(product), "ideas embed the product as 'product'");
        }
    }
}
