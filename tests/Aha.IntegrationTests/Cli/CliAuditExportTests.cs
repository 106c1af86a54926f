using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.Cli.Resources;
using Aha.IntegrationTests.Infrastructure;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Cli
{
    /// <summary>
    /// <c>aha export audits</c>: the change history, read with Aha!'s <c>after_id</c> cursor through the library's
    /// <c>Audits.ListAllAsync</c>, against a sandbox that keeps an audit of every write it serves.
    /// </summary>
    [TestFixture]
    public sealed class CliAuditExportTests
    {
        private const string AuditsRoute = "GET /api/v1/audits";

        private AhaSandbox _sandbox = null!;

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            var options = CliExportTests.Unlimited();
            CliRunner.SmallDemo(options);
            _sandbox = await AhaSandbox.StartAsync(options);

            // Writes the sandbox audits: renames and a description of one feature, a comment on an idea.
            var feature = _sandbox.Records("feature", "reference_num").First()["reference_num"]!.ToString();
            var idea = _sandbox.Records("idea", "reference_num").First()["reference_num"]!.ToString();
            using var http = _sandbox.CreateHttpClient();
            var writes = new List<(HttpMethod Method, string Path, string Body)>();
            for (var i = 0; i < 5; i++)
            {
                writes.Add((HttpMethod.Put, "features/" + feature, $"{{\"feature\": {{\"name\": \"Audited {i}\"}}}}"));
            }

            writes.Add((HttpMethod.Put, "features/" + feature, "{\"feature\": {\"description\": \"<p>Audited description</p>\"}}"));
            writes.Add((HttpMethod.Post, $"ideas/{idea}/comments", "{\"comment\": {\"body\": \"<p>Audited comment</p>\"}}"));
            foreach (var (method, path, body) in writes)
            {
                using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                using var response = await http.SendAsync(request);
                Assert.That((int)response.StatusCode, Is.InRange(200, 201), $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
            }

            Assert.That(_sandbox.Audits(), Has.Count.GreaterThanOrEqualTo(writes.Count), "the sandbox audits every write");
        }

        [OneTimeTearDown]
        public async Task StopAsync() => await _sandbox.DisposeAsync();

        private static string? Text(JsonNode? node) => node?.ToString();

        /// <summary>The ids of the sandbox's audits that pass <paramref name="keep"/>, in id order.</summary>
        private List<string> Expected(Func<JsonObject, bool> keep)
            => _sandbox.Audits().Where(keep).Select(a => Text(a["id"])!).OrderBy(id => id.Length).ThenBy(id => id, StringComparer.Ordinal).ToList();

        private static List<string> Ids(string ndjson)
            => ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => (string)JObject.Parse(line)["id"]!).ToList();

        [Test]
        public void The_audits_are_a_cursor_list_that_the_discovery_finds()
        {
            var list = GeneratedResources.Lists.Single(l => l.Method.DeclaringType!.Name == "AuditsClient" && l.Method.Name == "ListAllAsync");
            Assert.That(list.IsCursor, Is.True);
            Assert.That(list.Resource, Is.EqualTo("audits"));
            var definition = ResourceCatalog.Find("audits");
            Assert.That(definition.Export, Is.Not.Null);
            Assert.That(definition.ExportIsCursor, Is.True);
            Assert.That(ResourceCatalog.ExportNames, Does.Contain("audits"));
            Assert.That(ResourceCatalog.GetNames, Does.Not.Contain("audits"), "Aha! has no read of one audit; the tool offers none");
            Assert.That(GeneratedResources.Unreachable, Is.Empty, "every ListAll...Async of the generated clients is exported");
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Every_audit_is_exported_once_in_id_order_in_each_format(CancellationToken cancellationToken)
        {
            var expected = Expected(_ => true);
            Assert.That(expected.Count, Is.GreaterThan(4), "enough audits for several requests of --per-page 2");

            // NDJSON with small requests: several cursor steps, nothing dropped or repeated; the summary counts the requests sent.
            var requestsBefore = _sandbox.Statistics.RequestsTo(AuditsRoute);
            var ndjson = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "audits", "--format", "ndjson", "--per-page", "2"), cancellationToken);
            var requests = _sandbox.Statistics.RequestsTo(AuditsRoute) - requestsBefore;
            Assert.That(ndjson.ExitCode, Is.EqualTo(ExitCodes.Success), ndjson.ToString());
            Assert.That(Ids(ndjson.Out), Is.EqualTo(expected));
            Assert.That(requests, Is.GreaterThanOrEqualTo((expected.Count + 1) / 2), "one request per cursor step of 2 audits");
            Assert.That(ndjson.Error, Does.Contain($"exported {expected.Count} audits in {requests} request(s) (after_id cursor) to stdout as NDJSON"));
            Assert.That(ndjson.Error, Does.Contain("rate-limit waits: ").And.Contain("429 answers: 0"));

            // JSON: one array, the same audits.
            var json = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "audits", "--format", "json", "--quiet"), cancellationToken);
            Assert.That(json.ExitCode, Is.EqualTo(ExitCodes.Success), json.ToString());
            Assert.That(JArray.Parse(json.Out).Select(a => (string)a["id"]!), Is.EqualTo(expected));

            // CSV to a file (format from the extension), read back with an independent RFC 4180 reader, with a BOM.
            var file = CliRunner.TempFile("audits.csv");
            var csv = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "audits", "--out", file, "--fields", "id,auditable_type,audit_action", "--bom", "--quiet"), cancellationToken);
            Assert.That(csv.ExitCode, Is.EqualTo(ExitCodes.Success), csv.ToString());
            Assert.That(File.ReadAllBytes(file).Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            var (header, rows) = CliRunner.ReadCsv(file);
            Assert.That(header.Take(3), Is.EqualTo(new[] { "id", "auditable_type", "audit_action" }));
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(expected));
            Assert.That(rows.Select(r => r[2]), Has.All.AnyOf("create", "update", "destroy"));
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Each_filter_narrows_the_audits_as_Aha_does(CancellationToken cancellationToken)
        {
            var audits = _sandbox.Audits();
            var rename = audits.Last(a => Text(a["audit_action"]) == "update" && Text(a["auditable_type"]) is { } t && t.EndsWith("Feature", StringComparison.OrdinalIgnoreCase));
            var type = Text(rename["auditable_type"])!;
            var record = Text(rename["auditable_id"])!;
            var user = Text(rename["user"]?["id"]);
            var associated = audits.FirstOrDefault(a => Text(a["associated_type"]) is { Length: > 0 } && Text(a["associated_id"]) is { Length: > 0 });
            var ordered = Expected(_ => true);
            var middle = ordered[ordered.Count / 2];

            var cases = new List<(string[] Args, List<string> Expected)>
            {
                (new[] { "--auditable-type", type }, Expected(a => Text(a["auditable_type"]) == type)),
                (new[] { "--auditable-id", record }, Expected(a => Text(a["auditable_id"]) == record)),
                (new[] { "--audit-action", "update" }, Expected(a => Text(a["audit_action"]) == "update")),
                (new[] { "--auditable-type", type, "--auditable-id", record, "--audit-action", "update" }, Expected(a => Text(a["auditable_type"]) == type && Text(a["auditable_id"]) == record && Text(a["audit_action"]) == "update")),
                (new[] { "--after-id", middle }, ordered.Skip(ordered.IndexOf(middle) + 1).ToList()),
                (new[] { "--created-since", "2000-01-01", "--created-before", "2100-01-01T00:00:00Z" }, ordered),
                (new[] { "--created-since", "2000-01-01", "--created-before", "2001-01-01" }, new List<string>()),
            };
            if (user != null)
            {
                cases.Add((new[] { "--user-id", user }, Expected(a => Text(a["user"]?["id"]) == user)));
            }

            Assert.That(associated, Is.Not.Null, "the description written in the setup is audited with the feature it belongs to");
            var associatedType = Text(associated!["associated_type"])!;
            var associatedId = Text(associated["associated_id"])!;
            cases.Add((new[] { "--associated-type", associatedType, "--associated-id", associatedId }, Expected(a => Text(a["associated_type"]) == associatedType && Text(a["associated_id"]) == associatedId)));

            foreach (var (args, expected) in cases)
            {
                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", "audits", "--format", "ndjson", "--quiet", "--per-page", "3" }.Concat(args).ToArray()), cancellationToken);
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), string.Join(" ", args) + ": " + run);
                Assert.That(Ids(run.Out), Is.EqualTo(expected), string.Join(" ", args));
            }

            Assert.That(cases.Take(4).Select(c => c.Expected.Count), Has.All.LessThan(ordered.Count), "the filters checked do narrow the history");
            Assert.That(cases[0].Expected, Is.Not.Empty);
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Bad_values_and_parallel_requests_are_usage_errors_before_any_request(CancellationToken cancellationToken)
        {
            var before = _sandbox.Statistics.TotalRequests;
            foreach (var (args, expected) in new (string[] Args, string Expected)[]
            {
                (new[] { "--auditable-id", "PRJ1-1" }, "--auditable-id 'PRJ1-1' is not a numeric id"),
                (new[] { "--user-id", "me" }, "--user-id 'me' is not a numeric id"),
                (new[] { "--after-id", "5x" }, "--after-id '5x' is not a numeric id"),
                (new[] { "--auditable-type", "Feature;drop" }, "--auditable-type 'Feature;drop' is not a record type"),
                (new[] { "--associated-type", "Feature" }, "--associated-type and --associated-id go together"),
                (new[] { "--associated-id", "12" }, "--associated-type and --associated-id go together"),
                (new[] { "--audit-action", "rename" }, "rename"),
                (new[] { "--created-since", "last tuesday" }, "--created-since 'last tuesday' is not a date"),
                (new[] { "--created-since", "2024-07-01", "--created-before", "2024-01-01" }, "must be earlier than --created-before"),
                (new[] { "--parallel", "4" }, "audits are read with Aha!'s after_id cursor: each request needs the answer of the one before, so --parallel 4 cannot be honoured"),
                (new[] { "--updated-since", "7d" }, "audits cannot be filtered by --updated-since"),
                (new[] { "--per-page", "500" }, "--per-page must be between 1 and 200"),
            })
            {
                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", "audits" }.Concat(args).ToArray()), cancellationToken);
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), string.Join(" ", args) + ": " + run);
                Assert.That(run.Error, Does.Contain(expected), string.Join(" ", args));
                Assert.That(run.Out, Is.Empty);
            }

            // The audits' filters belong to the lists that have them: a tuned list and a generated one refuse them by name.
            var tuned = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "features", "--user-id", "12"), cancellationToken);
            Assert.That(tuned.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), tuned.ToString());
            Assert.That(tuned.Error, Does.Contain("features cannot be filtered by --user-id"));
            var generated = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "custom-layouts", "--auditable-type", "Feature"), cancellationToken);
            Assert.That(generated.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), generated.ToString());
            Assert.That(generated.Error, Does.Contain("custom-layouts cannot be filtered by --auditable-type (Aha! offers no auditable_type for this list)"));

            Assert.That(_sandbox.Statistics.TotalRequests, Is.EqualTo(before), "usage errors cost no request");

            // --parallel 1 is what a cursor can honour: accepted.
            var one = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "audits", "--parallel", "1", "--format", "ndjson", "--quiet"), cancellationToken);
            Assert.That(one.ExitCode, Is.EqualTo(ExitCodes.Success), one.ToString());
            Assert.That(Ids(one.Out), Is.EqualTo(Expected(_ => true)));
        }

        /// <summary>
        /// A server whose <c>after_id</c> answers repeat the audits already read while claiming more pages: the scan would
        /// loop; the export stops with a typed error (exit 7), after a bounded number of requests, and leaves no file.
        /// </summary>
        [Test]
        [CancelAfter(60_000)]
        public async Task A_cursor_that_does_not_advance_is_a_typed_error_not_a_loop(CancellationToken cancellationToken)
        {
            const string Page = "{\"audits\": [{\"id\": \"101\", \"audit_action\": \"update\"}, {\"id\": \"102\", \"audit_action\": \"update\"}], \"pagination\": {\"total_records\": 9, \"total_pages\": 5, \"current_page\": 1}}";
            await using var server = new ScriptedServer(_ => (200, Page));
            var file = CliRunner.TempFile("audits.ndjson");
            var run = await CliRunner.RunAsync(new[] { "export", "audits", "--out", file, "--base-url", server.ApiRoot, "--token", "scripted-token", "--max-retries", "0" }, cancellationToken);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.ServerError), run.ToString());
            Assert.That(run.Error, Does.Contain("unexpected answer from Aha! while reading audits").And.Contain("after_id"));
            Assert.That(File.Exists(file), Is.False, "no file holds a part of the history as if it were all of it");
            Assert.That(server.Requests, Is.InRange(2, 3), "the first answer, then the one that did not advance");
        }
    }
}
