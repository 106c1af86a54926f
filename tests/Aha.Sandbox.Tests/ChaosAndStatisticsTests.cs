using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Aha.Sandbox.Tests
{
    [TestFixture]
    public class ChaosAndStatisticsTests
    {
        private static Task<AhaSandbox> ChaosAsync(Action<SandboxChaosOptions> configure, Action<AhaSandboxOptions>? more = null) =>
            Sandboxes.SmallAsync(o =>
            {
                configure(o.Chaos);
                more?.Invoke(o);
            });

        /// <summary>Status code, or the kind of failure, of each request in a fixed sequence of reads and writes.</summary>
        private static async Task<List<string>> RunScriptAsync(AhaSandbox sandbox)
        {
            using var http = sandbox.CreateHttpClient();
            var outcomes = new List<string>();
            for (var i = 0; i < 80; i++)
            {
                try
                {
                    using var response = i % 4 == 3
                        ? await http.PostAsync("products/ATL/comments", Sandboxes.Json("{\"comment\": {\"body\": \"Comment " + i + "\"}}"))
                        : await http.GetAsync($"features?page={i % 5 + 1}&per_page=5");
                    var body = await response.Content.ReadAsStringAsync();
                    outcomes.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) + (body.StartsWith("<", StringComparison.Ordinal) ? " html" : string.Empty));
                }
                catch (HttpRequestException)
                {
                    outcomes.Add("failed");
                }
            }

            return outcomes;
        }

        private static void Mixed(SandboxChaosOptions chaos, int seed)
        {
            chaos.Seed = seed;
            chaos.ServerErrorRate = 0.1;
            chaos.DroppedConnectionRate = 0.1;
            chaos.HtmlErrorPageRate = 0.1;
            chaos.TruncatedBodyRate = 0.1;
            chaos.SlowResponseRate = 0.05;
            chaos.SlowResponseDelay = TimeSpan.FromMilliseconds(5);
            chaos.FailAfterCommitRate = 0.2;
        }

        [Test]
        public async Task The_same_seed_gives_the_same_faults_and_another_seed_other_faults()
        {
            await using var first = await ChaosAsync(c => Mixed(c, 7));
            await using var second = await ChaosAsync(c => Mixed(c, 7));
            await using var other = await ChaosAsync(c => Mixed(c, 8));

            var a = await RunScriptAsync(first);
            var b = await RunScriptAsync(second);
            var c = await RunScriptAsync(other);

            Assert.That(b, Is.EqualTo(a));
            Assert.That(c, Is.Not.EqualTo(a));
            Assert.That(first.Statistics.FaultsInjected, Is.EqualTo(second.Statistics.FaultsInjected));
            foreach (var fault in Enum.GetValues<ChaosFault>())
            {
                Assert.That(first.Statistics.Faults(fault), Is.GreaterThan(0), fault.ToString());
            }

            Assert.That(a, Does.Contain("failed").And.Contain("200").And.Contain("502 html").Or.Contain("503 html"));
            Assert.That(first.Count("comments"), Is.EqualTo(second.Count("comments")));
        }

        [Test]
        public async Task Fail_after_commit_creates_the_record_and_a_retry_is_counted_as_a_duplicate()
        {
            await using var sandbox = await ChaosAsync(c => c.FailAfterCommitRate = 1.0);
            using var http = sandbox.CreateHttpClient();
            var before = sandbox.Count("comments");
            const string body = "{\"comment\": {\"body\": \"Only once, please\"}}";

            for (var attempt = 0; attempt < 2; attempt++)
            {
                try
                {
                    using var response = await http.PostAsync("products/ATL/comments", Sandboxes.Json(body));
                    Assert.That((int)response.StatusCode, Is.EqualTo(500));
                }
                catch (HttpRequestException)
                {
                    // the other variant: the connection was dropped after the commit
                }
            }

            Assert.That(sandbox.Count("comments"), Is.EqualTo(before + 2), "both POSTs were committed although neither was answered with success");
            Assert.That(sandbox.Statistics.DuplicateCreations, Is.EqualTo(1));
            Assert.That(sandbox.Statistics.DuplicateCreationDetails.Single(), Does.StartWith("POST /api/v1/products/ATL/comments").And.Contain("Only once, please"));
            Assert.That(sandbox.Statistics.Faults(ChaosFault.FailAfterCommit), Is.EqualTo(2));

            using var read = await http.GetAsync("products/ATL/comments");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "GETs are not affected by a POST-only fault");
        }

        [Test]
        public async Task Faults_before_processing_leave_the_data_unchanged()
        {
            await using var sandbox = await ChaosAsync(c =>
            {
                c.ServerErrorRate = 0.5;
                c.DroppedConnectionRate = 0.25;
                c.HtmlErrorPageRate = 0.25;
            });
            using var http = sandbox.CreateHttpClient();
            var before = sandbox.Count("comments");
            var statuses = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                try
                {
                    using var response = await http.PostAsync("products/ATL/comments", Sandboxes.Json("{\"comment\": {\"body\": \"x" + i + "\"}}"));
                    statuses.Add((int)response.StatusCode);
                    if (response.Content.Headers.ContentType?.MediaType == "text/html")
                    {
                        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<html>"));
                    }
                }
                catch (HttpRequestException)
                {
                    statuses.Add(0);
                }
            }

            Assert.That(statuses, Is.All.AnyOf(0, 500, 502, 503, 504));
            Assert.That(statuses.Distinct().Count(), Is.GreaterThan(2));
            Assert.That(sandbox.Count("comments"), Is.EqualTo(before));
            Assert.That(sandbox.Statistics.DuplicateCreations, Is.Zero);
        }

        [Test]
        public async Task A_truncated_body_fails_the_read_but_the_write_happened()
        {
            await using var sandbox = await ChaosAsync(c => c.TruncatedBodyRate = 1.0);
            using var http = sandbox.CreateHttpClient();
            var key = sandbox.Records("features", "reference_num")[0]["reference_num"].Str();
            var failure = await Assert.CatchAsync(async () => await http.PutAsync("features/" + key, Sandboxes.Json("{\"feature\": {\"name\": \"Half answered\"}}")));
            Assert.That(failure, Is.InstanceOf<HttpRequestException>().Or.InstanceOf<IOException>());
            Assert.That(sandbox.Records("features", "reference_num,name").Single(f => f["reference_num"].Str() == key)["name"].Str(), Is.EqualTo("Half answered"));
            Assert.That(sandbox.Statistics.Faults(ChaosFault.TruncatedBody), Is.EqualTo(1));
        }

        [Test]
        public async Task A_retry_of_the_same_request_gets_a_fresh_draw()
        {
            await using var sandbox = await ChaosAsync(c => { c.ServerErrorRate = 0.6; c.Seed = 3; });
            using var http = sandbox.CreateHttpClient();
            var attempts = 0;
            HttpStatusCode status;
            do
            {
                using var response = await http.GetAsync("products");
                status = response.StatusCode;
                attempts++;
            }
            while (status != HttpStatusCode.OK && attempts < 50);

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sandbox.Statistics.RequestsTo("GET /api/v1/products"), Is.EqualTo(attempts));
        }

        [Test]
        public async Task Slow_responses_wait_on_the_sandbox_clock()
        {
            var time = new FakeTimeProvider();
            await using var sandbox = await ChaosAsync(
                c => { c.SlowResponseRate = 1.0; c.SlowResponseDelay = TimeSpan.FromSeconds(30); },
                o => o.TimeProvider = time);
            using var http = sandbox.CreateHttpClient();
            var pending = http.GetAsync("products");
            for (var i = 0; i < 2000 && sandbox.Statistics.Faults(ChaosFault.SlowResponse) == 0; i++)
            {
                await Task.Delay(5); // bounded wait for the request to reach the server; time itself is fake
            }

            Assert.That(pending.IsCompleted, Is.False);
            time.Advance(TimeSpan.FromSeconds(30));
            using var response = await pending;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        [Test]
        public async Task Disposing_does_not_hang_on_a_request_parked_on_a_fake_clock()
        {
            var time = new FakeTimeProvider();
            var sandbox = await ChaosAsync(c => { c.SlowResponseRate = 1.0; c.SlowResponseDelay = TimeSpan.FromHours(1); }, o => o.TimeProvider = time);
            using var http = sandbox.CreateHttpClient();
            var pending = http.GetAsync("products");
            for (var i = 0; i < 2000 && sandbox.Statistics.Faults(ChaosFault.SlowResponse) == 0; i++)
            {
                await Task.Delay(5);
            }

            var dispose = sandbox.DisposeAsync().AsTask();
            var finished = await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.That(finished, Is.SameAs(dispose), "dispose completes (the parked request is aborted)");
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.That(pending.IsCompleted, Is.True, "the parked request ends (aborted) instead of hanging the client");
        }

        [Test]
        public async Task Invalid_chaos_rates_are_refused()
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ChaosAsync(c => c.ServerErrorRate = 1.5));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ChaosAsync(c => { c.ServerErrorRate = 0.6; c.DroppedConnectionRate = 0.6; }));
        }

        [Test]
        public async Task Statistics_count_requests_per_endpoint_and_duplicate_creations()
        {
            await using var sandbox = await Sandboxes.SmallAsync();
            using var http = sandbox.CreateHttpClient();
            var key = sandbox.Records("features", "reference_num")[0]["reference_num"].Str();
            for (var i = 0; i < 3; i++)
            {
                (await http.GetAsync("features/" + key)).Dispose();
            }

            (await http.GetAsync("features")).Dispose();
            (await http.GetAsync("nowhere")).Dispose();
            (await http.PostAsync("products/ATL/comments", Sandboxes.Json("{\"comment\": {\"body\": \"a\"}}"))).Dispose();
            (await http.PostAsync("products/ATL/comments", Sandboxes.Json("{\"comment\": {\"body\": \"b\"}}"))).Dispose();
            (await http.PostAsync("products/ATL/comments", Sandboxes.Json("{ \"comment\" : { \"body\" : \"a\" } }"))).Dispose();
            (await http.PostAsync("products/BCN/comments", Sandboxes.Json("{\"comment\": {\"body\": \"a\"}}"))).Dispose();

            var stats = sandbox.Statistics;
            Assert.That(stats.RequestsTo("GET /api/v1/features/{id}"), Is.EqualTo(3));
            Assert.That(stats.RequestsTo("GET /api/v1/features"), Is.EqualTo(1));
            Assert.That(stats.RequestsTo("GET (no route)"), Is.EqualTo(1));
            Assert.That(stats.RequestsTo("POST /api/v1/products/{product_id}/comments"), Is.EqualTo(4));
            Assert.That(stats.RequestsByEndpoint.Values.Sum(), Is.EqualTo(stats.TotalRequests));
            Assert.That(stats.TotalRequests, Is.EqualTo(9));
            Assert.That(stats.DuplicateCreations, Is.EqualTo(1), "same path and same JSON (whitespace aside) twice; another product's path is not a duplicate");
            Assert.That(stats.ToString(), Does.Contain("9 requests").And.Contain("1 duplicate"));

            stats.Reset();
            Assert.That(stats.TotalRequests, Is.Zero);
            Assert.That(stats.RequestsByEndpoint, Is.Empty);
            Assert.That(stats.DuplicateCreations, Is.Zero);
        }
    }
}
