using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Aha.Sandbox.Tests
{
    /// <summary>Audits of every write, the <c>after_id</c> cursor, the recycle bin, integration-field lookups and activity webhooks.</summary>
    [TestFixture]
    public class AuditAndWebhookTests
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string uri, string? body = null, HttpStatusCode expected = HttpStatusCode.OK)
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body == null ? null : Sandboxes.Json(body) };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(expected), method + " " + uri + ": " + text);
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
        }

        private static Task<AhaSandbox> StartAsync(FakeTimeProvider time, Action<AhaSandboxOptions>? configure = null) =>
            Sandboxes.SmallAsync(o =>
            {
                o.TimeProvider = time;
                o.DemoDataAsOf = Start;
                configure?.Invoke(o);
            });

        private static async Task<(string Product, string Feature)> FirstFeatureAsync(HttpClient http)
        {
            var product = (await http.GetObjectAsync("products"))["products"]![0]!["reference_prefix"].Str();
            var feature = (await http.GetObjectAsync($"products/{product}/features?per_page=1"))["features"]![0]!["reference_num"].Str();
            return (product, feature);
        }

        [Test]
        public async Task Every_write_is_audited_with_only_the_changed_fields()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();
            var (product, _) = await FirstFeatureAsync(http);
            Assert.That(sandbox.Audits(), Is.Empty, "seeding writes no history");

            var created = (await SendAsync(http, HttpMethod.Post, $"products/{product}/features", "{\"feature\": {\"name\": \"Audit me\", \"description\": \"<p>v1</p>\"}}"))["feature"]!;
            var id = created["id"].Str();
            time.Advance(TimeSpan.FromMinutes(5));
            await SendAsync(http, HttpMethod.Put, "features/" + id, "{\"feature\": {\"name\": \"Audited\", \"description\": \"<p>v2</p>\", \"custom_fields\": {\"priority\": \"P1\"}}}");
            time.Advance(TimeSpan.FromMinutes(5));
            await SendAsync(http, HttpMethod.Delete, "features/" + id, expected: HttpStatusCode.NoContent);

            var audits = (await http.GetObjectAsync("audits?per_page=200"))["audits"]!.AsArray().Select(a => a!.AsObject()).ToList();
            Assert.That(audits.Select(a => (a["audit_action"].Str(), a["auditable_type"].Str())), Is.EqualTo(new[]
            {
                ("create", "feature"), ("update", "feature"), ("update", "note"), ("create", "custom_field_value"), ("destroy", "feature"),
            }));
            Assert.That(audits.Select(a => a["id"].Str()), Is.Ordered.Ascending, "ids ascend");

            var create = audits[0];
            Assert.That(create["auditable_id"]!.ToJsonString(), Is.EqualTo(id), "the audited record's id, as a JSON number like Aha!");
            Assert.That(create["created_at"].Str(), Is.EqualTo("2026-03-02T09:00:00.000Z"));
            Assert.That(create["user"]!["email"].Str(), Is.EqualTo("sandra.box@example.com"));
            Assert.That(create["associated_type"].Str(), Is.EqualTo("product").Or.EqualTo("release"));
            Assert.That(create["auditable_url"].Str(), Does.Contain("/features/"));
            Assert.That(create["changes"]!.AsArray().Select(c => c!["field_name"].Str()), Does.Contain("Name").And.Contain("Description"));

            var update = audits[1];
            Assert.That(update["changes"]!.AsArray().Select(c => (c!["field_name"].Str(), c["value"].Str())), Is.EqualTo(new[] { ("Name", "Audited") }));
            Assert.That(update["created_at"].Str(), Is.EqualTo("2026-03-02T09:05:00.000Z"));
            Assert.That(update["description"].Str(), Does.StartWith("updated feature"));

            var note = audits[2];
            Assert.That(note["associated_type"].Str(), Is.EqualTo("feature"));
            Assert.That(note["associated_id"]!.ToJsonString(), Is.EqualTo(id));
            Assert.That(note["changes"]![0]!["value"].Str(), Is.EqualTo("<p>v2</p>"));

            var field = audits[3];
            Assert.That(field["associated_id"]!.ToJsonString(), Is.EqualTo(id), "the first value of a custom field on a record creates it");
            Assert.That(field["changes"]![0]!["value"].Str(), Is.EqualTo("P1"));

            // Filters: type, record, associated record, action, user, time window.
            Assert.That((await http.GetObjectAsync($"audits?auditable_type=Feature&auditable_id={id}"))["audits"]!.AsArray(), Has.Count.EqualTo(3));
            Assert.That((await http.GetObjectAsync($"audits?associated_type=Feature&associated_id={id}"))["audits"]!.AsArray(), Has.Count.EqualTo(2), "description and custom field");
            Assert.That((await http.GetObjectAsync("audits?audit_action=destroy"))["audits"]!.AsArray().Single()!["auditable_id"]!.ToJsonString(), Is.EqualTo(id));
            Assert.That((await http.GetObjectAsync("audits?user_id=" + create["user"]!["id"].Str()))["audits"]!.AsArray(), Has.Count.EqualTo(5));
            Assert.That((await http.GetObjectAsync("audits?created_since=2026-03-02T09:04:00Z&created_before=2026-03-02T09:06:00Z"))["audits"]!.AsArray(), Has.Count.EqualTo(3));
            using var bad = await http.GetAsync("audits?audit_action=touch");
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        [Test]
        public async Task The_after_id_cursor_reads_every_audit_once_in_ascending_order()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();
            var (_, feature) = await FirstFeatureAsync(http);
            for (var i = 0; i < 7; i++)
            {
                await SendAsync(http, HttpMethod.Put, "features/" + feature, $"{{\"feature\": {{\"name\": \"Rename {i}\"}}}}");
            }

            var seen = new List<string>();
            string? cursor = null;
            for (var round = 0; round < 10; round++)
            {
                var page = (await http.GetObjectAsync("audits?per_page=3" + (cursor != null ? "&after_id=" + cursor : string.Empty)))["audits"]!.AsArray();
                if (page.Count == 0)
                {
                    break;
                }

                seen.AddRange(page.Select(a => a!["id"].Str()));
                cursor = seen[seen.Count - 1];
            }

            Assert.That(seen, Has.Count.EqualTo(7));
            Assert.That(seen, Is.Unique.And.Ordered.Ascending);
            Assert.That(seen, Is.EqualTo(sandbox.Audits().Select(a => a["id"].Str())));
        }

        [Test]
        public async Task Deleted_records_go_to_the_recycle_bin_for_seven_days_and_can_be_restored()
        {
            var time = new FakeTimeProvider(Start);
            await using var sandbox = await StartAsync(time);
            using var http = sandbox.CreateHttpClient();
            var (_, feature) = await FirstFeatureAsync(http);
            var before = (await http.GetObjectAsync("features/" + feature))["feature"]!;

            await SendAsync(http, HttpMethod.Delete, "features/" + feature, expected: HttpStatusCode.NoContent);
            var bin = (await http.GetObjectAsync("deletions"))["deletions"]!.AsArray();
            Assert.That(bin, Has.Count.EqualTo(1));
            Assert.That(bin[0]!["record"]!["type"].Str(), Is.EqualTo("Feature"));
            Assert.That(bin[0]!["record"]!["id"].Str(), Is.EqualTo(before["id"].Str()));
            Assert.That(bin[0]!["deleted_at"].Str(), Is.EqualTo("2026-03-02T09:00:00.000Z"));

            var restored = (await SendAsync(http, HttpMethod.Post, $"deletions/{bin[0]!["id"].Str()}/restore"))["deletion"]!;
            Assert.That(restored["status"].Str(), Is.EqualTo("restore_in_progress"));
            var after = (await http.GetObjectAsync("features/" + feature))["feature"]!;
            Assert.That(after.ToJsonString(), Is.EqualTo(before.ToJsonString()), "the same record, unchanged");
            Assert.That((await http.GetObjectAsync("deletions"))["deletions"]!.AsArray(), Is.Empty);
            await SendAsync(http, HttpMethod.Post, $"deletions/{bin[0]!["id"].Str()}/restore", expected: HttpStatusCode.NotFound);
            Assert.That(sandbox.Audits().Select(a => a["audit_action"].Str()), Is.EqualTo(new[] { "destroy", "create" }));

            await SendAsync(http, HttpMethod.Delete, "features/" + feature, expected: HttpStatusCode.NoContent);
            time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
            Assert.That((await http.GetObjectAsync("deletions"))["deletions"]!.AsArray(), Is.Empty, "kept seven days");
        }

        [Test]
        public async Task A_record_is_found_again_by_its_integration_field()
        {
            await using var sandbox = await StartAsync(new FakeTimeProvider(Start));
            using var http = sandbox.CreateHttpClient();
            var (_, feature) = await FirstFeatureAsync(http);
            var field = (await SendAsync(http, HttpMethod.Post, $"features/{feature}/integrations/204584239/fields", "{\"integration_field\": {\"name\": \"key\", \"value\": \"JRA-34\"}}"))["integration_field"]!;
            Assert.That(field["integration_id"]!.ToJsonString(), Is.EqualTo("204584239"));

            var found = (await http.GetObjectAsync("features/fields/key/value/JRA-34"))["records"]!.AsArray();
            Assert.That(found.Single()!["feature"]!["reference_num"].Str(), Is.EqualTo(feature));
            Assert.That((await http.GetObjectAsync("features/fields/key/value/JRA-35"))["records"]!.AsArray(), Is.Empty);
            Assert.That(sandbox.Audits().Single()["changes"]![0]!["field_name"].Str(), Is.EqualTo("Integration fields"));

            var read = (await http.GetObjectAsync($"features/{feature}/integrations/204584239/fields/key"))["integration_field"]!;
            Assert.That(read["value"].Str(), Is.EqualTo("JRA-34"));
            await SendAsync(http, HttpMethod.Delete, "integration_fields/" + field["id"].Str(), expected: HttpStatusCode.NoContent);
            Assert.That((await http.GetObjectAsync("features/fields/key/value/JRA-34"))["records"]!.AsArray(), Is.Empty, "gone once deleted");
            await SendAsync(http, HttpMethod.Delete, "integration_fields/" + field["id"].Str(), expected: HttpStatusCode.NotFound);
        }

        [Test]
        public async Task Each_audit_is_posted_to_the_registered_webhook_in_order()
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            await using var sandbox = await StartAsync(new FakeTimeProvider(Start));
            using var http = sandbox.CreateHttpClient();
            var (_, feature) = await FirstFeatureAsync(http);
            await SendAsync(http, HttpMethod.Put, "features/" + feature, "{\"feature\": {\"name\": \"Before the hook\"}}");

            sandbox.RegisterWebhook(receiver.Url);
            for (var i = 0; i < 5; i++)
            {
                await SendAsync(http, HttpMethod.Put, "features/" + feature, $"{{\"feature\": {{\"name\": \"Hooked {i}\"}}}}");
            }

            await sandbox.FlushWebhooksAsync();
            var delivered = receiver.Accepted.ToArray();
            Assert.That(delivered, Has.Length.EqualTo(5), "only audits written after registering");
            Assert.That(delivered.Select(d => d.ContentType), Is.All.StartWith("application/json"));
            Assert.That(delivered.SelectMany(d => d.Headers), Has.None.Contains("Signature").IgnoreCase);
            var payloads = delivered.Select(d => JsonNode.Parse(d.Body)!.AsObject()).ToList();
            Assert.That(payloads.Select(p => p["event"].Str()), Is.All.EqualTo("audit"));
            Assert.That(payloads.Select(p => p["audit"]!["changes"]![0]!["value"].Str()), Is.EqualTo(Enumerable.Range(0, 5).Select(i => "Hooked " + i)));
            Assert.That(payloads.Select(p => p["audit"]!.ToJsonString()), Is.EqualTo(sandbox.Audits().Skip(1).Select(a => a.ToJsonString())));
            Assert.That(sandbox.Statistics.WebhooksDelivered, Is.EqualTo(5));
        }

        [Test]
        public async Task A_refused_delivery_is_retried_and_then_given_up()
        {
            await using var receiver = await WebhookReceiver.StartAsync(failFirst: 4);
            await using var sandbox = await StartAsync(new FakeTimeProvider(Start), o =>
            {
                o.Webhooks.RetryDelay = TimeSpan.Zero;
                o.Webhooks.MaxAttempts = 3;
            });
            sandbox.RegisterWebhook(receiver.Url);
            using var http = sandbox.CreateHttpClient();
            var (_, feature) = await FirstFeatureAsync(http);
            await SendAsync(http, HttpMethod.Put, "features/" + feature, "{\"feature\": {\"name\": \"First\"}}");
            await SendAsync(http, HttpMethod.Put, "features/" + feature, "{\"feature\": {\"name\": \"Second\"}}");
            await sandbox.FlushWebhooksAsync();

            // First audit: 3 refusals, given up. Second: 1 refusal, then delivered.
            Assert.That(receiver.Refused, Is.EqualTo(4));
            Assert.That(sandbox.Statistics.WebhookFailures, Is.EqualTo(1));
            Assert.That(sandbox.Statistics.WebhooksDelivered, Is.EqualTo(1));
            Assert.That(JsonNode.Parse(receiver.Accepted.Single().Body)!["audit"]!["changes"]![0]!["value"].Str(), Is.EqualTo("Second"));
        }

        [Test]
        public void A_webhook_url_must_be_absolute_http()
        {
            var options = new AhaSandboxOptions();
            options.Webhooks.Url = new Uri("ftp://example.invalid/x");
            Assert.ThrowsAsync<ArgumentException>(async () => await AhaSandbox.StartAsync(options));
        }
    }
}
