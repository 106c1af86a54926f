using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Aha.Client.Serialization;
using Aha.Client.Tests.Contract.Schemas;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.Reference
{
    /// <summary>
    /// Invented variants of every answer Aha! publishes, made by changing one value at a time: each member of each
    /// reference answer (the first item of every list) is given another shape (an object as text, text as an object or a
    /// list, a list as text, a flag as text, an id as a number or as text, a timestamp without its zone, a full timestamp in
    /// a day, an empty string, a name no enumeration knows, null). The answer must still be read, and written back to the
    /// same JSON tree apart from what README.md states: the value of the wrong shape is kept verbatim by its record.
    /// The only answers allowed to fail are those README.md names: an item of a list of records that is not an object,
    /// and a member the spec requires (an id) sent as null or as another shape.
    /// </summary>
    [TestFixture]
    public class ShapeVariantTests
    {
        [Test]
        public void Every_one_value_variant_of_every_reference_answer_is_read_and_written_back()
        {
            var settings = SchemaValidationTests.Settings.Value;
            var answers = ReferenceExamples.All
                .Where(e => !e.IsRequest && !ReferenceExampleTests.Exclusions().ContainsKey(e.Label) && !ReferenceExampleTests.Unwrapped().ContainsKey(e.Label))
                .Select(e => (Example: e, Type: ReferenceRoundTripTests.ModelTypeOf(e)))
                .Where(x => x.Type != null)
                .ToList();
            Assert.That(answers, Has.Count.GreaterThan(300), "the reference answers are found");

            var variants = 0;
            var failures = new List<string>();

            // One variant per member of each generated type and kind of change: the same member in another example of
            // the same answer type adds nothing.
            var tried = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (example, type) in answers)
            {
                var root = JsonAssert.Parse(example.Json);
                foreach (var token in Members(root))
                {
                    foreach (var (kind, replacement) in Variants(token))
                    {
                        if (!tried.Add(type!.Name + " " + System.Text.RegularExpressions.Regex.Replace(token.Path, @"\[\d+\]", "[]") + " " + kind))
                        {
                            continue;
                        }

                        var variant = root.DeepClone();
                        Replace(variant.SelectToken(token.Path)!, replacement);
                        variants++;
                        var failure = Check(variant, type!, settings, IsRecordInList(token));
                        if (failure != null && failures.Count < 40)
                        {
                            failures.Add($"{example.Label} ({type!.Name}) {token.Path} {kind}: {failure}");
                        }
                    }
                }
            }

            TestContext.Progress.WriteLine($"{variants} one-value variants of {answers.Count} reference answers read and written back");
            Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures));
        }

        [Test]
        public void A_member_of_the_wrong_shape_is_kept_by_its_record_and_the_rest_is_read()
        {
            const string Json = "{\"feature\":{\"id\":\"1\",\"name\":{\"en\":\"Dark mode\"},\"tags\":\"ui,dark\",\"position\":2.5,"
                + "\"workflow_status\":{\"id\":\"7\",\"name\":\"Ready\",\"complete\":\"yes\"},\"reference_num\":\"APP-1\"}}";
            var feature = JsonConvert.DeserializeObject<FeatureResponse>(Json, SchemaValidationTests.Settings.Value)!.Feature!;

            Assert.That(feature.ReferenceNum, Is.EqualTo("APP-1"), "the rest of the record is read");
            Assert.That(feature.Name, Is.Null);
            Assert.That(feature.AdditionalProperties["name"], Is.EqualTo(JObject.Parse("{\"en\":\"Dark mode\"}")).Using<JToken>(JToken.DeepEquals));
            Assert.That(feature.Tags, Is.Null);
            Assert.That(feature.AdditionalProperties["tags"], Is.EqualTo(new JValue("ui,dark")));
            Assert.That(feature.WorkflowStatus!.Name, Is.EqualTo("Ready"));
            Assert.That(feature.WorkflowStatus.AdditionalProperties["complete"], Is.EqualTo(new JValue("yes")), "a flag sent as text is kept, not turned into true");
            var written = JsonAssert.Parse(JsonConvert.SerializeObject(new FeatureResponse { Feature = feature }, SchemaValidationTests.Settings.Value));
            Assert.That(ReferenceRoundTripTests.Differences(JsonAssert.Parse(Json), written, string.Empty), Is.Empty, "written back unchanged");
        }

        [Test]
        public void A_caller_serializer_with_default_settings_reads_the_models_by_the_same_rules()
        {
            const string Json = "{\"feature\":{\"id\":\"1\",\"name\":{\"en\":\"Dark mode\"},\"created_at\":\"2019-01-01T10:00:00\",\"custom_fields\":[{\"key\":\"due\",\"value\":\"2019-02-03T04:05:06Z\",\"type\":\"date\"}]}}";

            var feature = JsonConvert.DeserializeObject<FeatureResponse>(Json)!.Feature!;

            Assert.That(feature.Name, Is.Null);
            Assert.That(feature.AdditionalProperties["name"], Is.EqualTo(JObject.Parse("{\"en\":\"Dark mode\"}")).Using<JToken>(JToken.DeepEquals));
            Assert.That(feature.CreatedAt, Is.EqualTo(new DateTimeOffset(2019, 1, 1, 10, 0, 0, TimeSpan.Zero)), "no zone is UTC");
            Assert.That(feature.CustomFields!["due"].ValueJson, Is.EqualTo("\"2019-02-03T04:05:06Z\""), "a free-form value stays the text sent");
        }

        [Test]
        public void A_name_no_enumeration_knows_is_kept_and_written_back()
        {
            var settings = SchemaValidationTests.Settings.Value;
            var (type, property) = typeof(AhaClient).Assembly.GetTypes()
                .Where(t => t.Namespace == "Aha.Client" && t.GetProperty("AdditionalProperties") != null
                    && t.GetProperties().All(p => p.GetCustomAttributes(typeof(JsonPropertyAttribute), false).Cast<JsonPropertyAttribute>().All(a => a.Required != Required.Always)))
                .SelectMany(t => t.GetProperties().Select(p => (t, p)))
                .First(x => (Nullable.GetUnderlyingType(x.p.PropertyType) ?? x.p.PropertyType).IsEnum && x.p.GetCustomAttributes(typeof(JsonPropertyAttribute), false).Length == 1);
            var name = property.GetCustomAttributes(typeof(JsonPropertyAttribute), false).Cast<JsonPropertyAttribute>().Single().PropertyName!;
            var json = "{\"" + name + "\":\"a_value_added_later\"}";

            var model = JsonConvert.DeserializeObject(json, type, settings)!;

            Assert.That(property.GetValue(model), Is.Null, $"{type.Name}.{property.Name}");
            Assert.That(JsonAssert.Parse(JsonConvert.SerializeObject(model, settings)), Is.EqualTo(JsonAssert.Parse(json)).Using<JToken>(JToken.DeepEquals));
        }

        [Test]
        public void Custom_field_items_that_are_not_field_objects_are_kept_and_written_back()
        {
            const string Json = "{\"feature\":{\"id\":\"1\",\"custom_fields\":[{\"key\":\"priority\",\"name\":\"Priority\",\"value\":\"P1\",\"type\":\"string\"},\"stray\",null]}}";
            var feature = JsonConvert.DeserializeObject<FeatureResponse>(Json, SchemaValidationTests.Settings.Value)!.Feature!;

            Assert.That(feature.CustomFields!["priority"].AsString(), Is.EqualTo("P1"));
            Assert.That(feature.CustomFields.Unrecognised, Is.EqualTo(JArray.Parse("[\"stray\",null]")).Using<JToken>(JToken.DeepEquals));
            var written = JsonAssert.Parse(JsonConvert.SerializeObject(new FeatureResponse { Feature = feature }, SchemaValidationTests.Settings.Value));
            Assert.That(written, Is.EqualTo(JsonAssert.Parse(Json)).Using<JToken>(JToken.DeepEquals));
        }

        private static string? Check(JToken variant, Type type, JsonSerializerSettings settings, bool recordInList)
        {
            try
            {
                var model = JsonConvert.DeserializeObject(variant.ToString(Formatting.None), type, settings);
                var written = JsonAssert.Parse(JsonConvert.SerializeObject(model, settings));
                var differences = ReferenceRoundTripTests.Differences(variant, written, string.Empty).Take(3).ToList();
                return differences.Count == 0 ? null : "written back differently: " + string.Join(" | ", differences);
            }
            catch (AhaUnexpectedShapeException) when (recordInList)
            {
                return null; // README: a record that is not an object fails the call (an AhaApiException through the client)
            }
            catch (JsonSerializationException ex) when (ex.Message.StartsWith("Required property", StringComparison.Ordinal) || ex.Message.StartsWith("Cannot write a null value", StringComparison.Ordinal))
            {
                return null; // README: a member the spec requires, sent as null or of another shape
            }
            catch (Exception ex)
            {
                return ex.GetType().Name + ": " + ex.Message;
            }
        }

        // Every value below the wrapper record, the first item of each list only.
        private static IEnumerable<JToken> Members(JToken root)
        {
            foreach (var token in ((JContainer)root).Descendants())
            {
                if (token is JProperty || (token.Parent is JArray list && list.IndexOf(token) > 0))
                {
                    continue;
                }

                var wrapper = token.Parent is JProperty p && p.Parent == root;
                if (!wrapper || token is not JObject)
                {
                    yield return token;
                }
            }
        }

        private static bool IsRecordInList(JToken token) => token is JObject && token.Parent is JArray;

        private static IEnumerable<(string Kind, JToken Value)> Variants(JToken token)
        {
            yield return ("as null", JValue.CreateNull());
            switch (token.Type)
            {
                case JTokenType.Object:
                    yield return ("object as text", new JValue("a note instead of a record"));
                    break;
                case JTokenType.Array:
                    yield return ("list as text", new JValue("a,b"));
                    break;
                case JTokenType.String:
                    var text = (string)token!;
                    yield return ("text as an object", new JObject { ["unexpected"] = "object" });
                    yield return ("text as a list", new JArray("x"));
                    yield return ("empty text", new JValue(string.Empty));
                    yield return ("a name no one expects", new JValue("a_value_added_later"));
                    if (text.Length is > 0 and < 19 && text.All(char.IsDigit))
                    {
                        yield return ("id as a number", new JValue(long.Parse(text, CultureInfo.InvariantCulture)));
                    }

                    if (text.Length > 19 && text[10] == 'T' && text.EndsWith("Z", StringComparison.Ordinal))
                    {
                        yield return ("timestamp without its zone", new JValue(text.TrimEnd('Z')));
                    }

                    if (text.Length == 10 && text[4] == '-' && text[7] == '-')
                    {
                        yield return ("day as a timestamp", new JValue(text + "T10:00:00Z"));
                    }

                    break;
                case JTokenType.Integer:
                    yield return ("number as text", new JValue(((JValue)token).ToString(CultureInfo.InvariantCulture)));
                    yield return ("number as an object", new JObject { ["value"] = 1 });
                    break;
                case JTokenType.Boolean:
                    yield return ("flag as text", new JValue((bool)token ? "true" : "false"));
                    yield return ("flag as a number", new JValue(1));
                    break;
            }
        }

        private static void Replace(JToken target, JToken replacement)
        {
            if (target.Parent is JProperty property)
            {
                property.Value = replacement;
            }
            else if (target.Parent is JArray list)
            {
                list[list.IndexOf(target)] = replacement;
            }
        }
    }
}
