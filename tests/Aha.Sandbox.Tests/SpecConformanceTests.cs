using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Aha.Sandbox.Spec;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    /// <summary>
    /// Replays <c>openapi/aha.yaml</c> against the sandbox: every GET answers 200 with a body that matches the spec's
    /// schema, and every documented request example of a write is accepted and answered in the documented shape.
    /// </summary>
    [TestFixture]
    public class SpecConformanceTests
    {
        private JsonObject _spec = null!;
        private AhaSandbox _sandbox = null!;
        private HttpClient _http = null!;

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            _spec = SpecDocument.Load(Repo.SpecPath)!;
            _sandbox = await Sandboxes.SmallAsync(o => o.SpecPath = Repo.SpecPath);
            _http = _sandbox.CreateHttpClient();
        }

        /// <summary>
        /// The operations the hand-written routes serve: these checks know their records and rules. The operations of
        /// the spec-driven layer are walked by <see cref="SpecWalkTests"/>.
        /// </summary>
        private IEnumerable<SpecOperation> HandWritten()
        {
            var generic = _sandbox.GenericRoutes.Select(r => r.Operation.Method + " " + r.Operation.Path).ToHashSet(StringComparer.Ordinal);
            return SpecDocument.Operations(_spec).Where(o => !generic.Contains(o.Method + " " + o.Path) && Fillable(o.Path));
        }

        /// <summary>Whether every path parameter follows a collection this fixture knows how to fill (audits, deletions and integration fields have tests of their own).</summary>
        private static bool Fillable(string path)
        {
            var segments = path.Trim('/').Split('/');
            return segments.Select((s, i) => (s, i)).All(p => !p.s.StartsWith("{", StringComparison.Ordinal) || (p.i > 0 && CollectionOfSegment.ContainsKey(segments[p.i - 1])));
        }

        [OneTimeTearDown]
        public async Task StopAsync()
        {
            _http.Dispose();
            await _sandbox.DisposeAsync();
        }

        private static readonly Dictionary<string, string> CollectionOfSegment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["features"] = "features", ["requirements"] = "requirements", ["releases"] = "releases", ["roll_up_releases"] = "releases",
            ["epics"] = "epics", ["ideas"] = "ideas", ["initiatives"] = "initiatives", ["goals"] = "goals", ["products"] = "products",
            ["competitors"] = "competitors", ["release_phases"] = "release_phases", ["idea_organizations"] = "idea_organizations",
            ["tasks"] = "tasks", ["strategy_models"] = "strategy_models", ["strategic_models"] = "strategy_models",
            ["time_tracking_events"] = "time_tracking_events",
        };

        /// <summary>Fills the path parameters with records that exist (and belong together: a release of that product).</summary>
        private string Concrete(string path)
        {
            var segments = path.Trim('/').Split('/');
            var values = new string[segments.Length];
            string? productOfRecord = null;
            for (var i = segments.Length - 1; i >= 0; i--)
            {
                if (!segments[i].StartsWith("{", StringComparison.Ordinal))
                {
                    values[i] = segments[i];
                    continue;
                }

                var collection = CollectionOfSegment[segments[i - 1]];
                var records = _sandbox.Records(collection, "id,reference_num,reference_prefix,product_id,project");
                var record = segments[i - 1] == "products" && productOfRecord != null
                    ? records.First(r => r["id"]!.GetValue<string>() == productOfRecord)
                    : records.FirstOrDefault(r => r["product_id"] != null) ?? records.First();
                productOfRecord ??= record["product_id"]?.GetValue<string>();
                values[i] = (record["reference_num"] ?? record["reference_prefix"] ?? record["id"])!.GetValue<string>();
            }

            return string.Join("/", values);
        }

        private async Task<(int Status, JsonNode? Body, string Text)> CallAsync(string method, string uri, JsonNode? body)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), uri) { Content = body == null ? null : Sandboxes.Json(body.ToJsonString()) };
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text);
        }

        private void CheckAnswer(SpecOperation operation, string uri, int status, JsonNode? body, string text, List<string> problems, SortedSet<string> undeclared)
        {
            var expected = operation.Method == "DELETE" ? 204 : 200;
            if (status != expected)
            {
                problems.Add($"{operation.OperationId} {uri}: {status} {text}");
                return;
            }

            if (operation.Operation["responses"]?[expected.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"] is JsonNode schema)
            {
                var check = new SchemaCheck(_spec);
                check.Check(body, schema, operation.OperationId!);
                problems.AddRange(check.Errors.Take(5));
                undeclared.UnionWith(check.Undeclared);
            }
        }

        [Test]
        public async Task Every_GET_answers_200_in_the_documented_shape()
        {
            var problems = new List<string>();
            var undeclared = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var operation in HandWritten().Where(o => o.Method == "GET"))
            {
                var uri = Concrete(operation.Path);
                foreach (var query in new[] { string.Empty, operation.Path.EndsWith("}", StringComparison.Ordinal) ? string.Empty : "?per_page=200&fields=*" })
                {
                    var (status, body, text) = await CallAsync("GET", uri + query, null);
                    CheckAnswer(operation, uri + query, status, body, text, problems, undeclared);
                }
            }

            TestContext.Out.WriteLine("Members the spec does not declare (allowed): " + string.Join(", ", undeclared));
            Report(problems);
            Assert.That(problems, Is.Empty);
        }

        private static void Report(List<string> problems)
        {
            var file = System.Environment.GetEnvironmentVariable("SANDBOX_CONFORMANCE_REPORT");
            if (file != null)
            {
                System.IO.File.AppendAllLines(file, problems);
            }
        }

        [Test]
        public async Task Every_documented_request_example_is_accepted()
        {
            var problems = new List<string>();
            var undeclared = new SortedSet<string>(StringComparer.Ordinal);
            var writes = HandWritten().Where(o => o.Method is "POST" or "PUT").ToList();
            var examples = 0;
            foreach (var operation in writes)
            {
                var media = operation.Operation["requestBody"]?["content"]?["application/json"];
                var bodies = new List<JsonNode?>();
                if (media?["examples"] is JsonObject named)
                {
                    bodies.AddRange(named.Select(p => p.Value?["value"]));
                }
                else if (media?["example"] is JsonNode single)
                {
                    bodies.Add(single);
                }

                if (bodies.Count == 0 && media == null)
                {
                    bodies.Add(null); // no body documented (duplicate, convert to epic)
                }

                foreach (var body in bodies)
                {
                    examples++;
                    var uri = Concrete(operation.Path);
                    var (status, answer, text) = await CallAsync(operation.Method, uri, body);
                    CheckAnswer(operation, uri, status, answer, text, problems, undeclared);
                }
            }

            TestContext.Out.WriteLine($"{examples} request examples replayed over {writes.Count} write operations.");
            TestContext.Out.WriteLine("Members the spec does not declare (allowed): " + string.Join(", ", undeclared));
            Assert.That(examples, Is.GreaterThan(writes.Count));
            Report(problems);
            Assert.That(problems, Is.Empty);
        }

        [Test]
        public async Task Every_DELETE_answers_204_and_the_record_is_gone()
        {
            foreach (var operation in HandWritten().Where(o => o.Method == "DELETE"))
            {
                var uri = Concrete(operation.Path);
                var (status, _, text) = await CallAsync("DELETE", uri, null);
                Assert.That(status, Is.EqualTo(204), operation.OperationId + " " + uri + " " + text);
                var (again, _, _) = await CallAsync("DELETE", uri, null);
                Assert.That(again, Is.EqualTo(404), operation.OperationId);
            }
        }

        [Test]
        public void The_spec_examples_were_seeded()
        {
            Assert.That(_sandbox.SpecExamplesSeeded, Is.GreaterThan(20));
        }
    }
}
