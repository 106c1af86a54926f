using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    /// <summary>
    /// The searches of older change history: a search reserves tokens and answers an id, reads "running" for the
    /// configured reads, then pages its audits by <c>next_token</c> and gives back the unused tokens.
    /// </summary>
    [TestFixture]
    public class HistoricalSearchTests
    {
        private const string Window = "\"created_since\": \"2000-01-01T00:00:00Z\", \"created_before\": \"2100-01-01T00:00:00Z\"";

        private static async Task<(HttpStatusCode Status, JsonObject Body, int? Tokens)> SendAsync(HttpClient http, HttpMethod method, string uri, string? body = null)
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body == null ? null : Sandboxes.Json(body) };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            int? tokens = response.Headers.TryGetValues("X-Historical-Tokens-Available", out var values) ? int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : null;
            return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject(), tokens);
        }

        /// <summary>Five feature updates: five audits of type feature, besides whatever else the setup wrote.</summary>
        private static async Task<List<string>> UpdateFeaturesAsync(HttpClient http, int count)
        {
            var feature = (await http.GetObjectAsync("features?per_page=1"))["features"]![0]!["reference_num"].Str();
            for (var i = 0; i < count; i++)
            {
                var (status, body, _) = await SendAsync(http, HttpMethod.Put, "features/" + feature, $"{{\"feature\": {{\"name\": \"Renamed {i}\"}}}}");
                Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
            }

            return new List<string> { feature };
        }

        [Test]
        public async Task A_search_reserves_tokens_runs_for_the_pending_reads_then_pages_by_next_token_and_refunds()
        {
            await using var sandbox = await Sandboxes.SmallAsync(o =>
            {
                o.HistoricalAudits.TokensAvailable = 500;
                o.HistoricalAudits.SearchReservation = 100;
                o.HistoricalAudits.PendingReads = 2;
                o.HistoricalAudits.ResultsPerPage = 2;
            });
            using var http = sandbox.CreateHttpClient();
            await UpdateFeaturesAsync(http, 5);

            var (status, started, tokens) = await SendAsync(http, HttpMethod.Post, "historical_audits", "{\"search\": {" + Window + ", \"auditable_type\": \"Feature\", \"audit_action\": \"update\"}}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), started.ToJsonString());
            Assert.That(tokens, Is.EqualTo(400), "the reservation is taken at once");
            var id = started["search_id"].Str();

            // A write after the start does not change what the search found.
            await UpdateFeaturesAsync(http, 1);

            for (var read = 0; read < 2; read++)
            {
                var (pendingStatus, pending, _) = await SendAsync(http, HttpMethod.Get, "historical_audits/" + id);
                Assert.That(pendingStatus, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(pending["running"]!.GetValue<bool>(), Is.True, "read " + read);
                Assert.That(pending["results_complete"]!.GetValue<bool>(), Is.False);
                Assert.That(pending["audits"]!.AsArray(), Is.Empty);
            }

            var ids = new List<string>();
            string? token = null;
            var pages = 0;
            int? tokensAfter = null;
            do
            {
                var (pageStatus, page, pageTokens) = await SendAsync(http, HttpMethod.Get, "historical_audits/" + id + (token == null ? string.Empty : "?next_token=" + Uri.EscapeDataString(token)));
                Assert.That(pageStatus, Is.EqualTo(HttpStatusCode.OK), page.ToJsonString());
                Assert.That(page["running"]!.GetValue<bool>(), Is.False);
                ids.AddRange(page["audits"]!.AsArray().Select(a => a!["id"].Str()));
                token = page["next_token"]?.GetValue<string>();
                Assert.That(page["results_complete"]!.GetValue<bool>(), Is.EqualTo(token == null));
                tokensAfter = pageTokens;
                pages++;
            }
            while (token != null && pages < 10);

            var expected = sandbox.Audits().Where(a => a["auditable_type"].Str() == "feature" && a["audit_action"].Str() == "update").Select(a => a["id"].Str()).Take(5).ToList();
            Assert.That(ids, Is.EqualTo(expected), "the five updates made before the start, in order, none twice");
            Assert.That(pages, Is.EqualTo(3), "2 + 2 + 1");
            Assert.That(tokensAfter, Is.EqualTo(500 - 6), "one token plus one per audit found; the rest of the reservation came back");

            var (foreign, _, _) = await SendAsync(http, HttpMethod.Get, "historical_audits/" + id + "?next_token=page-1-of-123");
            Assert.That(foreign, Is.EqualTo(HttpStatusCode.BadRequest));
            var (unknown, missing, unknownTokens) = await SendAsync(http, HttpMethod.Get, "historical_audits/4242");
            Assert.That(unknown, Is.EqualTo(HttpStatusCode.NotFound), missing.ToJsonString());
            Assert.That(unknownTokens, Is.EqualTo(494), "every answer of these operations reports the tokens left, errors too");
        }

        [Test]
        public async Task A_search_without_enough_tokens_or_with_a_bad_body_is_refused_and_reserves_nothing()
        {
            await using var sandbox = await Sandboxes.SmallAsync(o =>
            {
                o.HistoricalAudits.TokensAvailable = 150;
                o.HistoricalAudits.SearchReservation = 100;
            });
            using var http = sandbox.CreateHttpClient();

            foreach (var body in new[]
            {
                "{\"search\": {\"created_since\": \"2000-01-01T00:00:00Z\"}}",
                "{\"search\": {\"created_since\": \"yesterday\", \"created_before\": \"2100-01-01T00:00:00Z\"}}",
                "{\"search\": {\"created_since\": \"2100-01-01T00:00:00Z\", \"created_before\": \"2000-01-01T00:00:00Z\"}}",
                "{\"search\": {" + Window + ", \"audit_action\": \"remove\"}}",
                "{\"search\": {" + Window + ", \"auditable_typo\": \"Feature\"}}",
                "{" + Window + "}",
            })
            {
                var (status, answer, tokens) = await SendAsync(http, HttpMethod.Post, "historical_audits", body);
                Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
                Assert.That(tokens, Is.EqualTo(150), body);
            }

            var (first, _, left) = await SendAsync(http, HttpMethod.Post, "historical_audits", "{\"search\": {" + Window + "}}");
            Assert.That(first, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(left, Is.EqualTo(50));
            var (second, refused, stillLeft) = await SendAsync(http, HttpMethod.Post, "historical_audits", "{\"search\": {" + Window + "}}");
            Assert.That(second, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(refused["message"].Str(), Does.Contain("Not enough historical search tokens: 50 left"));
            Assert.That(stillLeft, Is.EqualTo(50));

            var (index, _, indexTokens) = await SendAsync(http, HttpMethod.Get, "historical_audits?created_since=2000-01-01T00:00:00Z&created_before=2100-01-01T00:00:00Z");
            Assert.That(index, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(indexTokens, Is.EqualTo(50), "the index reports the tokens too, and costs none");
        }

        [Test]
        public async Task The_search_id_of_the_specs_example_reads_the_documented_results()
        {
            await using var sandbox = await Sandboxes.SmallAsync();
            using var http = sandbox.CreateHttpClient();
            var (status, results, _) = await SendAsync(http, HttpMethod.Get, "historical_audits/6776757454428658092");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), results.ToJsonString());
            Assert.That(results["running"]!.GetValue<bool>(), Is.False);
            Assert.That(results["audits"]!.AsArray(), Is.Not.Empty);
        }
    }
}
