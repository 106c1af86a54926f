using System.Collections.Generic;
using System.Text.Json;
using Aha.Client.Serialization;
using Aha.Client.Tests.CustomFields;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Serialization
{
    /// <summary>
    /// A model returned from an ASP.NET Core endpoint is written by System.Text.Json with the web defaults (camelCase
    /// naming policy). It must come out as Aha! sent it: snake_case names, every custom-field value, unknown attributes.
    /// </summary>
    public class SystemTextJsonTests
    {
        private static readonly JsonSerializerOptions Web = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        private static string FeatureWithUnknownAttribute()
        {
            var json = (JObject)AhaJson.ParseToken(Fixtures.FeatureJson);
            json["feature"]!["reference_num"] = "APP-1";
            json["feature"]!["attribute_from_the_future"] = new JObject { ["nested"] = new JArray(1, "two", JValue.CreateNull()) };
            return json.ToString(Newtonsoft.Json.Formatting.None);
        }

        [Test]
        public void A_model_written_by_System_Text_Json_is_the_JSON_Newtonsoft_writes()
        {
            var response = AhaJson.Deserialize<FeatureResponse>(FeatureWithUnknownAttribute())!;

            var stj = JsonSerializer.Serialize(response, Web);

            Assert.That(stj, Is.EqualTo(AhaJson.Serialize(response)));
            var written = JObject.Parse(stj)["feature"]!;
            Assert.That((string?)written["reference_num"], Is.EqualTo("APP-1"), "Aha!'s name, not the naming policy's referenceNum");
            Assert.That(written["referenceNum"], Is.Null);
            var fields = (JArray)written["custom_fields"]!;
            var original = (JArray)AhaJson.ParseToken(Fixtures.FeatureJson)["feature"]!["custom_fields"]!;
            JsonAssert.AreEquivalent(original.ToString(), fields.ToString(), "every custom field, every value kind");
            Assert.That(written["attribute_from_the_future"]!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"nested\":[1,\"two\",null]}"));
        }

        [Test]
        public void System_Text_Json_reads_a_model_back_with_its_custom_field_values()
        {
            var response = AhaJson.Deserialize<FeatureResponse>(FeatureWithUnknownAttribute())!;
            var back = JsonSerializer.Deserialize<FeatureResponse>(JsonSerializer.Serialize(response, Web), Web)!;

            var fields = back.Feature!.CustomFields!;
            Assert.That(fields["score"].AsNumber(), Is.EqualTo(7m));
            Assert.That(fields["component"].AsStrings(), Is.EqualTo(new[] { "web", "mobile" }));
            Assert.That(fields["big_number"].RawValue!.ToString(), Is.EqualTo("6776757454438660320"));
            Assert.That(fields["owner"].AsUser()!.Email, Is.EqualTo("no-reply@aha.io"));
            Assert.That(back.Feature.AdditionalProperties, Does.ContainKey("attribute_from_the_future"));
            Assert.That(AhaJson.Serialize(back), Is.EqualTo(AhaJson.Serialize(response)));
        }

        [Test]
        public void Custom_fields_on_their_own_and_models_inside_your_own_types_keep_Aha_s_form()
        {
            var feature = AhaJson.Deserialize<FeatureResponse>(Fixtures.FeatureJson)!.Feature!;

            Assert.That(JsonSerializer.Serialize(feature.CustomFields, Web), Is.EqualTo(AhaJson.Serialize(feature.CustomFields)));
            Assert.That(JsonSerializer.Serialize(feature.CustomFields!["owner"], Web), Is.EqualTo(AhaJson.Serialize(feature.CustomFields!["owner"])));

            var update = CustomFieldUpdate.Set("score", 9L);
            Assert.That(JsonSerializer.Serialize(update, Web), Is.EqualTo("{\"score\":9}"));

            // Your own DTO keeps the naming policy; the Aha! model inside it keeps Aha!'s names.
            var envelope = JsonSerializer.Serialize(new Envelope { RequestedBy = "me", Features = new List<Feature> { feature } }, Web);
            var parsed = JObject.Parse(envelope);
            Assert.That((string?)parsed["requestedBy"], Is.EqualTo("me"));
            Assert.That(parsed["features"]![0]!["start_date"], Is.Not.Null);
            Assert.That(parsed["features"]![0]!["custom_fields"]!.Type, Is.EqualTo(JTokenType.Array));
            Assert.That(((JArray)parsed["features"]![0]!["custom_fields"]!).Count, Is.EqualTo(feature.CustomFields!.Count));
        }

        private sealed class Envelope
        {
            public string? RequestedBy { get; set; }

            public List<Feature>? Features { get; set; }
        }
    }
}
