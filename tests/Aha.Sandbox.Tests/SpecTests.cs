using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Aha.Sandbox.Spec;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    /// <summary>The sandbox against <c>openapi/aha.yaml</c>: every operation is served, and examples become records.</summary>
    [TestFixture]
    public class SpecTests
    {
        private static string Normalize(string template) => Regex.Replace(template, "\\{[^}]+\\}", "{}");

        [Test]
        public async Task Every_operation_of_the_spec_has_a_route()
        {
            var document = SpecDocument.Load(Repo.SpecPath);
            Assert.That(document, Is.Not.Null);
            var operations = SpecDocument.Operations(document!);
            Assert.That(operations, Is.Not.Empty);

            await using var sandbox = await Sandboxes.SmallAsync(o => o.SeedSpecExamples = false);
            var routes = sandbox.Routes.Select(r => Normalize(r.Replace("/api/v1", string.Empty, StringComparison.Ordinal))).ToHashSet(StringComparer.Ordinal);
            var missing = operations.Select(o => o.Method + " " + Normalize(o.Path)).Where(o => !routes.Contains(o)).ToList();
            Assert.That(missing, Is.Empty, "operations of openapi/aha.yaml without a sandbox route");
        }

        [Test]
        public void The_embedded_spec_is_the_repository_spec()
        {
            using var stream = typeof(AhaSandbox).Assembly.GetManifestResourceStream(SpecDocument.EmbeddedName);
            Assert.That(stream, Is.Not.Null);
            using var reader = new StreamReader(stream!);
            Assert.That(reader.ReadToEnd(), Is.EqualTo(File.ReadAllText(Repo.SpecPath)));
        }

        [Test]
        public async Task Response_examples_are_seeded_as_records()
        {
            var path = Path.Combine(Path.GetTempPath(), "aha-sandbox-spec-" + Guid.NewGuid().ToString("N") + ".yaml");
            File.WriteAllText(path, @"
openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /features/{id}:
    get:
      operationId: Features_Get
      responses:
        '200':
          description: ok
          content:
            application/json:
              examples:
                basic:
                  summary: A feature
                  value:
                    feature:
                      id: '6776757454440696808'
                      reference_num: PRJ1-1
                      name: Add buttons everywhere
                      created_at: '2019-01-01T00:00:00.000Z'
                      project: { id: '131414752', reference_prefix: PRJ1, name: Project 1, product_line: false }
                      custom_fields:
                      - { id: 424324947, key: expected_completion_date, name: Expected completion date, value: '2019-01-01', type: date, updatedAt: '2019-01-01T00:00:00Z' }
                      - { id: '6776757454438660320', key: priority, name: Priority, value: P3, type: string }
  /ideas:
    get:
      operationId: Ideas_List
      responses:
        '200':
          description: ok
          content:
            application/json:
              example:
                ideas:
                - { id: '6776757454440696801', reference_num: PRJ1-I-1, name: Idea one, votes: 2 }
                - { id: '6776757454440696802', reference_num: PRJ1-I-2, name: Idea two, votes: 1 }
                pagination: { total_records: 2, total_pages: 1, current_page: 1 }
");
            try
            {
                await using var sandbox = await Sandboxes.SmallAsync(o => o.SpecPath = path);
                Assert.That(sandbox.SpecExamplesSeeded, Is.EqualTo(3));
                using var http = sandbox.CreateHttpClient();
                var feature = (await http.GetObjectAsync("features/PRJ1-1"))["feature"]!;
                Assert.That(feature["name"].Str(), Is.EqualTo("Add buttons everywhere"));
                Assert.That(feature["custom_fields"]!.AsArray().Single(f => f!["key"].Str() == "expected_completion_date")!["value"].Str(), Is.EqualTo("2019-01-01"));
                Assert.That((await http.GetObjectAsync("products/PRJ1/features"))["features"]!.AsArray().Single()!["reference_num"].Str(), Is.EqualTo("PRJ1-1"), "the embedded product became a record");
                Assert.That((await http.GetObjectAsync("ideas/6776757454440696802"))["idea"]!["name"].Str(), Is.EqualTo("Idea two"));

                // Example records are state like any other.
                using var put = await http.PutAsync("features/PRJ1-1", Sandboxes.Json("{\"feature\": {\"custom_fields\": {\"priority\": \"P1\"}}}"));
                Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                var after = (await http.GetObjectAsync("features/PRJ1-1"))["feature"]!;
                Assert.That(after["custom_fields"]!.AsArray().Single(f => f!["key"].Str() == "priority")!["value"].Str(), Is.EqualTo("P1"));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
