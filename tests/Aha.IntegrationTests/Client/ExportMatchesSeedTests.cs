using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;
using Aha.Client.Serialization;
using Aha.IntegrationTests.Infrastructure;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Client
{
    /// <summary>
    /// The real client pages through the sandbox's seeded data: every record, in order, with every value, whatever
    /// pagination shape the server sends.
    /// </summary>
    [TestFixture]
    public sealed class ExportMatchesSeedTests
    {
        private static readonly PaginationShape[] PagedShapes = { PaginationShape.Object, PaginationShape.ArrayOfOne, PaginationShape.MetaPagination };

        private static IEnumerable<TestCaseData> ShapesAndResources()
        {
            foreach (var shape in PagedShapes)
            {
                yield return new TestCaseData(shape, "features").SetName($"Features_{shape}");
                yield return new TestCaseData(shape, "ideas").SetName($"Ideas_{shape}");
            }
        }

        [TestCaseSource(nameof(ShapesAndResources))]
        [CancelAfter(120_000)]
        public async Task A_full_export_over_many_pages_equals_the_seeded_data(PaginationShape shape, string resource, CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(Unlimited(shape), cancellationToken);
            var aha = sandbox.CreateClient();
            const int perPage = 97; // not a divisor of the totals: the last page is short

            var exported = new List<JObject>();
            var pages = 0;
            if (resource == "features")
            {
                await foreach (var page in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "*" }).AsPages(perPage: perPage).WithCancellation(cancellationToken))
                {
                    pages++;
                    exported.AddRange(page.Items.Select(f => JObject.FromObject(f, AhaJson.Serializer)));
                    AssertTypedCustomFields(page.Items.Select(f => f.CustomFields));
                }
            }
            else
            {
                await foreach (var page in aha.Ideas.ListAllAsync(new IdeasListOptions { Fields = "*" }).AsPages(perPage: perPage).WithCancellation(cancellationToken))
                {
                    pages++;
                    exported.AddRange(page.Items.Select(i => JObject.FromObject(i, AhaJson.Serializer)));
                    AssertTypedCustomFields(page.Items.Select(i => i.CustomFields));
                }
            }

            var seeded = sandbox.Records(resource, "*");
            Assert.That(seeded.Count, Is.GreaterThan(1000), "the demo data is large enough to need many pages");
            Assert.That(pages, Is.EqualTo((seeded.Count + perPage - 1) / perPage), "one request per page, no page skipped or repeated");
            Assert.That(exported.Count, Is.EqualTo(seeded.Count));
            Assert.That(exported.Select(r => (string?)r["id"]), Is.EqualTo(seeded.Select(r => r["id"]!.ToString())), "same ids in the same order");
            AssertSameValues(seeded, exported);
            Assert.That(sandbox.Statistics.RequestsTo("GET /api/v1/" + resource), Is.EqualTo(pages));
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Concurrent_page_fetching_yields_the_same_records_in_the_same_order(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(Unlimited(PaginationShape.Object), cancellationToken);
            var aha = sandbox.CreateClient();

            var sequential = new List<string?>();
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "id" }).WithPerPage(50).WithCancellation(cancellationToken))
            {
                sequential.Add(feature.Id);
            }

            var parallel = new List<string?>();
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "id" }).WithPerPage(50).WithParallelism(6).WithCancellation(cancellationToken))
            {
                parallel.Add(feature.Id);
            }

            Assert.That(sequential, Has.Count.EqualTo(sandbox.Count("features")));
            Assert.That(parallel, Is.EqualTo(sequential));
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task Without_pagination_information_the_list_is_read_while_pages_are_full(CancellationToken cancellationToken)
        {
            // PaginationShape.Absent: nothing tells the client how many pages exist. A full page only proves that there
            // may be more (this test used to expect exactly one page, and lost every record after it), so pages are
            // read until one is not full; each page after the first is checked against the page before it, read again.
            await using var sandbox = await AhaSandbox.StartAsync(Unlimited(PaginationShape.Absent), cancellationToken);
            var aha = sandbox.CreateClient();

            var ids = new List<string?>();
            await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "id" }).WithPerPage(100).WithCancellation(cancellationToken))
            {
                ids.Add(feature.Id);
            }

            var expected = sandbox.Records("features", "id").Select(r => r["id"]!.ToString()).ToList();
            Assert.That(ids, Is.EqualTo(expected));
            var pages = (expected.Count / 100) + 1;
            Assert.That(sandbox.Statistics.RequestsTo("GET /api/v1/features"), Is.LessThanOrEqualTo(2 * pages));
        }

        [Test]
        [CancelAfter(60_000)]
        public async Task The_pagination_shape_can_change_between_pages_without_losing_a_record(CancellationToken cancellationToken)
        {
            await using var sandbox = await AhaSandbox.StartAsync(Unlimited(PaginationShape.Object), cancellationToken);
            var aha = sandbox.CreateClient();

            var ids = new List<string?>();
            var page = 0;
            await foreach (var p in aha.Ideas.ListAllAsync(new IdeasListOptions { Fields = "id" }).AsPages(perPage: 150).WithCancellation(cancellationToken))
            {
                ids.AddRange(p.Items.Select(i => i.Id));
                sandbox.PaginationShape = PagedShapes[++page % PagedShapes.Length];
            }

            Assert.That(ids, Is.EqualTo(sandbox.Records("ideas", "id").Select(r => r["id"]!.ToString())));
        }

        internal static AhaSandboxOptions Unlimited(PaginationShape shape)
        {
            var options = new AhaSandboxOptions { PaginationShape = shape };
            options.RateLimit.Enabled = false; // pacing has its own tests; these are about data
            return options;
        }

        private static void AssertSameValues(IReadOnlyList<System.Text.Json.Nodes.JsonObject> seeded, IReadOnlyList<JObject> exported)
        {
            var differences = new List<string>();
            for (var i = 0; i < seeded.Count && differences.Count < 20; i++)
            {
                var expected = JsonEquivalence.FromSandbox(seeded[i]);
                differences.AddRange(JsonEquivalence.Differences(expected, exported[i], $"[{i}] {exported[i]["reference_num"]}"));
            }

            Assert.That(differences, Is.Empty, "every attribute of every record, custom fields included, as seeded");
        }

        /// <summary>The typed accessors agree with the raw JSON for every kind of custom field.</summary>
        private static void AssertTypedCustomFields(IEnumerable<CustomFields?> records)
        {
            foreach (var fields in records)
            {
                Assert.That(fields, Is.Not.Null, "fields=* returns custom fields");
                foreach (var field in fields!)
                {
                    var raw = field.RawValue;
                    switch (field.Type)
                    {
                        case CustomFieldType.Number:
                            Assert.That(field.AsNumber(), Is.EqualTo(decimal.Parse(raw!.ToString(), CultureInfo.InvariantCulture)), field.ToString());
                            break;
                        case CustomFieldType.Date:
                            Assert.That(field.AsDate(), Is.EqualTo(DateTime.ParseExact((string)raw!, "yyyy-MM-dd", CultureInfo.InvariantCulture)), field.ToString());
                            break;
                        case CustomFieldType.Array:
                            Assert.That(field.AsStrings(), Is.EqualTo(((JArray)raw!).Select(t => (string?)t)), field.ToString());
                            break;
                        case CustomFieldType.Users:
                            Assert.That(field.AsUsers().Select(u => u.Email), Is.EqualTo(((JArray)raw!).Select(t => (string?)t["email"])), field.ToString());
                            break;
                        case CustomFieldType.Note:
                            Assert.That(field.AsHtml(), Is.EqualTo((string?)raw), field.ToString());
                            break;
                        case CustomFieldType.String:
                        case CustomFieldType.Url:
                            Assert.That(field.AsString(), Is.EqualTo((string?)raw), field.ToString());
                            break;
                        case CustomFieldType.EquationSheet:
                            Assert.That(field.As<JObject>()!["values"], Is.Not.Null, field.ToString());
                            break;
                        case CustomFieldType.Attachment:
                            Assert.That(field.HasValue, Is.False, field.ToString());
                            Assert.That(field.GetMember<JArray>("attachments"), Is.Not.Empty, field.ToString());
                            break;
                    }
                }
            }
        }
    }
}
