using System;
using System.Collections.Generic;
using System.Linq;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.CustomFields
{
    /// <summary>The typed, read-only view over a record's custom fields.</summary>
    public class CustomFieldsReadTests
    {
        private static Aha.Client.CustomFields Fields => AhaJson.Deserialize<FeatureResponse>(Fixtures.FeatureJson)!.Feature!.CustomFields!;

        [Test]
        public void Strings_urls_and_dates_read_as_typed_values()
        {
            var fields = Fields;

            Assert.That(fields["priority"].AsString(), Is.EqualTo("P3"));
            Assert.That(fields["priority"].Type, Is.EqualTo(CustomFieldType.String));
            Assert.That(fields["priority"].Name, Is.EqualTo("Priority"));
            Assert.That(fields["spec_url"].AsString(), Is.EqualTo("https://example.com/spec?a=1&b=2"));
            Assert.That(fields["expected_completion_date"].AsDate(), Is.EqualTo(new DateTime(2019, 1, 1)));
            Assert.That(fields["expected_completion_date"].AsString(), Is.EqualTo("2019-01-01"), "date values stay the text Aha! sent");
            Assert.That(fields["timestamp_text"].AsString(), Is.EqualTo("2019-01-01T10:00:00.120+02:00"));
            Assert.That(fields["timestamp_text"].AsDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2019, 1, 1, 10, 0, 0, 120, TimeSpan.FromHours(2))));
            Assert.That(fields["timestamp_text"].AsDate(), Is.EqualTo(new DateTime(2019, 1, 1)));
        }

        [Test]
        public void Numbers_read_exactly_including_19_digit_values()
        {
            var fields = Fields;

            Assert.That(fields["score"].AsNumber(), Is.EqualTo(7m));
            Assert.That(fields["ratio"].AsNumber(), Is.EqualTo(10.25m));
            Assert.That(fields["negative_scorecard"].AsNumber(), Is.EqualTo(31m));
            Assert.That(fields["big_number"].AsNumber(), Is.EqualTo(6776757454438660320m));
            Assert.That(fields["big_number"].ValueJson, Is.EqualTo("6776757454438660320"));
            Assert.That(fields["big_number_text"].AsString(), Is.EqualTo("6776757454438660320"));
            Assert.That(fields["big_number_text"].AsNumber(), Is.EqualTo(6776757454438660320m));
            Assert.That(fields["huge_number"].ValueJson, Is.EqualTo("123456789012345678901234567890"));
            Assert.That(fields["score"].AsString(), Is.EqualTo("7"));
            Assert.That(fields["flag"].AsString(), Is.EqualTo("true"));
        }

        [Test]
        public void Lists_users_and_html_read_as_typed_values()
        {
            var fields = Fields;

            Assert.That(fields["component"].AsStrings(), Is.EqualTo(new[] { "web", "mobile" }));
            Assert.That(fields["labels"].AsStrings(), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(fields["priority"].AsStrings(), Is.EqualTo(new[] { "P3" }));

            var reviewers = fields["reviewers"].AsUsers();
            Assert.That(reviewers.Select(u => u.Id), Is.EqualTo(new[] { "16338845", "16338846" }));
            Assert.That(reviewers.Select(u => u.Email), Is.EqualTo(new[] { "no-reply@aha.io", "jane@aha.io" }));
            Assert.That(fields["owner"].AsUser()!.Name, Is.EqualTo("John Smith"));
            Assert.That(fields["owner"].AsUsers(), Has.Count.EqualTo(1));

            Assert.That(fields["note"].AsHtml(), Is.EqualTo(Fixtures.Html));
            Assert.That(fields["note"].Body, Is.EqualTo(Fixtures.Html));
            Assert.That(fields["note"].CreatedAt, Is.EqualTo(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        }

        [Test]
        public void Objects_scorecards_attachments_and_unknown_types_stay_readable_as_raw_json()
        {
            var fields = Fields;

            var equation = fields["equation_specs_field"].As<JObject>()!;
            Assert.That((string?)equation["values"]!["456"]!["value"], Is.EqualTo("Foobar"));
            Assert.That(fields["negative_scorecard"].GetMember<List<ScoreFact>>("score_facts")!.Single().Value, Is.EqualTo(6));

            var upload = fields["upload"];
            Assert.That(upload.HasValueMember, Is.False);
            Assert.That(upload.HasValue, Is.False);
            Assert.That(upload.AsString(), Is.Null);
            Assert.That(upload.GetMember<List<Attachment>>("attachments")!.Single().FileName, Is.EqualTo("uploaded_file_name.txt"));

            var future = fields["future_kind"];
            Assert.That(future.Type, Is.EqualTo("hologram"));
            Assert.That(future.ValueJson, Is.EqualTo("{\"x\":[1,\"2019-01-01T00:00:00Z\",{\"$type\":\"kept\"}]}"));
            Assert.That(fields["linked"].ValueJson, Is.EqualTo("{\"record_ids\":[640362830,6776757454438660321],\"record_type\":\"CustomObjectRecord\"}"));
        }

        [Test]
        public void Ids_arrive_as_strings_or_numbers_and_both_timestamp_spellings_are_read()
        {
            var fields = Fields;

            Assert.That(fields["priority"].Id, Is.EqualTo("6776757454438660320"));
            Assert.That(fields["expected_completion_date"].Id, Is.EqualTo("848810602"));
            Assert.That(fields["labels"].Id, Is.Null);
            Assert.That(fields["priority"].UpdatedAt, Is.EqualTo(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(fields["score"].UpdatedAt, Is.EqualTo(new DateTimeOffset(2019, 2, 3, 4, 5, 6, 789, TimeSpan.Zero)));
        }

        [Test]
        public void Null_values_read_as_null_or_empty()
        {
            var cleared = Fields["cleared"];

            Assert.That(cleared.HasValueMember, Is.True);
            Assert.That(cleared.HasValue, Is.False);
            Assert.That(cleared.AsString(), Is.Null);
            Assert.That(cleared.AsNumber(), Is.Null);
            Assert.That(cleared.AsDate(), Is.Null);
            Assert.That(cleared.AsStrings(), Is.Empty);
            Assert.That(cleared.AsUsers(), Is.Empty);
            Assert.That(cleared.AsUser(), Is.Null);
            Assert.That(cleared.As<JObject>(), Is.Null);
        }

        [Test]
        public void A_value_that_does_not_fit_names_the_key_the_declared_type_and_the_json()
        {
            var fields = Fields;

            var ex = Assert.Throws<CustomFieldConversionException>(() => fields["priority"].AsNumber())!;
            Assert.That(ex.Message, Does.Contain("'priority'").And.Contain("'string'").And.Contain("\"P3\"").And.Contain("a number"));
            Assert.That(ex.Key, Is.EqualTo("priority"));
            Assert.That(ex.DeclaredType, Is.EqualTo("string"));
            Assert.That(ex.ActualJson, Is.EqualTo("\"P3\""));

            Assert.That(() => fields["equation_specs_field"].AsStrings(), Throws.TypeOf<CustomFieldConversionException>().With.Message.Contains("equation_sheet"));
            Assert.That(() => fields["equation_specs_field"].AsString(), Throws.TypeOf<CustomFieldConversionException>());
            Assert.That(() => fields["priority"].AsDate(), Throws.TypeOf<CustomFieldConversionException>().With.Message.Contains("a date"));
            Assert.That(() => fields["equation_specs_field"].AsUsers(), Throws.TypeOf<CustomFieldConversionException>());
            Assert.That(() => fields["ratio"].AsUsers(), Throws.TypeOf<CustomFieldConversionException>());
            Assert.That(() => fields["reviewers"].AsUser(), Throws.TypeOf<CustomFieldConversionException>().With.Message.Contains("single user"));
            Assert.That(() => fields["component"].AsHtml(), Throws.TypeOf<CustomFieldConversionException>());
            Assert.That(() => fields["priority"].As<List<int>>(), Throws.TypeOf<CustomFieldConversionException>().With.InnerException.Not.Null);
            Assert.That(() => fields["huge_number"].As<long>(), Throws.TypeOf<CustomFieldConversionException>());
            Assert.That(ex, Is.InstanceOf<InvalidCastException>());
        }

        [Test]
        public void A_missing_key_names_the_key_and_the_keys_present()
        {
            var fields = Fields;

            var ex = Assert.Throws<KeyNotFoundException>(() => _ = fields["prioritty"])!;

            Assert.That(ex.Message, Does.Contain("'prioritty'").And.Contain("priority"));
            Assert.That(fields.TryGet("prioritty", out _), Is.False);
            Assert.That(fields.TryGet("priority", out var priority), Is.True);
            Assert.That(priority!.AsString(), Is.EqualTo("P3"));
            Assert.That(fields.ContainsKey("upload"), Is.True);
            Assert.That(fields.Count, Is.EqualTo(21));
            Assert.That(fields.Keys.First(), Is.EqualTo("priority"));
        }

        [Test]
        public void The_object_form_of_idea_organizations_is_read_too()
        {
            var json = "{\"feature\":{\"id\":\"138732915\",\"custom_fields\":" + Fixtures.IdeaOrganizationCustomFields + "}}";

            var fields = AhaJson.Deserialize<FeatureResponse>(json)!.Feature!.CustomFields!;

            Assert.That(fields.Form, Is.EqualTo(CustomFieldsForm.Object));
            Assert.That(fields["industry"].AsString(), Is.EqualTo("Technology"));
            Assert.That(fields["industry"].Type, Is.Null);
            Assert.That(fields["founded"].AsDate(), Is.EqualTo(new DateTime(2001, 5, 6)));
            Assert.That(fields["employees"].AsNumber(), Is.EqualTo(1200m));
            Assert.That(fields["regions"].AsStrings(), Is.EqualTo(new[] { "EU", "US" }));
            var ex = Assert.Throws<CustomFieldConversionException>(() => fields["industry"].AsNumber())!;
            Assert.That(ex.Message, Does.Contain("'industry'").And.Contain("'none'"));
        }

        [Test]
        public void Object_form_members_holding_full_field_objects_are_unwrapped()
        {
            var fields = AhaJson.Deserialize<Aha.Client.CustomFields>("{\"size\":{\"key\":\"size\",\"value\":\"Large\",\"type\":\"string\"},\"sheet\":{\"values\":{\"1\":{\"value\":2}}}}")!;

            Assert.That(fields["size"].AsString(), Is.EqualTo("Large"));
            Assert.That(fields["size"].Type, Is.EqualTo("string"));
            Assert.That(fields["sheet"].ValueJson, Is.EqualTo("{\"values\":{\"1\":{\"value\":2}}}"));
        }

        [Test]
        public void Reading_and_writing_a_record_keeps_its_custom_fields_exactly()
        {
            foreach (var json in new[] { Fixtures.FeatureJson, "{\"feature\":{\"custom_fields\":" + Fixtures.IdeaOrganizationCustomFields + "}}" })
            {
                var original = AhaJson.ParseToken(json);

                var written = AhaJson.ParseToken(AhaJson.Serialize(AhaJson.Deserialize<FeatureResponse>(json)));

                Assert.That(JToken.DeepEquals(written["feature"]!["custom_fields"], original["feature"]!["custom_fields"]), Is.True, written.ToString());
            }
        }

        [Test]
        public void Custom_fields_survive_even_a_serializer_that_parses_dates()
        {
            var fields = JsonConvert.DeserializeObject<FeatureResponse>(Fixtures.FeatureJson, new JsonSerializerSettings { DateParseHandling = DateParseHandling.DateTimeOffset })!.Feature!.CustomFields!;

            Assert.That(fields["timestamp_text"].ValueJson, Is.EqualTo("\"2019-01-01T10:00:00.120+02:00\""));
            Assert.That(fields["future_kind"].ValueJson, Does.Contain("\"2019-01-01T00:00:00Z\""));
        }

        [Test]
        public void Unrecognised_custom_field_json_is_kept_not_fatal()
        {
            var response = AhaJson.Deserialize<FeatureResponse>("{\"feature\":{\"custom_fields\":\"n/a\"}}")!;

            Assert.That(response.Feature!.CustomFields!.Count, Is.Zero);
            Assert.That((string?)response.Feature.CustomFields.Unrecognised, Is.EqualTo("n/a"));
            Assert.That(AhaJson.Serialize(response), Is.EqualTo("{\"feature\":{\"custom_fields\":\"n/a\"}}"));
        }
    }
}
