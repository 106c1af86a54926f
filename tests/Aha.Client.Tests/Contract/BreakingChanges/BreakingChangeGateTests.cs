using System;
using System.IO;
using System.Linq;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.BreakingChanges
{
    /// <summary>
    /// CI's breaking-change gate: openapi/aha.yaml against the last released spec, with the package version of
    /// Directory.Build.props. An unmodified checkout passes; see CONTRIBUTING.md for what to do when it fails.
    /// </summary>
    [TestFixture]
    public class BreakingChangeGateTests
    {
        [Test]
        [CancelAfter(180_000)]
        public void Spec_has_no_breaking_change_since_the_last_release_unless_the_major_version_was_bumped()
        {
            var (releasedVersion, releasedSpec) = BreakingChangeGate.LastRelease();
            var result = BreakingChangeGate.Check(releasedSpec, releasedVersion, Repo.SpecPath, BreakingChangeGate.CurrentVersion());
            TestContext.Out.WriteLine(result.Report());
            File.WriteAllText(Path.Combine(TestContext.CurrentContext.WorkDirectory, "breaking-change-gate.txt"), result.Report());
            Assert.That(result.Passed, Is.True, result.Report());
        }
    }

#if NET10_0_OR_GREATER
    /// <summary>
    /// The gate has teeth: a temporary copy of the spec, mutated the way a careless maintainer would, fails the gate with
    /// a message that names the operation; non-breaking edits pass; a major bump lets a breaking change through.
    /// (Compiled into the net10.0 run only: it tests the tool, not the target framework.)
    /// </summary>
    [TestFixture]
    [NonParallelizable]
    public class BreakingChangeGateMutationTests
    {
        private string _dir = null!;
        private (Version Version, string Path) _release;

        [OneTimeSetUp]
        public void SetUp()
        {
            _dir = Path.Combine(Path.GetTempPath(), "aha-gate-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(_dir);
            _release = BreakingChangeGate.LastRelease();
        }

        [OneTimeTearDown]
        public void TearDown()
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }

        [Test]
        [CancelAfter(120_000)]
        public void Dropping_a_request_body_fails_naming_the_operation() =>
            AssertBreaking(spec => ((JObject)spec["paths"]!["/features/{id}"]!["put"]!).Remove("requestBody"), "Features_Update (PUT /features/{id})", "Request Body");

        [Test]
        [CancelAfter(120_000)]
        public void Renaming_a_request_property_fails_naming_the_operation() =>
            AssertBreaking(spec => Rename((JObject)spec["components"]!["schemas"]!["FeatureUpdate"]!["properties"]!, "name", "title"), "Features_Update (PUT /features/{id})", "name");

        [Test]
        [CancelAfter(120_000)]
        public void Renaming_a_response_property_fails_naming_every_operation_that_returns_it()
        {
            var result = AssertBreaking(spec => Rename((JObject)spec["components"]!["schemas"]!["Feature"]!["properties"]!, "reference_num", "ref_num"), "Features_Get (GET /features/{id})", "reference_num");
            Assert.That(result.BreakingByOperation.Keys, Has.Some.StartsWith("Features_List ("), "every list of features too");
        }

        [Test]
        [CancelAfter(120_000)]
        public void Retyping_a_property_fails_naming_the_operation() =>
            AssertBreaking(spec => spec["components"]!["schemas"]!["Feature"]!["properties"]!["name"] = new JObject { ["type"] = "integer" }, "Features_Get (GET /features/{id})", "name");

        [Test]
        [CancelAfter(120_000)]
        public void Adding_a_required_parameter_fails_naming_the_operation() =>
            AssertBreaking(
                spec => ((JArray)spec["paths"]!["/features"]!["get"]!["parameters"]!).Add(new JObject { ["name"] = "owner", ["in"] = "query", ["required"] = true, ["schema"] = new JObject { ["type"] = "string" } }),
                "Features_List (GET /features)",
                "owner");

        [Test]
        [CancelAfter(120_000)]
        public void Removing_an_operation_fails_naming_it() =>
            AssertBreaking(spec => ((JObject)spec["paths"]!["/features/{id}"]!).Remove("delete"), "Features_Delete (DELETE /features/{id})", "Removed");

        [Test]
        [CancelAfter(120_000)]
        public void Retyping_a_member_to_a_shape_of_another_csharp_type_fails_naming_the_operation() =>
            AssertBreaking(spec => spec["components"]!["schemas"]!["Feature"]!["properties"]!["name"] = new JObject { ["$ref"] = "#/components/schemas/FlexibleNumber" }, "Features_Get (GET /features/{id})", "name");

        [Test]
        [CancelAfter(120_000)]
        public void A_response_member_that_also_accepts_numbers_or_null_passes()
        {
            // reference_num: string -> AhaId (string or integer, still a C# string), and a relation that becomes nullable
            var result = Gate(
                spec =>
                {
                    spec["components"]!["schemas"]!["Feature"]!["properties"]!["reference_num"] = new JObject { ["description"] = "widened", ["allOf"] = new JArray(new JObject { ["$ref"] = "#/components/schemas/AhaId" }) };
                    spec["components"]!["schemas"]!["FeatureRef"]!["nullable"] = true;
                },
                _release.Version);
            Assert.That(result.Passed, Is.True, result.Report());
        }

        [Test]
        [CancelAfter(120_000)]
        public void Adding_an_optional_property_passes()
        {
            var result = Gate(spec => spec["components"]!["schemas"]!["Feature"]!["properties"]!["color"] = new JObject { ["type"] = "string", ["nullable"] = true }, _release.Version);
            Assert.That(result.Passed, Is.True, result.Report());
            Assert.That(result.Changes, Is.Not.Empty, "the change was seen");
        }

        [Test]
        [CancelAfter(120_000)]
        public void Adding_an_operation_passes()
        {
            var result = Gate(
                spec =>
                {
                    var get = (JObject)spec["paths"]!["/features/{id}"]!["get"]!.DeepClone();
                    get["operationId"] = "Features_GetHistory";
                    spec["paths"]!["/features/{id}/history"] = new JObject { ["get"] = get };
                },
                _release.Version);
            Assert.That(result.Passed, Is.True, result.Report());
            Assert.That(result.Changes.Select(c => c.Text), Has.Some.Contains("GET /features/{id}/history"));
        }

        [Test]
        [CancelAfter(120_000)]
        public void A_major_version_bump_lets_a_breaking_change_through()
        {
            var bumped = new Version(_release.Version.Major + 1, 0, 0);
            var result = Gate(spec => ((JObject)spec["paths"]!["/features/{id}"]!).Remove("delete"), bumped);
            Assert.That(result.Breaking, Is.Not.Empty);
            Assert.That(result.Passed, Is.True, result.Report());
        }

        private GateResult AssertBreaking(Action<JToken> mutate, string operation, string detail)
        {
            var result = Gate(mutate, _release.Version);
            var report = result.Report();
            TestContext.Out.WriteLine(report);
            Assert.That(result.Passed, Is.False, "the gate must fail: " + report);
            Assert.That(report, Does.Contain(operation), "the failure names the operation");
            Assert.That(result.BreakingByOperation[operation], Has.Some.Contains(detail));
            return result;
        }

        private GateResult Gate(Action<JToken> mutate, Version currentVersion)
        {
            var spec = SpecJson.Root.DeepClone();
            mutate(spec);
            var file = Path.Combine(_dir, Guid.NewGuid().ToString("N").Substring(0, 8) + ".yaml");
            File.WriteAllText(file, spec.ToString(Formatting.Indented)); // JSON is YAML
            return BreakingChangeGate.Check(_release.Path, _release.Version, file, currentVersion);
        }

        private static void Rename(JObject properties, string from, string to)
        {
            var value = properties[from]!;
            properties.Remove(from);
            properties[to] = value;
        }
    }
#endif
}
