using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Serialization;
using Newtonsoft.Json.Linq;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.CustomFields
{
    /// <summary>The write builder, the generated <c>UpdateCustomFieldsAsync</c> and the lossless round trip, on the wire.</summary>
    public class CustomFieldUpdateTests
    {
        private const string Base = "https://company.aha.io/api/v1/";

        private sealed class Captured
        {
            public List<(HttpMethod Method, string Path, string Body)> Requests { get; } = new List<(HttpMethod, string, string)>();
        }

        private static (MockHttpMessageHandler Mock, Captured Captured) Server(string getJson)
        {
            var captured = new Captured();
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Get, Base + "*").Respond("application/json", getJson);
            mock.When(HttpMethod.Put, Base + "*").Respond(async request =>
            {
                var body = await request.Content!.ReadAsStringAsync();
                lock (captured)
                {
                    captured.Requests.Add((request.Method, request.RequestUri!.AbsolutePath, body));
                }

                // Echo the wrapped record back, so the client finds the record it promises ({"feature": ...}).
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            });
            return (mock, captured);
        }

        private static HttpClient Http(HttpMessageHandler handler) => new HttpClient(handler) { BaseAddress = new Uri(Base) };

        [Test]
        public void The_builder_writes_the_object_form()
        {
            var update = CustomFieldUpdate.Set("priority", "P3").Set("score", 7).Set("components", new[] { "web", "api" });

            Assert.That(update.ToJson(), Is.EqualTo("{\"priority\":\"P3\",\"score\":7,\"components\":[\"web\",\"api\"]}"));
            Assert.That(AhaJson.Serialize(update), Is.EqualTo(update.ToJson()));
            Assert.That(update.Count, Is.EqualTo(3));
            Assert.That(update.Keys, Is.EqualTo(new[] { "priority", "score", "components" }));
        }

        [Test]
        public void Every_value_kind_is_written_as_aha_expects()
        {
            var update = new CustomFieldUpdate()
                .Set("ratio", 10.25)
                .Set("amount", 7.50m)
                .Set("done", true)
                .Set("due", new DateTime(2024, 3, 1))
                .Set("stamp", new DateTime(2024, 3, 1, 13, 14, 15, DateTimeKind.Utc))
                .Set("at", new DateTimeOffset(2024, 3, 1, 13, 14, 15, TimeSpan.FromHours(2)))
                .Set("owner", new { email = "jane@aha.io" })
                .SetJson("sheet", "{\"123\":{\"value\":10},\"when\":\"2019-01-01T00:00:00Z\"}")
                .Set("raw", new JArray(1, "two"))
                .SetNull("cleared")
                .Set("priority", "P1")
                .Set("priority", "P2");

            var json = AhaJson.ParseToken(update.ToJson());

            var expected = AhaJson.ParseToken("{\"ratio\":10.25,\"amount\":7.50,\"done\":true,\"due\":\"2024-03-01\",\"stamp\":\"2024-03-01T13:14:15.0000000Z\",\"at\":\"2024-03-01T13:14:15.0000000+02:00\",\"owner\":{\"email\":\"jane@aha.io\"},\"sheet\":{\"123\":{\"value\":10},\"when\":\"2019-01-01T00:00:00Z\"},\"raw\":[1,\"two\"],\"cleared\":null,\"priority\":\"P2\"}");
            Assert.That(JToken.DeepEquals(json, expected), Is.True, json.ToString());
            Assert.That(update.ToJson(), Does.Contain("\"amount\":7.50"));
            Assert.That(update.Remove("cleared").ContainsKey("cleared"), Is.False);
        }

        [Test]
        public void Set_with_a_null_literal_compiles_and_clears_the_field()
        {
            // Was ambiguous (CS0121) between the string, JToken, CustomFieldValue, IEnumerable<string> and object overloads.
            var update = CustomFieldUpdate.Set("priority", null).Set("score", null);

            Assert.That(update.ToJson(), Is.EqualTo("{\"priority\":null,\"score\":null}"));
            Assert.That(update.ToJson(), Is.EqualTo(CustomFieldUpdate.SetNull("priority").SetNull("score").ToJson()));
        }

        [Test]
        public void Bad_builder_input_is_refused()
        {
            Assert.That(() => CustomFieldUpdate.Set("", "x"), Throws.ArgumentException);
            Assert.That(() => CustomFieldUpdate.Set("x", double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => CustomFieldUpdate.Set("x", (IEnumerable<string>)null!), Throws.ArgumentNullException);
            Assert.That(() => CustomFieldUpdate.SetJson("x", "{oops"), Throws.InstanceOf<Newtonsoft.Json.JsonException>());
            var attachment = AhaJson.Deserialize<FeatureResponse>(Fixtures.FeatureJson)!.Feature!.CustomFields!["upload"];
            Assert.That(() => CustomFieldUpdate.Set("upload", attachment), Throws.ArgumentException.With.Message.Contains("upload"));
        }

        [Test]
        public async Task UpdateCustomFieldsAsync_sends_one_put_with_only_the_custom_fields()
        {
            var (mock, captured) = Server("{}");
            var features = new FeaturesClient(Http(mock));

            await features.UpdateCustomFieldsAsync("PRJ1-1", CustomFieldUpdate.Set("priority", "P3").Set("score", 7).Set("components", new[] { "web", "api" }));

            var request = captured.Requests.Single();
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Put));
            Assert.That(request.Path, Is.EqualTo("/api/v1/features/PRJ1-1"));
            Assert.That(request.Body, Is.EqualTo("{\"feature\":{\"custom_fields\":{\"priority\":\"P3\",\"score\":7,\"components\":[\"web\",\"api\"]}}}"));
        }

        [Test]
        public async Task An_empty_update_is_refused_before_anything_is_sent()
        {
            var (mock, captured) = Server("{}");
            var features = new FeaturesClient(Http(mock));

            await Assert.ThatAsync(() => features.UpdateCustomFieldsAsync("PRJ1-1", new CustomFieldUpdate()), Throws.ArgumentException.With.Message.Contains("names no field"));
            await Assert.ThatAsync(() => features.UpdateCustomFieldsAsync("PRJ1-1", null!), Throws.ArgumentNullException);
            await Assert.ThatAsync(() => features.UpdateCustomFieldsAsync(null!, CustomFieldUpdate.Set("a", "b")), Throws.ArgumentNullException);

            Assert.That(captured.Requests, Is.Empty);
        }

        [Test]
        public async Task Read_change_one_field_write_back_every_other_value_reaches_the_wire_unchanged()
        {
            var (mock, captured) = Server(Fixtures.FeatureJson);
            var features = new FeaturesClient(Http(mock));

            var feature = await features.GetAsync("PRJ1-1");
            var update = feature.CustomFields!.ToUpdate().Set("priority", "P1");
            await features.UpdateCustomFieldsAsync(feature.Id!, update);

            var wire = captured.Requests.Single().Body;
            var written = (JObject)AhaJson.ParseToken(wire)["feature"]!["custom_fields"]!;
            var original = ((JArray)AhaJson.ParseToken(Fixtures.FeatureJson)["feature"]!["custom_fields"]!).Cast<JObject>().ToList();

            Assert.That((string?)written["priority"], Is.EqualTo("P1"));
            foreach (var field in original.Where(f => (string?)f["key"] != "priority"))
            {
                var key = (string)field["key"]!;
                if (!field.ContainsKey("value"))
                {
                    Assert.That(written.ContainsKey(key), Is.False, key + " has no value (attachments) and must not be written");
                    continue;
                }

                Assert.That(JToken.DeepEquals(written[key], field["value"]), Is.True, key + ": wrote " + written[key]?.ToString(Newtonsoft.Json.Formatting.None) + " for " + field["value"]!.ToString(Newtonsoft.Json.Formatting.None));
            }

            Assert.That(written.Properties().Select(p => p.Name), Is.EquivalentTo(original.Where(f => f.ContainsKey("value")).Select(f => (string)f["key"]!)));

            // Byte-level spot checks for the values most often mangled.
            Assert.That(wire, Does.Contain("\"big_number\":6776757454438660320"));
            Assert.That(wire, Does.Contain("\"big_number_text\":\"6776757454438660320\""));
            Assert.That(wire, Does.Contain("\"huge_number\":123456789012345678901234567890"));
            Assert.That(wire, Does.Contain("\"expected_completion_date\":\"2019-01-01\""));
            Assert.That(wire, Does.Contain("\"timestamp_text\":\"2019-01-01T10:00:00.120+02:00\""));
            Assert.That(wire, Does.Contain("Grüße — 日本語 😀"));
            Assert.That(wire, Does.Contain("\"record_ids\":[640362830,6776757454438660321]"));
            Assert.That(wire, Does.Contain("{\"$type\":\"kept\"}"));
            Assert.That(wire, Does.Contain("\"ratio\":10.25"));
        }

        [Test]
        public async Task Object_form_records_round_trip_too()
        {
            var json = "{\"feature\":{\"id\":\"138732915\",\"custom_fields\":" + Fixtures.IdeaOrganizationCustomFields + "}}";
            var (mock, captured) = Server(json);
            var client = new FeaturesClient(Http(mock));

            var record = await client.GetAsync("138732915");
            await client.UpdateCustomFieldsAsync(record.Id!, record.CustomFields!.ToUpdate().Set("size", "Small"));

            var written = AhaJson.ParseToken(captured.Requests.Single().Body)["feature"]!["custom_fields"]!;
            var expected = AhaJson.ParseToken(Fixtures.IdeaOrganizationCustomFields);
            expected["size"] = "Small";
            Assert.That(JToken.DeepEquals(written, expected), Is.True, written.ToString());
        }

        [Test]
        public async Task Idea_organizations_read_the_object_form_and_write_it_back_through_their_own_put()
        {
            var json = "{\"idea_organization\":{\"id\":\"138732915\",\"name\":\"ACME Corporation\",\"custom_fields\":" + Fixtures.IdeaOrganizationCustomFields + "}}";
            var (mock, captured) = Server(json);
            var organizations = new IdeaOrganizationsClient(Http(mock));

            var organization = await organizations.GetAsync("138732915");
            Assert.That(organization.CustomFields!.Form, Is.EqualTo(CustomFieldsForm.Object));
            Assert.That(organization.CustomFields["industry"].AsString(), Is.EqualTo("Technology"));

            await organizations.UpdateCustomFieldsAsync(organization.Id!, organization.CustomFields.ToUpdate().Set("size", "Small"));

            var request = captured.Requests.Single();
            Assert.That(request.Path, Is.EqualTo("/api/v1/idea_organizations/138732915"));
            Assert.That(request.Body, Is.EqualTo("{\"idea_organization\":{\"custom_fields\":{\"industry\":\"Technology\",\"size\":\"Small\",\"founded\":\"2001-05-06\",\"employees\":1200,\"regions\":[\"EU\",\"US\"]}}}"));
        }

        /// <summary>
        /// Every generated <c>Update...CustomFieldsAsync</c> in the assembly (one per PUT of the spec that carries
        /// custom fields) sends a body holding the custom fields: the write can never be a silent no-op.
        /// </summary>
        [Test]
        public async Task Every_generated_custom_fields_update_puts_the_fields_on_the_wire()
        {
            var wrappers = GeneratedWrappers.CustomFieldUpdates().ToList();
            Assert.That(wrappers, Is.Not.Empty);

            foreach (var wrapper in wrappers)
            {
                var (mock, captured) = Server("{}");
                var update = CustomFieldUpdate.Set("priority", "P3").Set("score", 7).Set("components", new[] { "web", "api" });

                await GeneratedWrappers.InvokeAsync(wrapper, Http(mock), update);

                var request = captured.Requests.Single();
                Assert.That(request.Method, Is.EqualTo(HttpMethod.Put), wrapper.Name);
                var body = (JObject)AhaJson.ParseToken(request.Body);
                var customFields = body.Properties().Count() == 1 && body.Properties().Single().Value is JObject wrapped
                    ? wrapped["custom_fields"]
                    : body["custom_fields"];
                Assert.That(customFields, Is.Not.Null, wrapper.DeclaringType!.Name + "." + wrapper.Name + " sent " + request.Body);
                Assert.That(customFields!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo(update.ToJson()), wrapper.Name);
                Assert.That(body.Properties().Count(), Is.EqualTo(1), "only the wrapper (or custom_fields) is sent: " + request.Body);
                if (body.Properties().Single().Value is JObject onlyChild)
                {
                    Assert.That(onlyChild.Properties().Select(p => p.Name), Is.EqualTo(new[] { "custom_fields" }), request.Body);
                }
            }
        }
    }
}
