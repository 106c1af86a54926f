using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.Schemas
{
    /// <summary>
    /// Schema validation both ways, with a real JSON Schema validator (NJsonSchema) over the spec's own schemas:
    /// every example in openapi/aha.yaml and every JSON fixture under tests/ validates against the schema it stands
    /// for; and what our generated models write (an example or fixture deserialised, then serialised back) validates
    /// too, which catches a model that writes <c>null</c> where the API forbids it, or drops or adds a wrapper.
    /// </summary>
    [TestFixture]
    public class SchemaValidationTests
    {
        /// <summary>Fixtures are <c>tests/**/Fixtures/&lt;ComponentSchema&gt;.&lt;case&gt;.json</c>: the file name says which schema they stand for.</summary>
        internal static IReadOnlyList<string> FixtureFiles() =>
            Directory.EnumerateFiles(Repo.PathOf("tests"), "*.json", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "Fixtures")
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "TestResults"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();

        private static IEnumerable<TestCaseData> Examples() =>
            SpecExamples.All.Select(e => new TestCaseData(e).SetName($"Example_validates {e}"));

        private static IEnumerable<TestCaseData> Fixtures() =>
            FixtureFiles().Select(f => new TestCaseData(Path.GetRelativePath(Repo.Root, f)).SetName("Fixture_validates " + Path.GetFileName(f)));

        /// <summary>Body examples and fixtures whose schema is a component with a generated C# class.</summary>
        private static IEnumerable<TestCaseData> RoundTrips()
        {
            foreach (var e in SpecExamples.All.Where(e => (e.IsRequestBody || e.Where.StartsWith("response", StringComparison.Ordinal)) && ModelType(e.Component) != null))
            {
                yield return new TestCaseData(e.Component, e.SchemaPointer, e.Value.ToString(Formatting.None), e.ToString())
                    .SetName($"RoundTrip_validates {e}");
            }

            foreach (var file in FixtureFiles())
            {
                var component = Path.GetFileName(file).Split('.')[0];
                if (ModelType(component) != null)
                {
                    yield return new TestCaseData(component, "#/components/schemas/" + component, File.ReadAllText(file), Path.GetFileName(file))
                        .SetName("RoundTrip_validates fixture " + Path.GetFileName(file));
                }
            }
        }

        [Test]
        public void Every_example_of_the_spec_is_checked()
        {
            var checkedPointers = SpecExamples.All.Select(e => e.Pointer).ToHashSet(StringComparer.Ordinal);
            var all = SpecExamples.AllExamplePointers();
            Assert.That(all, Has.Count.GreaterThan(250), "the spec has hundreds of examples");
            Assert.That(all.Where(p => !checkedPointers.Contains(p)), Is.Empty, "examples that no schema check picks up (an example must sit next to a schema)");
        }

        [TestCaseSource(nameof(Examples))]
        public void Example_validates_against_its_schema(SpecExample example)
        {
            var errors = SpecSchemas.Validate(SpecSchemas.At(example.SchemaPointer), example.Value);
            Assert.That(errors, Is.Empty, $"{example} ({example.Pointer}) against {example.SchemaPointer}");
        }

        [Test]
        public void There_are_fixtures_and_each_names_a_component_schema()
        {
            var files = FixtureFiles();
            Assert.That(files, Is.Not.Empty, "tests/**/Fixtures/*.json");
            foreach (var file in files)
            {
                var component = Path.GetFileName(file).Split('.')[0];
                Assert.That(SpecSchemas.Has("#/components/schemas/" + component), $"{Path.GetRelativePath(Repo.Root, file)}: a fixture is named <ComponentSchema>.<case>.json; '{component}' is not a schema of openapi/aha.yaml");
            }
        }

        [TestCaseSource(nameof(Fixtures))]
        public void Fixture_validates_against_the_schema_it_stands_for(string relativePath)
        {
            var component = Path.GetFileName(relativePath).Split('.')[0];
            Assume.That(SpecSchemas.Has("#/components/schemas/" + component), "checked by There_are_fixtures_and_each_names_a_component_schema");
            var value = JsonAssert.Parse(File.ReadAllText(Repo.PathOf(relativePath)));
            var errors = SpecSchemas.Validate(SpecSchemas.Component(component), value);
            Assert.That(errors, Is.Empty, $"{relativePath} against #/components/schemas/{component}");
        }

        [TestCaseSource(nameof(RoundTrips))]
        public void What_the_generated_model_writes_validates_against_the_schema(string component, string schemaPointer, string json, string what)
        {
            var type = ModelType(component)!;
            var settings = Settings.Value;
            var model = JsonConvert.DeserializeObject(json, type, settings);
            Assert.That(model, Is.Not.Null, $"{what} deserialised into {type.Name}");

            var written = JsonAssert.Parse(JsonConvert.SerializeObject(model, settings));
            var errors = SpecSchemas.Validate(SpecSchemas.At(schemaPointer), written);
            Assert.That(errors, Is.Empty, $"{what}: {type.Name} wrote JSON that breaks {schemaPointer}:{Environment.NewLine}{Truncate(written.ToString(Formatting.None))}");
        }

        // ---- the check has teeth: what a broken model would write is rejected ----

        [Test]
        public void A_model_that_writes_null_where_the_schema_forbids_it_is_rejected()
        {
            var written = JsonAssert.Parse(JsonConvert.SerializeObject(new FeatureUpdateRequest { Feature = new FeatureUpdate { Name = "Dark mode" } }, Settings.Value));
            Assert.That(SpecSchemas.Validate(SpecSchemas.Component("FeatureUpdateRequest"), written), Is.Empty, "the real model's output is valid");

            ((JObject)written["feature"]!)["name"] = JValue.CreateNull();
            var errors = SpecSchemas.Validate(SpecSchemas.Component("FeatureUpdateRequest"), written);
            Assert.That(errors, Has.Some.Contains("feature.name").And.Contains("StringExpected"), "a null name is rejected");
        }

        [Test]
        public void A_model_that_drops_the_wrapper_is_rejected()
        {
            var unwrapped = JsonAssert.Parse(JsonConvert.SerializeObject(new FeatureUpdate { Name = "Dark mode" }, Settings.Value));
            var errors = SpecSchemas.Validate(SpecSchemas.Component("FeatureUpdateRequest"), unwrapped);
            Assert.That(errors, Has.Some.Contains("feature").And.Contains("PropertyRequired"), "the missing 'feature' wrapper");
            Assert.That(errors, Has.Some.Contains("name").And.Contains("NoAdditionalPropertiesAllowed"), "'name' at the top level");
        }

        [Test]
        public void Nullable_members_accept_null_and_ids_are_strings_or_numbers()
        {
            // OpenAPI 3.0 'nullable: true' is honoured ...
            var nullable = SpecJson.Root["components"]!["schemas"]!["PaginationPage"]!["properties"]!["next_page"]!;
            Assert.That((bool?)nullable["nullable"], Is.True, "precondition: next_page is nullable in the spec");
            var page = JObject.Parse("{\"total_records\":0,\"total_pages\":0,\"current_page\":1,\"next_page\":null}");
            Assert.That(SpecSchemas.Validate(SpecSchemas.Component("Pagination"), page), Is.Empty);

            // ... and a member that is not nullable rejects null, a wrong type is caught.
            page["current_page"] = JValue.CreateNull();
            Assert.That(SpecSchemas.Validate(SpecSchemas.Component("Pagination"), page), Is.Not.Empty);
            var feature = JObject.Parse("{\"id\":1007868956,\"name\":\"x\"}");
            Assert.That(SpecSchemas.Validate(SpecSchemas.Component("Feature"), feature), Is.Empty, "ids are strings or numbers (AhaId)");
            feature["id"] = new JObject();
            Assert.That(SpecSchemas.Validate(SpecSchemas.Component("Feature"), feature), Has.Some.Contains("id"), "an id is never an object");
        }

        internal static readonly Lazy<JsonSerializerSettings> Settings = new(() =>
        {
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1/") };
            return GeneratedClients.SettingsOf(new AhaClient(http).Features);
        });

        internal static Type? ModelType(string? component)
        {
            if (component is null)
            {
                return null;
            }

            var type = typeof(AhaClient).Assembly.GetType("Aha.Client." + component);
            return type is { IsClass: true, IsAbstract: false } && type.GetConstructor(Type.EmptyTypes) != null ? type : null;
        }

        private static string Truncate(string s) => s.Length <= 1500 ? s : s.Substring(0, 1500) + "…";
    }
}
