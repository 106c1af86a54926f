using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Tests.CustomFields;
using Aha.Client.Tests.Paging;
using Newtonsoft.Json.Linq;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Docs
{
    /// <summary>
    /// The snippets of the README's "Paging" and "Custom fields" sections, run
    /// against MockHttp so that the documentation stays true.
    /// </summary>
    public class ReadmeSnippetTests
    {
        private static (AhaClient Aha, List<string> Puts) CreateClient()
        {
            var puts = new List<string>();
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Get, ListServer.BaseAddressPattern("features/PRJ1-1")).Respond("application/json", Fixtures.FeatureJson);
            mock.When(HttpMethod.Get, ListServer.BaseAddressPattern("*")).Respond(request =>
            {
                var segments = request.RequestUri!.AbsolutePath.TrimEnd('/').Split('/');
                var key = segments[segments.Length - 1];
                var query = request.RequestUri.Query;
                var page = int.Parse(System.Text.RegularExpressions.Regex.Match(query, "[?&]page=(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var perPage = int.Parse(System.Text.RegularExpressions.Regex.Match(query, "[?&]per_page=(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var records = Enumerable.Range(1, 250).Skip((page - 1) * perPage).Take(perPage).Select(ListServer.MakeRecord);
                var body = new JObject
                {
                    [key] = new JArray(records),
                    ["pagination"] = new JObject { ["total_records"] = 250, ["total_pages"] = (250 + perPage - 1) / perPage, ["current_page"] = page },
                };
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json") };
            });
            mock.When(HttpMethod.Put, ListServer.BaseAddressPattern("*")).Respond(async request =>
            {
                var sent = await request.Content!.ReadAsStringAsync();
                lock (puts)
                {
                    puts.Add(request.RequestUri!.AbsolutePath + " " + sent);
                }

                // Echo the wrapped record back, as Aha! answers {"feature": ...}.
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(sent, Encoding.UTF8, "application/json") };
            });
            var http = new HttpClient(mock) { BaseAddress = new Uri(ListServer.BaseAddress) };
            return (new AhaClient(http), puts);
        }

        [Test]
        public async Task Paging_snippets_run()
        {
            var (aha, _) = CreateClient();
            var seen = 0;

            // Every feature updated this week, 200 per request (the maximum), one page fetched ahead of your loop at most.
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions
            {
                UpdatedSince = DateTimeOffset.UtcNow.AddDays(-7),
                Fields = "name,reference_num,workflow_status",
            }))
            {
                Console.WriteLine($"{feature.ReferenceNum} {feature.Name}");
                seen++;
            }

            Assert.That(seen, Is.EqualTo(250));

            // Scoped lists take their path ids first; the CancellationToken works between and during page requests.
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var epics = 0;
            await foreach (var epic in aha.Epics.ListAllByProductAsync("PRJ1", cancellationToken: cts.Token)) { epics++; }
            Assert.That(epics, Is.EqualTo(250));

            int? resumeFrom = null;
            var pages = new List<int>();
            await foreach (var page in aha.Features.ListAllByProductAsync("PRJ1").AsPages(startPage: 1, perPage: 100))
            {
                Console.WriteLine($"page {page.CurrentPage}/{page.TotalPages}: {page.Items.Count} of {page.TotalRecords} records");
                resumeFrom = page.NextPage;             // null after the last page; pass it as startPage to continue later
                pages.Add(page.CurrentPage);
            }

            Assert.That(pages, Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(resumeFrom, Is.Null);

            var all = new List<Idea>();
            await foreach (var idea in aha.Ideas.ListAllAsync().WithParallelism(4))
            {
                all.Add(idea);
            }

            Assert.That(all.Select(i => i.Id), Is.EqualTo(Enumerable.Range(1, 250).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        [Test]
        public async Task Custom_field_snippets_run()
        {
            var (aha, puts) = CreateClient();

            var feature = await aha.Features.GetAsync("PRJ1-1");
            var fields = feature.CustomFields!;

            string? priority = fields["priority"].AsString();                 // "P3"
            decimal? score = fields["score"].AsNumber();                     // 7
            DateTime? due = fields["expected_completion_date"].AsDate();     // 2019-01-01
            IReadOnlyList<string> components = fields["component"].AsStrings();   // ["web", "mobile"]
            IReadOnlyList<CustomFieldUser> reviewers = fields["reviewers"].AsUsers();
            string? html = fields["note"].AsHtml();                           // "<p>...</p>"
            string sheet = fields["equation_specs_field"].ValueJson;          // raw JSON, exactly as sent
            var typed = fields["equation_specs_field"].As<JObject>();

            if (fields.TryGet("risk", out var risk) && risk.HasValue) { Assert.Fail("no such field"); }
            foreach (var field in fields) Console.WriteLine($"{field.Key} ({field.Type}) = {field.ValueJson}");

            Assert.That((priority, score, due, components.Count, reviewers.Count), Is.EqualTo(("P3", 7m, new DateTime(2019, 1, 1), 2, 2)));
            Assert.That(html, Does.StartWith("<p>"));
            Assert.That(sheet, Does.StartWith("{\"values\""));
            Assert.That(typed, Is.Not.Null);

            var update = CustomFieldUpdate.Set("priority", "P3").Set("score", 7).Set("components", new[] { "web", "api" });
            await aha.Features.UpdateCustomFieldsAsync("PRJ1-1", update);

            await aha.Releases.UpdateCustomFieldsAsync("PRJ1", "PRJ1-R-1", CustomFieldUpdate.Set("launch_date", new DateTime(2025, 3, 1)));
            await aha.IdeaOrganizations.UpdateCustomFieldsAsync("138732915", CustomFieldUpdate.Set("size", "Large"));

            var record = await aha.Features.GetAsync("PRJ1-1");
            var changed = record.CustomFields!.ToUpdate().Set("priority", "P1");   // every field with a value, as read
            await aha.Features.UpdateCustomFieldsAsync(record.Id!, changed);

            Assert.That(puts[0], Is.EqualTo("/api/v1/features/PRJ1-1 {\"feature\":{\"custom_fields\":{\"priority\":\"P3\",\"score\":7,\"components\":[\"web\",\"api\"]}}}"));
            Assert.That(puts[1], Is.EqualTo("/api/v1/products/PRJ1/releases/PRJ1-R-1 {\"release\":{\"custom_fields\":{\"launch_date\":\"2025-03-01\"}}}"));
            Assert.That(puts[2], Is.EqualTo("/api/v1/idea_organizations/138732915 {\"idea_organization\":{\"custom_fields\":{\"size\":\"Large\"}}}"));
            Assert.That(puts[3], Does.StartWith("/api/v1/features/1007868956 {\"feature\":{\"custom_fields\":{\"priority\":\"P1\""));

            var withName = new FeatureUpdate { Name = "Renamed", CustomFields = update };
            Assert.That(global::Aha.Client.Serialization.AhaJson.Serialize(withName), Does.Contain("\"custom_fields\":{\"priority\":\"P3\""));
        }
    }
}
