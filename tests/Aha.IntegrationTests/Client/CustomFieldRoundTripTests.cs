using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Client
{
    /// <summary>Custom fields of every kind written through <c>Update...CustomFieldsAsync</c> and read back typed.</summary>
    [TestFixture]
    public sealed class CustomFieldRoundTripTests
    {
        private AhaSandbox _sandbox = null!;
        private AhaClient _aha = null!;

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            _sandbox = await AhaSandbox.StartAsync(ExportMatchesSeedTests.Unlimited(PaginationShape.Object));
            _aha = _sandbox.CreateClient();
        }

        [OneTimeTearDown]
        public async Task StopAsync() => await _sandbox.DisposeAsync();

        [Test]
        [CancelAfter(30_000)]
        public async Task Every_kind_of_custom_field_written_on_a_feature_reads_back_typed(CancellationToken cancellationToken)
        {
            var stakeholder = _sandbox.Records("features", "*")
                .SelectMany(f => f["custom_fields"]!.AsArray())
                .Where(cf => (string?)cf!["type"] == "users")
                .Select(cf => (string)cf!["value"]![0]!["email"]!)
                .First();

            var update = CustomFieldUpdate.Set("priority", "P1 — ünïcødé")
                .Set("customer_impact", 1234.5m)
                .Set("target_launch", new DateTime(2026, 3, 1))
                .Set("release_notes", "<p>Ελληνικά 🚀 &amp; more</p>")
                .Set("components", new[] { "web", "api" })
                .Set("stakeholders", new[] { stakeholder })
                .Set("spec_url", "https://example.com/spec?a=1&b=%C3%BC")
                .SetJson("business_case", "{\"6651670327076753738\": 777}");

            var answer = (await _aha.Features.UpdateCustomFieldsAsync("ATL-2", update, cancellationToken: cancellationToken));
            var read = (await _aha.Features.GetAsync("ATL-2", cancellationToken: cancellationToken));

            foreach (var fields in new[] { answer.CustomFields!, read.CustomFields! })
            {
                Assert.Multiple(() =>
                {
                    Assert.That(fields["priority"].AsString(), Is.EqualTo("P1 — ünïcødé"));
                    Assert.That(fields["priority"].Type, Is.EqualTo(CustomFieldType.String));
                    Assert.That(fields["customer_impact"].AsNumber(), Is.EqualTo(1234.5m));
                    Assert.That(fields["customer_impact"].RawValue!.Type, Is.EqualTo(JTokenType.Float), "a number stays a JSON number");
                    Assert.That(fields["target_launch"].AsDate(), Is.EqualTo(new DateTime(2026, 3, 1)));
                    Assert.That(fields["release_notes"].AsHtml(), Is.EqualTo("<p>Ελληνικά 🚀 &amp; more</p>"));
                    Assert.That(fields["components"].AsStrings(), Is.EqualTo(new[] { "web", "api" }));
                    Assert.That(fields["stakeholders"].AsUsers().Select(u => u.Email), Is.EqualTo(new[] { stakeholder }));
                    Assert.That(fields["spec_url"].AsString(), Is.EqualTo("https://example.com/spec?a=1&b=%C3%BC"));
                    Assert.That((int?)fields["business_case"].As<JObject>()!["values"]!["6651670327076753738"]!["value"], Is.EqualTo(777));
                });
            }

            Assert.That(_sandbox.Statistics.RequestsTo("PUT /api/v1/features/{id}"), Is.GreaterThanOrEqualTo(1));
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Clearing_a_field_reads_back_as_no_value(CancellationToken cancellationToken)
        {
            await _aha.Features.UpdateCustomFieldsAsync("ATL-3", CustomFieldUpdate.Set("priority", "P2"), cancellationToken: cancellationToken);
            await _aha.Features.UpdateCustomFieldsAsync("ATL-3", CustomFieldUpdate.SetNull("priority"), cancellationToken: cancellationToken);

            var fields = (await _aha.Features.GetAsync("ATL-3", cancellationToken: cancellationToken)).CustomFields!;
            Assert.That(!fields.TryGet("priority", out var priority) || !priority.HasValue, Is.True);
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task Product_scoped_records_and_ideas_take_custom_field_updates_too(CancellationToken cancellationToken)
        {
            var release = (await _aha.Releases.GetAsync("ATL-R-2", cancellationToken: cancellationToken));
            await _aha.Releases.UpdateCustomFieldsAsync(release.ProductId!, release.Id!, CustomFieldUpdate.Set("customer_impact", 42L).Set("target_launch", new DateTime(2027, 1, 31)), cancellationToken: cancellationToken);
            var idea = (await _aha.Ideas.ListAsync(new IdeasListOptions { PerPage = 1 }, cancellationToken)).Ideas!.Single();
            await _aha.Ideas.UpdateCustomFieldsAsync(idea.Id!, CustomFieldUpdate.Set("components", new[] { "mobile" }), cancellationToken: cancellationToken);

            var releaseFields = (await _aha.Releases.GetAsync(release.Id!, cancellationToken: cancellationToken)).CustomFields!;
            var ideaFields = (await _aha.Ideas.GetAsync(idea.Id!, cancellationToken: cancellationToken)).CustomFields!;
            Assert.That(releaseFields["customer_impact"].AsNumber(), Is.EqualTo(42m));
            Assert.That(releaseFields["target_launch"].AsDate(), Is.EqualTo(new DateTime(2027, 1, 31)));
            Assert.That(ideaFields["components"].AsStrings(), Is.EqualTo(new[] { "mobile" }));
        }

        [Test]
        [CancelAfter(30_000)]
        public async Task A_value_of_the_wrong_type_is_a_typed_bad_request_and_changes_nothing(CancellationToken cancellationToken)
        {
            var before = (await _aha.Features.GetAsync("ATL-4", cancellationToken: cancellationToken)).CustomFields!;
            var error = await Assert.ThrowsAsync<AhaBadRequestException>(() => _aha.Features.UpdateCustomFieldsAsync("ATL-4", CustomFieldUpdate.Set("customer_impact", "lots"), cancellationToken: cancellationToken));
            var after = (await _aha.Features.GetAsync("ATL-4", cancellationToken: cancellationToken)).CustomFields!;

            Assert.That(error!.StatusCode, Is.EqualTo(400));
            Assert.That(after.Select(f => f.ValueJson), Is.EqualTo(before.Select(f => f.ValueJson)));
        }
    }
}
