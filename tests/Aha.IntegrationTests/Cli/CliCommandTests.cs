using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.Cli.Commands;
using Aha.Cli.Output;
using Aha.Client;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Cli
{
    /// <summary><c>aha get</c>, <c>aha set-field</c>, <c>aha limits</c> and <c>--help</c>, run in-process.</summary>
    [TestFixture]
    public sealed class CliCommandTests
    {
        [Test]
        [CancelAfter(30_000)]
        public async Task Get_prints_the_record_as_json(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "get", "features", "ATL-1", "-q" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var record = JObject.Parse(run.Out);
            Assert.That((string?)record["reference_num"], Is.EqualTo("ATL-1"));
            Assert.That(record["custom_fields"], Is.InstanceOf<JArray>());
            Assert.That(run.Error, Does.Contain("DEMO MODE"), "--quiet never hides that the data is demo data");
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Set_field_writes_typed_values_that_the_client_reads_back_typed(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(CliExportTests.Small(), cancellationToken);
            var aha = sandbox.CreateClient();
            var email = (await aha.Features.GetAsync("ATL-1", cancellationToken: cancellationToken)).AssignedToUser?.Email ?? "sandra.box@example.com";

            var run = await CliRunner.RunAsync(
                CliRunner.Against(sandbox, "set-field", "features", "ATL-1",
                    "priority=P1, urgent", "customer_impact=12.5", "target_launch=2026-03-01", "components=web, api", $"stakeholders={email}",
                    "business_case:={\"6651670327076753738\": 5}", "spec_url=https://example.com/a?b=c"),
                cancellationToken);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var printed = JObject.Parse(run.Out);
            Assert.That(printed["customer_impact"]!.Type, Is.EqualTo(JTokenType.Float), "a number field gets a number");
            Assert.That(run.Error, Does.Contain("updated 7 custom field(s) of feature ATL-1"));

            var fields = (await aha.Features.GetAsync("ATL-1", cancellationToken: cancellationToken)).CustomFields!;
            Assert.Multiple(() =>
            {
                Assert.That(fields["priority"].AsString(), Is.EqualTo("P1, urgent"), "a string field keeps its commas");
                Assert.That(fields["customer_impact"].AsNumber(), Is.EqualTo(12.5m));
                Assert.That(fields["target_launch"].AsDate(), Is.EqualTo(new DateTime(2026, 3, 1)));
                Assert.That(fields["components"].AsStrings(), Is.EqualTo(new[] { "web", "api" }), "an array field gets a list");
                Assert.That(fields["stakeholders"].AsUsers().Select(u => u.Email), Is.EqualTo(new[] { email }));
                Assert.That((int?)fields["business_case"].As<JObject>()!["values"]!["6651670327076753738"]!["value"], Is.EqualTo(5));
                Assert.That(fields["spec_url"].AsString(), Is.EqualTo("https://example.com/a?b=c"));
            });
            Assert.That(sandbox.Statistics.RequestsTo("PUT /api/v1/features/{id}"), Is.EqualTo(1), "one PUT for all the fields");
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Set_field_on_a_release_finds_its_product_and_an_empty_value_clears_the_field(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(CliExportTests.Small(), cancellationToken);

            var set = await CliRunner.RunAsync(CliRunner.Against(sandbox, "set-field", "releases", "ATL-R-1", "priority=P3", "customer_impact=", "-q"), cancellationToken);

            Assert.That(set.ExitCode, Is.Zero, set.ToString());
            var fields = (await sandbox.CreateClient().Releases.GetAsync("ATL-R-1", cancellationToken: cancellationToken)).CustomFields!;
            Assert.That(fields["priority"].AsString(), Is.EqualTo("P3"));
            Assert.That(!fields.TryGet("customer_impact", out var impact) || !impact.HasValue, Is.True);
            Assert.That(sandbox.Statistics.RequestsByEndpoint.Keys, Has.Member("PUT /api/v1/products/{product_id}/releases/{id}"));
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Set_field_refuses_a_value_that_does_not_fit_the_field_before_sending_it(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(CliExportTests.Small(), cancellationToken);

            var run = await CliRunner.RunAsync(CliRunner.Against(sandbox, "set-field", "features", "ATL-1", "customer_impact=lots"), cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), run.ToString());
            Assert.That(run.Error, Does.Contain("is a number"));
            Assert.That(sandbox.Statistics.RequestsTo("PUT /api/v1/features/{id}"), Is.Zero);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Limits_shows_the_servers_rate_limit_headers(CancellationToken cancellationToken)
        {
            var json = await CliRunner.RunAsync(new[] { "limits", "--format", "json" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);
            var text = await CliRunner.RunAsync(new[] { "limits" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(json.ExitCode, Is.Zero, json.ToString());
            var state = JObject.Parse(json.Out);
            Assert.That((int?)state["limit"], Is.EqualTo(300));
            Assert.That((int?)state["remaining"], Is.EqualTo(299), "a fresh sandbox, one request");
            Assert.That((bool?)state["demo"], Is.True);
            Assert.That(state["resets_at"]!.Type, Is.Not.EqualTo(JTokenType.Null));
            Assert.That(text.ExitCode, Is.Zero, text.ToString());
            Assert.That(text.Out, Does.Contain("remaining    299").And.Contain("Client-side pacing: 20 requests per 1 s and 300 per 60 s"));
        }

        [TestCase("")]
        [TestCase("export")]
        [TestCase("get")]
        [TestCase("set-field")]
        [TestCase("limits")]
        [CancelAfter(30_000)]
        public async Task Every_command_has_help_that_lists_the_exit_codes(string command, CancellationToken cancellationToken)
        {
            var args = command.Length == 0 ? new[] { "--help" } : new[] { command, "--help" };

            var run = await CliRunner.RunAsync(args, cancellationToken);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Out, Does.Contain("Usage:").And.Contain("Exit codes:").And.Contain("130"));
            Assert.That(run.Out, Does.Contain("--demo").And.Contain("AHA_TOKEN"));
            Assert.That(run.Error, Is.Empty, "help starts no sandbox and sends no request");
        }

        [Test]
        public void Assignments_are_typed_by_the_declared_field_type_or_by_their_look()
        {
            var update = new CustomFieldUpdate();
            CustomFieldValueParser.Apply(update, "n", "7", isJson: false, declaredType: null, forceList: false);
            CustomFieldValueParser.Apply(update, "s", "7a", isJson: false, declaredType: null, forceList: false);
            CustomFieldValueParser.Apply(update, "l", "a, b,,c", isJson: false, declaredType: null, forceList: true);
            CustomFieldValueParser.Apply(update, "t", "7", isJson: false, declaredType: CustomFieldType.String, forceList: false);
            CustomFieldValueParser.Apply(update, "d", "2026-02-03T10:00:00Z", isJson: false, declaredType: CustomFieldType.Date, forceList: false);
            CustomFieldValueParser.Apply(update, "u", "a@example.com,b@example.com", isJson: false, declaredType: CustomFieldType.Users, forceList: false);
            CustomFieldValueParser.Apply(update, "j", "[1, \"x\"]", isJson: true, declaredType: CustomFieldType.String, forceList: false);
            CustomFieldValueParser.Apply(update, "z", string.Empty, isJson: false, declaredType: CustomFieldType.Number, forceList: false);

            Assert.That(update.ToJson(), Is.EqualTo("{\"n\":7,\"s\":\"7a\",\"l\":[\"a\",\"b\",\"c\"],\"t\":\"7\",\"d\":\"2026-02-03\",\"u\":[\"a@example.com\",\"b@example.com\"],\"j\":[1,\"x\"],\"z\":null}"));
            Assert.That(CustomFieldValueParser.Split("a:=1"), Is.EqualTo(("a", "1", true)));
            Assert.That(CustomFieldValueParser.Split("url=https://x/?a=b"), Is.EqualTo(("url", "https://x/?a=b", false)));
            Assert.That(() => CustomFieldValueParser.Apply(new CustomFieldUpdate(), "x", "{", isJson: true, declaredType: null, forceList: false), Throws.InstanceOf<Aha.Cli.Errors.CliException>());
            Assert.That(() => CustomFieldValueParser.Apply(new CustomFieldUpdate(), "x", "{}", isJson: false, declaredType: CustomFieldType.EquationSheet, forceList: false), Throws.InstanceOf<Aha.Cli.Errors.CliException>().With.Message.Contains("x:="));
        }

        [Test]
        public void Csv_cells_are_quoted_only_when_needed_and_quotes_are_doubled()
        {
            Assert.That(Csv.Row(new[] { "plain", "a,b", "say \"hi\"", "two\nlines", " padded", string.Empty, "ünï 🚀" }), Is.EqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",,ünï 🚀\r\n"));
        }

        [Test]
        public void Attributes_are_flattened_to_readable_cells()
        {
            Assert.That(RecordFlattener.Render(JToken.Parse("{\"id\":\"1\",\"reference_num\":\"ATL-R-1\",\"name\":\"R\"}")), Is.EqualTo("ATL-R-1"));
            Assert.That(RecordFlattener.Render(JToken.Parse("{\"id\":\"1\",\"name\":\"Ann\",\"email\":\"ann@example.com\"}")), Is.EqualTo("ann@example.com"));
            Assert.That(RecordFlattener.Render(JToken.Parse("{\"id\":\"1\",\"name\":\"Shipped\",\"color\":\"#fff\"}")), Is.EqualTo("Shipped"));
            Assert.That(RecordFlattener.Render(JToken.Parse("[\"a\",\"b\"]")), Is.EqualTo("a, b"));
            Assert.That(RecordFlattener.Render(new JValue(45.0)), Is.EqualTo("45"));
            Assert.That(RecordFlattener.Render(new JValue(true)), Is.EqualTo("true"));
            Assert.That(RecordFlattener.Render(new JValue(new DateTimeOffset(2024, 1, 9, 17, 38, 0, TimeSpan.FromHours(1)))), Is.EqualTo("2024-01-09T16:38:00Z"));
            Assert.That(RecordFlattener.Render(JValue.CreateNull()), Is.Empty);
        }

        [Test]
        public void Times_and_formats_are_read_from_the_arguments()
        {
            var now = new DateTimeOffset(2026, 5, 10, 12, 0, 0, TimeSpan.Zero);
            Assert.That(ExportCommand.ParseTime("7d", "--updated-since", now), Is.EqualTo(now.AddDays(-7)));
            Assert.That(ExportCommand.ParseTime("12h", "--updated-since", now), Is.EqualTo(now.AddHours(-12)));
            Assert.That(ExportCommand.ParseTime("2025-01-31", "--updated-since", now), Is.EqualTo(new DateTimeOffset(2025, 1, 31, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(ExportCommand.ParseTime("2025-01-31T08:00:00+02:00", "--updated-since", now), Is.EqualTo(new DateTimeOffset(2025, 1, 31, 6, 0, 0, TimeSpan.Zero)));
            Assert.That(ExportCommand.FormatOf(null, "x.JSON"), Is.EqualTo(ExportFormat.Json));
            Assert.That(ExportCommand.FormatOf(null, "x.jsonl"), Is.EqualTo(ExportFormat.Ndjson));
            Assert.That(ExportCommand.FormatOf(null, null), Is.EqualTo(ExportFormat.Csv));
            Assert.That(ExportCommand.FormatOf("ndjson", "x.csv"), Is.EqualTo(ExportFormat.Ndjson));
        }
    }
}
