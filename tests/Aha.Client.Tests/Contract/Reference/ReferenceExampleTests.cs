using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Aha.Client.Tests.Contract.Schemas;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;

namespace Aha.Client.Tests.Contract.Reference
{
    /// <summary>
    /// The spec describes what Aha! really sends: every JSON example Aha! publishes (its OpenAPI document and its docs
    /// pages) for an operation of openapi/aha.yaml validates, with a real JSON Schema validator (NJsonSchema), against
    /// that operation's request or response schema. The only exceptions are listed, each with its reason, in
    /// openapi/DECISIONS.md ("Reference examples not validated"); an exception that no longer fails is reported too.
    /// </summary>
    [TestFixture]
    public class ReferenceExampleTests
    {
        private const string ExclusionsHeading = "## Reference examples not validated";

        private static IEnumerable<TestCaseData> Examples() =>
            ReferenceExamples.All.Select(e => new TestCaseData(e.Label).SetName("Reference_validates " + e.Label));

        /// <summary>The labels listed in openapi/DECISIONS.md under <see cref="ExclusionsHeading"/>, with their reasons.</summary>
        internal static IReadOnlyDictionary<string, string> Exclusions() => Listed(ExclusionsHeading);

        /// <summary>Reference answers without their wrapper key: the client must refuse them with a clear error (never a silent null).</summary>
        internal static IReadOnlyDictionary<string, string> Unwrapped() => Listed("## Reference answers without their wrapper key");

        private static IReadOnlyDictionary<string, string> Listed(string heading)
        {
            var lines = File.ReadAllLines(Repo.PathOf("openapi", "DECISIONS.md"));
            var start = Array.IndexOf(lines, heading);
            if (start < 0)
            {
                throw new InvalidOperationException($"openapi/DECISIONS.md has no '{heading}' section");
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
            {
                var match = Regex.Match(line, "^- `(.+?)`: (.+)$");
                if (match.Success)
                {
                    result.Add(match.Groups[1].Value, match.Groups[2].Value);
                }
            }

            return result;
        }

        internal static ReferenceExample Find(string label) => ReferenceExamples.All.Single(e => e.Label == label);

        /// <summary>The validation errors of one example as "operation pointer: error" lines.</summary>
        internal static IReadOnlyList<string> Errors(ReferenceExample example)
        {
            var operation = ReferenceExamples.OperationOf(example);
            var schema = ReferenceExamples.SchemaPointerOf(example);
            var where = example.IsRequest ? "request body" : "response " + example.Status;
            if (schema is null)
            {
                return new[] { $"{operation.OperationId}: the spec declares no JSON {where} schema" };
            }

            return Leaves(SpecSchemas.At(schema).Validate(example.Value))
                .Select(e => $"{operation.OperationId} {where} at {ToPointer(e.Path)}: {e.Kind}")
                .Distinct()
                .ToList();
        }

        [Test]
        public void The_reference_documents_are_found_and_matched()
        {
            Assert.That(File.Exists(Path.Combine(ReferenceExamples.Directory, "aha-openapi.json")), ReferenceExamples.Directory);
            var fromDocument = ReferenceExamples.All.Count(e => e.Label.StartsWith("aha-openapi.json ", StringComparison.Ordinal));
            Assert.That(fromDocument, Is.GreaterThanOrEqualTo(100), "examples of aha-openapi.json for operations of our spec");
            Assert.That(ReferenceExamples.All.Count - fromDocument, Is.GreaterThanOrEqualTo(250), "examples of the docs pages for operations of our spec");
            var operations = ReferenceExamples.All.Select(e => ReferenceExamples.OperationOf(e).OperationId).Distinct().Count();
            Assert.That(operations, Is.GreaterThanOrEqualTo(80), "operations of our spec with at least one reference example");
        }

        [TestCaseSource(nameof(Examples))]
        public void Reference_example_validates_against_our_spec(string label)
        {
            var example = Find(label);
            var exclusions = Exclusions();
            var errors = Errors(example);
            if (exclusions.TryGetValue(label, out var reason))
            {
                Assert.That(errors, Is.Not.Empty, $"{label} is listed in openapi/DECISIONS.md as not validating ({reason}) but validates now: remove it from the list");
                return;
            }

            Assert.That(errors, Is.Empty, $"{label} ({ReferenceExamples.OperationOf(example)}) does not validate against openapi/aha.yaml:{Environment.NewLine}{string.Join(Environment.NewLine, errors.Take(15))}");
        }

        [Test]
        public void Every_exclusion_names_a_reference_example_and_gives_a_reason()
        {
            var labels = ReferenceExamples.All.Select(e => e.Label).ToHashSet(StringComparer.Ordinal);
            foreach (var exclusion in Exclusions().Concat(Unwrapped()))
            {
                Assert.That(labels, Does.Contain(exclusion.Key), "openapi/DECISIONS.md excludes an example that does not exist");
                Assert.That(exclusion.Value.Length, Is.GreaterThan(20), $"{exclusion.Key}: the reason");
            }
        }

        [Test]
        public void Summary()
        {
            var exclusions = Exclusions();
            var failing = ReferenceExamples.All.Where(e => !exclusions.ContainsKey(e.Label) && Errors(e).Count > 0).Select(e => e.Label).ToList();
            var bySource = ReferenceExamples.All.GroupBy(e => e.Label.StartsWith("aha-openapi.json ", StringComparison.Ordinal) ? "aha-openapi.json" : "docs pages");
            foreach (var group in bySource)
            {
                TestContext.Out.WriteLine($"{group.Key}: {group.Count()} examples, {group.Count(e => exclusions.ContainsKey(e.Label))} excluded, {group.Count(e => failing.Contains(e.Label))} failing");
            }

            Assert.That(failing, Is.Empty, "reference examples that do not validate");
        }

        // ---- the check has teeth ----

        [Test]
        public void A_documented_numeric_id_validates_and_a_wrong_type_is_reported_with_operation_and_pointer()
        {
            var example = ReferenceExamples.All.First(e => e.Json.Contains("\"integration_id\":", StringComparison.Ordinal) && !e.IsRequest && e.Json.Contains("\"feature\":", StringComparison.Ordinal));
            Assert.That(Errors(example), Is.Empty, "a numeric integration_id is what Aha! sends");

            var broken = (JObject)example.Value;
            broken.SelectTokens("$..integration_id").First().Replace(new JObject());
            var mutated = new ReferenceExample(example.Label, example.Method, example.PathShape, false, example.Status, broken.ToString());
            var errors = Errors(mutated);
            Assert.That(errors, Has.Some.Contains(ReferenceExamples.OperationOf(example).OperationId).And.Match("at /[a-z_]+/integration_fields/[0-9]+/integration_id: "), string.Join(Environment.NewLine, errors));
        }

        /// <summary>The innermost errors (the branches of anyOf/oneOf/allOf and array items), which name the failing member.</summary>
        private static IEnumerable<ValidationError> Leaves(IEnumerable<ValidationError> errors)
        {
            foreach (var error in errors)
            {
                if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
                {
                    foreach (var inner in Leaves(child.Errors.SelectMany(e => e.Value)))
                    {
                        yield return inner;
                    }
                }
                else
                {
                    yield return error;
                }
            }
        }

        /// <summary>NJsonSchema's <c>#/feature.integration_fields[0].integration_id</c> as the JSON pointer <c>/feature/integration_fields/0/integration_id</c>.</summary>
        internal static string ToPointer(string? path)
        {
            var trimmed = (path ?? string.Empty).TrimStart('#').TrimStart('/');
            return trimmed.Length == 0 ? "/" : "/" + Regex.Replace(trimmed, @"\[(\d+)\]", ".$1").Replace('.', '/');
        }
    }
}
