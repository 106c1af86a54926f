using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Cli
{
    /// <summary><c>aha export</c> run in-process; the files it writes are parsed back and compared with the data.</summary>
    [TestFixture]
    public sealed class CliExportTests
    {
        private static readonly string[] FeatureColumns =
        {
            "id", "reference_num", "name", "workflow_status", "release", "epic", "assigned_to_user", "tags", "start_date", "due_date", "score",
            "created_at", "updated_at", "url",
        };

        [Test]
        [CancelAfter(120_000)]
        public async Task The_README_command_exports_every_demo_feature_to_a_CSV_that_parses_back_to_the_data(CancellationToken cancellationToken)
        {
            var path = CliRunner.TempFile("features.csv");
            var run = await CliRunner.RunAsync(new[] { "export", "features", "--demo", "--out", path }, cancellationToken, demoSandbox: CliRunner.PinnedDemo);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("DEMO MODE (--demo)"), "demo data is announced");
            Assert.That(run.Error, Does.Contain("exported 3,009 features"));
            Assert.That(run.Out, Is.Empty, "records went to the file");

            var bytes = File.ReadAllBytes(path);
            Assert.That(bytes.Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 without a byte-order mark unless --bom");
            Assert.That(() => new UTF8Encoding(false, true).GetString(bytes), Throws.Nothing, "valid UTF-8");

            var (header, rows) = CliRunner.ReadCsv(path);
            var customColumns = new[] { "business_case", "components", "customer_impact", "mockups", "priority", "release_notes", "spec_url", "stakeholders", "target_launch" }
                .Select(k => "custom_fields." + k);
            Assert.That(header, Is.EqualTo(FeatureColumns.Concat(customColumns)), "stable column order: requested attributes, then custom fields by key");

            // The demo data is deterministic: an identical sandbox holds exactly what the CLI exported.
            var same = Unlimited();
            CliRunner.PinnedDemo(same);
            await using var sandbox = await AhaSandbox.StartAsync(same, cancellationToken);
            var aha = sandbox.CreateClient();
            var expected = new List<Feature>();
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "*" }).WithCancellation(cancellationToken))
            {
                expected.Add(feature);
            }

            Assert.That(rows, Has.Count.EqualTo(expected.Count));
            var column = header.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index);
            for (var i = 0; i < expected.Count; i++)
            {
                var row = rows[i];
                var feature = expected[i];
                var fields = feature.CustomFields!;
                Assert.Multiple(() =>
                {
                    Assert.That(row[column["id"]], Is.EqualTo(feature.Id));
                    Assert.That(row[column["reference_num"]], Is.EqualTo(feature.ReferenceNum));
                    Assert.That(row[column["name"]], Is.EqualTo(feature.Name));
                    Assert.That(row[column["workflow_status"]], Is.EqualTo(feature.WorkflowStatus?.Name ?? string.Empty));
                    Assert.That(row[column["tags"]], Is.EqualTo(string.Join(", ", feature.Tags ?? new List<string>())));
                    Assert.That(row[column["created_at"]], Is.Empty.Or.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"));
                    Assert.That(row[column["created_at"]].Length == 0 ? (DateTimeOffset?)null : DateTimeOffset.Parse(row[column["created_at"]], CultureInfo.InvariantCulture), Is.EqualTo(feature.CreatedAt));
                    Assert.That(row[column["custom_fields.priority"]], Is.EqualTo(Value(fields, "priority", f => f.AsString())));
                    Assert.That(row[column["custom_fields.customer_impact"]], Is.EqualTo(Value(fields, "customer_impact", f => f.AsNumber()?.ToString(CultureInfo.InvariantCulture))));
                    Assert.That(row[column["custom_fields.target_launch"]], Is.EqualTo(Value(fields, "target_launch", f => f.AsDate()?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
                    Assert.That(row[column["custom_fields.components"]], Is.EqualTo(Value(fields, "components", f => string.Join(", ", f.AsStrings()))));
                    Assert.That(row[column["custom_fields.stakeholders"]], Is.EqualTo(Value(fields, "stakeholders", f => string.Join(", ", f.AsUsers().Select(u => u.Email)))));
                    Assert.That(row[column["custom_fields.release_notes"]], Is.EqualTo(Value(fields, "release_notes", f => f.AsHtml())));
                    Assert.That(row[column["custom_fields.spec_url"]], Is.EqualTo(Value(fields, "spec_url", f => f.AsString())));
                    Assert.That(row[column["custom_fields.business_case"]], Is.EqualTo(Value(fields, "business_case", f => f.ValueJson)));
                });
            }

            // Non-Latin text and emoji survive the round trip.
            Assert.That(rows.Select(r => r[column["custom_fields.release_notes"]]), Has.Some.Contains("Ελληνικά"));
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Small_pages_fetched_in_parallel_give_the_same_file(CancellationToken cancellationToken)
        {
            var whole = CliRunner.TempFile("whole.csv");
            var paged = CliRunner.TempFile("paged.csv");
            var first = await CliRunner.RunAsync(new[] { "export", "ideas", "--demo", "--out", whole }, cancellationToken, demoSandbox: CliRunner.PinnedDemo);
            var second = await CliRunner.RunAsync(new[] { "export", "ideas", "--demo", "--out", paged, "--per-page", "37", "--parallel", "4" }, cancellationToken, demoSandbox: CliRunner.PinnedDemo);

            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(second.Error, Does.Contain(" in 55 page(s) "), "2,015 ideas in pages of 37");
            Assert.That(File.ReadAllBytes(paged), Is.EqualTo(File.ReadAllBytes(whole)), "same rows, same columns, same order");
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Json_and_ndjson_hold_every_record_with_its_custom_fields(CancellationToken cancellationToken)
        {
            var json = CliRunner.TempFile("releases.json");
            var ndjson = CliRunner.TempFile("releases.ndjson");
            var a = await CliRunner.RunAsync(new[] { "export", "releases", "--demo", "--out", json, "--fields", "*" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);
            var b = await CliRunner.RunAsync(new[] { "export", "releases", "--demo", "--out", ndjson, "--fields", "*", "-q" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);
            Assert.That(a.ExitCode, Is.Zero, a.ToString());
            Assert.That(b.ExitCode, Is.Zero, b.ToString());
            Assert.That(b.Error, Does.Not.Contain("exported"), "--quiet");

            var array = JArray.Parse(File.ReadAllText(json));
            var lines = File.ReadAllLines(ndjson).Select(JObject.Parse).ToArray();

            var options = Unlimited();
            CliRunner.SmallDemo(options);
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);
            var seeded = sandbox.Records("releases");
            Assert.That(array.Select(r => (string?)r["id"]), Is.EqualTo(seeded.Select(r => r["id"]!.ToString())));
            Assert.That(lines.Select(r => (string?)r["id"]), Is.EqualTo(seeded.Select(r => r["id"]!.ToString())));
            Assert.That(array.OfType<JObject>().Count(r => r["custom_fields"] is JArray { Count: > 0 }), Is.GreaterThan(0));
            Assert.That(JToken.DeepEquals(array[0]["custom_fields"], lines[0]["custom_fields"]), Is.True);
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Records_go_to_stdout_and_progress_to_stderr(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "export", "products", "--format", "ndjson" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("DEMO MODE (--demo)"), "demo data is asked for, and said so");
            var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.GreaterThanOrEqualTo(4));
            Assert.That(lines.Select(JObject.Parse).Select(p => (string?)p["reference_prefix"]), Has.Member("ATL"));
            Assert.That(run.Error, Does.Contain("rate-limit waits:"));
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Filters_reach_the_server_through_an_account_url(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(Small(), cancellationToken);
            var path = CliRunner.TempFile("atl-features.csv");

            var byProduct = await CliRunner.RunAsync(CliRunner.Against(sandbox, "export", "features", "--product", "ATL", "--out", path, "--fields", "id,reference_num"), cancellationToken);
            Assert.That(byProduct.ExitCode, Is.Zero, byProduct.ToString());
            Assert.That(byProduct.Error, Does.Not.Contain("DEMO"));
            var (header, rows) = CliRunner.ReadCsv(path);
            Assert.That(header, Is.EqualTo(new[] { "id", "reference_num" }));
            Assert.That(rows.Select(r => r[1]), Is.EqualTo(sandbox.Records("features", "reference_num").Select(r => (string?)r["reference_num"]).Where(k => k!.StartsWith("ATL-", StringComparison.Ordinal))));

            var future = await CliRunner.RunAsync(CliRunner.Against(sandbox, "export", "features", "--updated-since", "2999-01-01", "--out", path, "--fields", "id,name"), cancellationToken);
            Assert.That(future.ExitCode, Is.Zero, future.ToString());
            Assert.That(File.ReadAllText(path), Is.EqualTo("id,name\r\n"), "no record: the header alone");
            Assert.That(sandbox.Statistics.RequestsByEndpoint.Keys, Has.Member("GET /api/v1/products/{product_id}/features"));
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Values_with_commas_quotes_line_breaks_and_unicode_are_escaped_and_read_back(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(Small(), cancellationToken);
            const string tricky = " leading space, \"quoted\",\r\nsecond line; ünïcødé 🚀 ";
            await sandbox.CreateClient().Features.UpdateCustomFieldsAsync("ATL-1", CustomFieldUpdate.Set("priority", tricky), cancellationToken: cancellationToken);
            var path = CliRunner.TempFile("tricky.csv");

            var run = await CliRunner.RunAsync(CliRunner.Against(sandbox, "export", "features", "--out", path, "--fields", "reference_num,custom_fields", "--bom"), cancellationToken);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(File.ReadAllBytes(path).Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "--bom");
            var (header, rows) = CliRunner.ReadCsv(path);
            var priority = Array.IndexOf(header, "custom_fields.priority");
            Assert.That(rows.Single(r => r[0].TrimStart('\uFEFF') == "ATL-1" || r[0] == "ATL-1")[priority], Is.EqualTo(tricky));
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task A_failed_export_leaves_no_file_behind(CancellationToken cancellationToken)
        {
            var path = CliRunner.TempFile("never.csv");
            File.WriteAllText(path, "previous export");

            var run = await CliRunner.RunAsync(new[] { "export", "features", "--demo", "--out", path, "--max-retries", "0" }, cancellationToken, demoSandbox: o =>
            {
                CliRunner.SmallDemo(o);
                o.Chaos.ServerErrorRate = 1;
            });

            Assert.That(run.ExitCode, Is.EqualTo(7), run.ToString());
            Assert.That(File.ReadAllText(path), Is.EqualTo("previous export"), "the old file is untouched");
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no partial file left");
        }

        internal static AhaSandboxOptions Unlimited()
        {
            var options = new AhaSandboxOptions();
            options.RateLimit.Enabled = false;
            return options;
        }

        internal static AhaSandboxOptions Small()
        {
            var options = Unlimited();
            CliRunner.SmallDemo(options);
            return options;
        }

        private static string Value(CustomFields fields, string key, Func<CustomFieldValue, string?> read)
            => fields.TryGet(key, out var field) ? read(field) ?? string.Empty : string.Empty;
    }
}
