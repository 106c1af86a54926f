using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.IntegrationTests.Infrastructure;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Cli
{
    /// <summary>
    /// <c>aha search historical-audits</c> and <c>aha get historical-audit-searches ID</c> against a sandbox whose searches
    /// run for two reads and page their results three audits at a time.
    /// </summary>
    [TestFixture]
    public sealed class CliHistoricalSearchTests
    {
        private const string StartRoute = "POST /api/v1/historical_audits";
        private const string ResultsRoute = "GET /api/v1/historical_audits/{search_id}";

        /// <summary>A window that holds every audit of the sandbox (the sandbox searches its own history, whatever its age).</summary>
        private static readonly string[] Window = { "--created-since", "2000-01-01", "--created-before", "2100-01-01T00:00:00Z" };

        private AhaSandbox _sandbox = null!;

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            var options = CliExportTests.Unlimited();
            CliRunner.SmallDemo(options);
            options.HistoricalAudits.TokensAvailable = 1000;
            options.HistoricalAudits.SearchReservation = 100;
            options.HistoricalAudits.PendingReads = 2;
            options.HistoricalAudits.ResultsPerPage = 3;
            _sandbox = await AhaSandbox.StartAsync(options);

            // Seven renames of one feature: seven audits of type feature for the searches to find.
            var feature = _sandbox.Records("feature", "reference_num").First()["reference_num"]!.ToString();
            using var http = _sandbox.CreateHttpClient();
            for (var i = 0; i < 7; i++)
            {
                using var put = await http.PutAsync("features/" + feature, new StringContent($"{{\"feature\": {{\"name\": \"Searched {i}\"}}}}", Encoding.UTF8, "application/json"));
                Assert.That((int)put.StatusCode, Is.EqualTo(200), await put.Content.ReadAsStringAsync());
            }
        }

        [OneTimeTearDown]
        public async Task StopAsync() => await _sandbox.DisposeAsync();

        private async Task<(string Id, int? Tokens)> StartSearchAsync(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "search", "historical-audits", "--auditable-type", "Feature", "--audit-action", "update", "--format", "json" }.Concat(Window).ToArray()), cancellationToken);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
            var answer = JObject.Parse(run.Out);
            var id = (string)answer["search_id"]!;
            Assert.That((string?)answer["read_with"], Is.EqualTo("aha get historical-audit-searches " + id));
            return (id, (int?)answer["tokens_available"]);
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task A_search_is_reported_running_then_every_page_is_read_in_each_format(CancellationToken cancellationToken)
        {
            var startsBefore = _sandbox.Statistics.RequestsTo(StartRoute);
            var (id, tokens) = await StartSearchAsync(cancellationToken);
            Assert.That(_sandbox.Statistics.RequestsTo(StartRoute), Is.EqualTo(startsBefore + 1), "one POST per search");
            Assert.That(tokens, Is.Not.Null.And.LessThanOrEqualTo(900), "the tokens left after the reservation, from X-Historical-Tokens-Available");

            // Running: a distinct exit code, nothing on stdout, no file, and the command to run again.
            var file = CliRunner.TempFile("history.json");
            foreach (var args in new[] { new[] { "get", "historical-audit-searches", id }, new[] { "get", "historical-audit-searches", id, "--out", file } })
            {
                var pending = await CliRunner.RunAsync(CliRunner.Against(_sandbox, args), cancellationToken);
                Assert.That(pending.ExitCode, Is.EqualTo(ExitCodes.NotReady), pending.ToString());
                Assert.That(pending.Out, Is.Empty, "a running search is never an empty success");
                Assert.That(pending.Error, Does.Contain($"historical search {id} is still running").And.Contain("Try again later: aha get historical-audit-searches " + id));
            }

            Assert.That(File.Exists(file), Is.False, "no file for a search still running");

            // Done: 7 audits in pages of 3, every page followed, nothing twice.
            var expected = _sandbox.Audits().Where(a => (string?)a["auditable_type"] == "feature" && (string?)a["audit_action"] == "update").Select(a => a["id"]!.ToString()).ToList();
            Assert.That(expected, Has.Count.EqualTo(7));
            var readsBefore = _sandbox.Statistics.RequestsTo(ResultsRoute);
            var done = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "get", "historical-audit-searches", id, "--format", "ndjson"), cancellationToken);
            Assert.That(done.ExitCode, Is.EqualTo(ExitCodes.Success), done.ToString());
            var lines = done.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JObject.Parse).ToList();
            Assert.That(lines.Select(l => (string?)l["id"]), Is.EqualTo(expected));
            Assert.That(lines.Select(l => (string?)l["changes"]?[0]?["field_name"]), Has.All.EqualTo("Name"));
            Assert.That(_sandbox.Statistics.RequestsTo(ResultsRoute) - readsBefore, Is.EqualTo(3), "three pages: 3 + 3 + 1");
            Assert.That(done.Error, Does.Contain("read 7 audit(s) of historical search " + id + " in 3 page(s)").And.Contain("search tokens left: " + (tokens + 100 - 8)));

            // The same results again: JSON by default, to a file; CSV from the file's extension; the singular name too.
            var json = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "get", "historical-audit-search", id, "--out", file), cancellationToken);
            Assert.That(json.ExitCode, Is.EqualTo(ExitCodes.Success), json.ToString());
            Assert.That(JArray.Parse(File.ReadAllText(file)).Select(a => (string?)a["id"]), Is.EqualTo(expected));

            var csvFile = CliRunner.TempFile("history.csv");
            var csv = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "get", "historical-audit-searches", id, "--out", csvFile, "--quiet"), cancellationToken);
            Assert.That(csv.ExitCode, Is.EqualTo(ExitCodes.Success), csv.ToString());
            var (header, rows) = CliRunner.ReadCsv(csvFile);
            Assert.That(rows.Select(r => r[Array.IndexOf(header, "id")]), Is.EqualTo(expected));
            Assert.That(csv.Error, Is.Empty);
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task An_unknown_search_id_is_not_found(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "get", "historical-audit-searches", "4242424242"), cancellationToken);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotFound), run.ToString());
            Assert.That(run.Error, Does.Contain("not found").And.Contain("4242424242"));
            Assert.That(run.Out, Is.Empty);
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Bad_input_is_a_usage_error_before_any_request(CancellationToken cancellationToken)
        {
            var before = _sandbox.Statistics.TotalRequests;
            foreach (var (args, expected) in new (string[] Args, string Expected)[]
            {
                (new[] { "search", "historical-audits" }, "missing: --created-since, --created-before"),
                (new[] { "search", "historical-audits", "--created-since", "2023-01-01" }, "missing: --created-before"),
                (new[] { "search", "historical-audits", "--created-since", "last tuesday", "--created-before", "2023-07-01" }, "--created-since 'last tuesday' is not a date"),
                (new[] { "search", "historical-audits", "--created-since", "2023-07-01", "--created-before", "2023-01-01" }, "must be earlier than --created-before"),
                (Window.Prepend("historical-audits").Prepend("search").Concat(new[] { "--user-id", "bob" }).ToArray(), "--user-id 'bob' is not a numeric id"),
                (Window.Prepend("historical-audits").Prepend("search").Concat(new[] { "--auditable-id", "PRJ1-1" }).ToArray(), "--auditable-id 'PRJ1-1' is not a numeric id"),
                (Window.Prepend("historical-audits").Prepend("search").Concat(new[] { "--after-id", "5x" }).ToArray(), "--after-id '5x' is not a numeric id"),
                (Window.Prepend("historical-audits").Prepend("search").Concat(new[] { "--auditable-type", "Fea ture" }).ToArray(), "--auditable-type 'Fea ture' is not a record type"),
                (Window.Prepend("historical-audits").Prepend("search").Concat(new[] { "--associated-type", "Feature" }).ToArray(), "--associated-type and --associated-id go together"),
                (Window.Prepend("historical-audits").Prepend("search").Concat(new[] { "--audit-action", "remove" }).ToArray(), "unknown --audit-action value 'remove'"),
                (new[] { "search", "historical-audts" }, "historical-audits"),
                (new[] { "get", "historical-audit-searches", "123", "--fields", "id" }, "take no --fields and no --in"),
                (new[] { "get", "historical-audit-searches", " " }, "the record id is empty"),
                (new[] { "get", "features", "PRJ1-1", "--format", "csv" }, "--format, --out and --bom are for the results of a historical search"),
            })
            {
                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, args), cancellationToken);
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), string.Join(" ", args) + ": " + run);
                Assert.That(run.Error, Does.Contain(expected), string.Join(" ", args));
            }

            Assert.That(_sandbox.Statistics.TotalRequests, Is.EqualTo(before), "usage errors cost no request (and no search token)");
        }

        /// <summary>
        /// Answers that the sandbox never gives, from a scripted loopback server: a <c>next_token</c> that comes back, a last
        /// page that says more is to come, a search that reports running again after its first page. None of them may end
        /// as a success with what was read so far.
        /// </summary>
        [TestCase("repeated", ExitCodes.ServerError, "sent the same next_token twice")]
        [TestCase("incomplete", ExitCodes.NotReady, "has not delivered all of its results yet (after 2 page(s)")]
        [TestCase("running-again", ExitCodes.NotReady, "has not delivered all of its results yet (after 1 page(s)")]
        [CancelAfter(60_000)]
        public async Task A_read_that_cannot_reach_complete_results_fails_and_leaves_no_file(string script, int expectedCode, string expectedText, CancellationToken cancellationToken)
        {
            static string Page(string audits, string? next, bool complete, bool running = false)
                => $"{{\"audits\": [{audits}], \"running\": {(running ? "true" : "false")}, \"next_token\": {(next == null ? "null" : "\"" + next + "\"")}, \"results_complete\": {(complete ? "true" : "false")}}}";
            var pages = script switch
            {
                "repeated" => new System.Collections.Generic.Dictionary<string, string> { [string.Empty] = Page("{\"id\": \"1\"}", "A", false), ["A"] = Page("{\"id\": \"2\"}", "A", false) },
                "incomplete" => new System.Collections.Generic.Dictionary<string, string> { [string.Empty] = Page("{\"id\": \"1\"}", "A", false), ["A"] = Page("{\"id\": \"2\"}", null, false) },
                _ => new System.Collections.Generic.Dictionary<string, string> { [string.Empty] = Page("{\"id\": \"1\"}", "A", false), ["A"] = Page(string.Empty, null, false, running: true) },
            };

            await using var server = new ScriptedServer(
                request => pages.TryGetValue(request.QueryString["next_token"] ?? string.Empty, out var page) ? (200, page) : (404, "{\"error\": \"Not Found\"}"),
                new System.Collections.Generic.Dictionary<string, string> { ["X-Historical-Tokens-Available"] = "77" });
            var file = CliRunner.TempFile("history.ndjson");
            var args = new[] { "get", "historical-audit-searches", "55", "--base-url", server.ApiRoot, "--token", "scripted-token", "--max-retries", "0" };
            var toFile = await CliRunner.RunAsync(args.Concat(new[] { "--out", file }).ToArray(), cancellationToken);
            Assert.That(toFile.ExitCode, Is.EqualTo(expectedCode), toFile.ToString());
            Assert.That(toFile.Error, Does.Contain(expectedText));
            Assert.That(File.Exists(file), Is.False, "no file holds a part of the results as if it were all of them");

            var toStdout = await CliRunner.RunAsync(args.Concat(new[] { "--format", "ndjson" }).ToArray(), cancellationToken);
            Assert.That(toStdout.ExitCode, Is.EqualTo(expectedCode), toStdout.ToString());
            if (expectedCode == ExitCodes.NotReady)
            {
                Assert.That(toStdout.Error, Does.Contain("audit(s) already printed are not all of them").And.Contain("Try again later"));
            }
        }

        [Test]
        public void Next_token_is_followed_as_text_or_number_and_ends_on_null_or_empty()
        {
            Assert.That(Aha.Cli.Commands.HistoricalSearchCommands.NextToken(null, "1"), Is.Null);
            Assert.That(Aha.Cli.Commands.HistoricalSearchCommands.NextToken(string.Empty, "1"), Is.Null);
            Assert.That(Aha.Cli.Commands.HistoricalSearchCommands.NextToken(JValue.CreateNull(), "1"), Is.Null);
            Assert.That(Aha.Cli.Commands.HistoricalSearchCommands.NextToken("eyJwYWdlIjoyfQ==", "1"), Is.EqualTo("eyJwYWdlIjoyfQ=="));
            Assert.That(Aha.Cli.Commands.HistoricalSearchCommands.NextToken(new JValue("abc"), "1"), Is.EqualTo("abc"));
            Assert.That(Aha.Cli.Commands.HistoricalSearchCommands.NextToken(12345678901234567L, "1"), Is.EqualTo("12345678901234567"));
            var error = Assert.Throws<Aha.Cli.Errors.CliException>(() => Aha.Cli.Commands.HistoricalSearchCommands.NextToken(new JObject { ["page"] = 2 }, "77"))!;
            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.ServerError));
            Assert.That(error.Message, Does.Contain("search 77").And.Contain("{\"page\":2}"));
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task A_start_whose_answer_is_lost_is_never_sent_again(CancellationToken cancellationToken)
        {
            // Every POST is processed, then answered with a 500 or a dropped connection: the search started, the answer
            // is lost. Sending it again would start (and pay for) a second search.
            var options = CliExportTests.Small();
            options.Chaos.FailAfterCommitRate = 1.0;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);

            var run = await CliRunner.RunAsync(CliRunner.Against(sandbox, new[] { "search", "historical-audits" }.Concat(Window).ToArray()), cancellationToken);

            Assert.That(run.ExitCode, Is.AnyOf(ExitCodes.ServerError, ExitCodes.NetworkFailure), run.ToString());
            Assert.That(run.Error, Does.Contain("may have started all the same").And.Contain("it was not sent again"));
            Assert.That(sandbox.Statistics.RequestsTo(StartRoute), Is.EqualTo(1), "the POST went through the client's pipeline, which does not repeat it");
            Assert.That(sandbox.Statistics.DuplicateCreations, Is.Zero);
        }
    }
}
