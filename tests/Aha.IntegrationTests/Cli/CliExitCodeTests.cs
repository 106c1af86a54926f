using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.Sandbox;

namespace Aha.IntegrationTests.Cli
{
    /// <summary>Each class of failure ends with its own exit code and one clear line on stderr.</summary>
    [TestFixture]
    public sealed class CliExitCodeTests
    {
        private static IEnumerable<TestCaseData> InvalidArguments()
        {
            yield return new TestCaseData((object)new[] { "export", "bogus" }).SetName("Unknown_resource");
            yield return new TestCaseData((object)new[] { "frobnicate" }).SetName("Unknown_command");
            yield return new TestCaseData((object)new[] { "export", "features", "--format", "xml" }).SetName("Unknown_format");
            yield return new TestCaseData((object)new[] { "export", "features", "--parallel", "0" }).SetName("Parallelism_out_of_range");
            yield return new TestCaseData((object)new[] { "export", "features", "--per-page", "500" }).SetName("Page_size_out_of_range");
            yield return new TestCaseData((object)new[] { "export", "features", "--updated-since", "last tuesday" }).SetName("Unreadable_time");
            yield return new TestCaseData((object)new[] { "export", "ideas", "--release", "ATL-R-1" }).SetName("Filter_the_resource_does_not_take");
            yield return new TestCaseData((object)new[] { "export", "features", "--product", "ATL", "--release", "ATL-R-1" }).SetName("Product_and_release_together");
            yield return new TestCaseData((object)new[] { "export", "competitors" }).SetName("Missing_required_product");
            yield return new TestCaseData((object)new[] { "set-field", "features", "ATL-1", "no-equals-sign" }).SetName("Malformed_assignment");
            yield return new TestCaseData((object)new[] { "set-field", "features", "ATL-1" }).SetName("No_assignment");
            yield return new TestCaseData((object)new[] { "get", "epics", "ATL-E-1", "--fields", "name" }).SetName("Fields_on_a_read_that_takes_none");
            yield return new TestCaseData((object)new[] { "get", "features", "ATL-1", "--max-retries", "-1" }).SetName("Negative_retries");
            yield return new TestCaseData((object)new[] { "limits", "--base-url", "not a url", "--token", "t0ken-value" }).SetName("Malformed_base_url");
        }

        [TestCaseSource(nameof(InvalidArguments))]
        [CancelAfter(30_000)]
        public async Task Invalid_arguments_exit_with_2_before_any_request(string[] args, CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(args, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), run.ToString());
            AssertOneErrorLine(run);
            Assert.That(run.Error, Does.Not.Contain("DEMO MODE"), "checked before the sandbox (or Aha!) is contacted");
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task A_rejected_token_exits_with_3_and_is_never_printed(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(CliExportTests.Small(), cancellationToken);
            const string wrongToken = "wrong-secret-token-4242";

            var run = await CliRunner.RunAsync(new[] { "get", "features", "ATL-1", "--base-url", sandbox.BaseAddress.ToString(), "--token", wrongToken }, cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadCredentials), run.ToString());
            AssertOneErrorLine(run);
            Assert.That(run.Error, Does.Contain("authentication failed"));
            Assert.That(run.Error + run.Out, Does.Not.Contain(wrongToken));
            Assert.That(sandbox.Statistics.ForbiddenResponses, Is.EqualTo(1), "a 403 is not retried");
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_account_without_a_token_exits_with_3(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "limits" }, cancellationToken, new Dictionary<string, string> { ["AHA_ACCOUNT"] = "company" });

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadCredentials), run.ToString());
            Assert.That(run.Error, Does.Contain("AHA_TOKEN"));
            AssertOneErrorLine(run);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task A_token_from_the_environment_is_never_printed_either(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(CliExportTests.Small(), cancellationToken);
            const string token = "env-secret-token-9876";
            var environment = new Dictionary<string, string> { ["AHA_TOKEN"] = token, ["AHA_BASE_URL"] = sandbox.BaseAddress.ToString() };

            var run = await CliRunner.RunAsync(new[] { "export", "features", "-v" }, cancellationToken, environment);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadCredentials), run.ToString());
            Assert.That(run.Error + run.Out, Does.Not.Contain(token));
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_unknown_record_exits_with_4(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "get", "features", "NOPE-404" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotFound), run.ToString());
            Assert.That(run.Error, Does.Contain("not found").And.Contain("NOPE-404"));
            AssertOneErrorLine(run, allowDemoNotice: true);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_unknown_product_in_a_filter_exits_with_4(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "export", "features", "--product", "NOPE" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotFound), run.ToString());
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_unreachable_server_exits_with_5(CancellationToken cancellationToken)
        {
            // A loopback port that was free a moment ago: connection refused.
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            var run = await CliRunner.RunAsync(new[] { "get", "features", "ATL-1", "--base-url", $"http://127.0.0.1:{port}/api/v1/", "--token", "some-token", "--max-retries", "0" }, cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NetworkFailure), run.ToString());
            Assert.That(run.Error, Does.Contain("network failure"));
            AssertOneErrorLine(run);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task A_rate_limit_that_stays_exhausted_exits_with_6(CancellationToken cancellationToken)
        {
            // One request per 2 s, and no X-Ratelimit-* on normal answers: the client cannot see the budget coming to
            // an end, gets a 429, and may not retry (--max-retries 0).
            var options = CliExportTests.Small();
            options.RateLimit.Enabled = true;
            options.RateLimit.ShortWindowLimit = 1;
            options.RateLimit.LongWindowLimit = 1;
            options.RateLimit.LongWindow = TimeSpan.FromSeconds(2);
            options.RateLimit.XRatelimitOnEveryResponse = false;
            options.RateLimit.On429 = RateLimitSignals.RetryAfter | RateLimitSignals.Body;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);

            var run = await CliRunner.RunAsync(CliRunner.Against(sandbox, "export", "features", "--per-page", "5", "--max-retries", "0"), cancellationToken);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.RateLimitExhausted), run.ToString());
            Assert.That(run.Error, Does.Contain("rate limit exhausted"));
            Assert.That(sandbox.Statistics.RateLimitedResponses, Is.EqualTo(1));
        }

        [TestCase(true)]
        [TestCase(false)]
        [CancelAfter(30_000)]
        public async Task Server_errors_that_outlast_the_retries_exit_with_7(bool htmlPages, CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "get", "features", "ATL-1", "--max-retries", "1" }, cancellationToken, demoSandbox: o =>
            {
                CliRunner.SmallDemo(o);
                o.RateLimit.Enabled = false;
                if (htmlPages)
                {
                    o.Chaos.HtmlErrorPageRate = 1;
                }
                else
                {
                    o.Chaos.ServerErrorRate = 1;
                }
            });

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.ServerError), run.ToString());
            Assert.That(run.Error, Does.Contain("server error"));
            AssertOneErrorLine(run, allowDemoNotice: true);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task A_request_Aha_rejects_exits_with_8(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(new[] { "set-field", "features", "ATL-1", "no_such_field=1" }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Rejected), run.ToString());
            Assert.That(run.Error, Does.Contain("no_such_field"));
            AssertOneErrorLine(run, allowDemoNotice: true);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task An_unwritable_output_file_exits_with_9_before_any_request(CancellationToken cancellationToken)
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aha-no-such-dir-" + Guid.NewGuid().ToString("N"), "out.csv");

            var run = await CliRunner.RunAsync(new[] { "export", "features", "--out", path }, cancellationToken, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.OutputError), run.ToString());
            Assert.That(run.Error, Does.Not.Contain("DEMO MODE"));
            AssertOneErrorLine(run);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Cancelling_exits_with_130(CancellationToken cancellationToken)
        {
            using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cancelled.Cancel();

            var run = await CliRunner.RunAsync(new[] { "export", "features" }, cancelled.Token, demoSandbox: CliRunner.SmallDemo);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Cancelled), run.ToString());
        }

        [Test]
        public void Exit_codes_are_distinct()
        {
            Assert.That(ExitCodes.All.Select(c => c.Key), Is.Unique);
            Assert.That(ExitCodes.All, Has.Count.EqualTo(12));
        }

        private static void AssertOneErrorLine(CliRun run, bool allowDemoNotice = false)
        {
            var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !allowDemoNotice || !l.Contains("DEMO MODE", StringComparison.Ordinal)).ToArray();
            Assert.That(lines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(lines[0], Does.StartWith("aha"));
            Assert.That(lines[0], Does.Contain("error"));
        }
    }
}
