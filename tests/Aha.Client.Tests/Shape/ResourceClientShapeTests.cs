using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Resilience;
using Aha.Client.Tests.CustomFields;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using NSubstitute;
using NSubstitute.Extensions;

namespace Aha.Client.Tests.Shape
{
    /// <summary>
    /// The public shape every operation is generated in (CONTRIBUTING.md, "The shape of the API"): short calls that
    /// return the record, argument checks before any request, a raw response on request, a quiet 404, per-call options,
    /// read-to-update, ToString, and mockability with a common library.
    /// </summary>
    public class ResourceClientShapeTests
    {
        private const string Base = "https://company.aha.io/api/v1/";

        private sealed class Wire
        {
            public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = new();

            public Func<HttpRequestMessage, string?, HttpResponseMessage> Answer { get; set; } = (_, _) => Json(HttpStatusCode.OK, Fixtures.FeatureJson);

            public AhaClient Client() => new AhaClient(new HttpClient(new DelegateHandler(async (request, _) =>
            {
                var body = request.Content is null ? null : await request.Content.ReadAsStringAsync();
                lock (Requests)
                {
                    Requests.Add((request, body));
                }

                return Answer(request, body);
            })) { BaseAddress = new Uri(Base) });
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        }

        [Test]
        public async Task Create_read_and_update_are_one_expression_each_and_return_the_record()
        {
            var wire = new Wire { Answer = (_, body) => Json(HttpStatusCode.OK, body ?? Fixtures.FeatureJson) };
            var aha = wire.Client();

            Feature created = await aha.Features.CreateAsync("PRJ1-R-1", new FeatureCreate { Name = "Export to CSV" });
            Feature read = await aha.Features.GetAsync("PRJ1-1");
            Feature updated = await aha.Features.UpdateAsync("PRJ1-1", new FeatureUpdate { Name = "Export to Excel" });

            Assert.That(created.Name, Is.EqualTo("Export to CSV"));
            Assert.That(read.Name, Is.EqualTo("Feature 1"));
            Assert.That(updated.Name, Is.EqualTo("Export to Excel"));
            Assert.That(wire.Requests[0].Request.RequestUri!.AbsolutePath, Is.EqualTo("/api/v1/releases/PRJ1-R-1/features"));
            Assert.That(JObject.Parse(wire.Requests[0].Body!)["feature"]!["name"]!.ToString(), Is.EqualTo("Export to CSV"), "the client adds Aha!'s wrapper");
            Assert.That(JObject.Parse(wire.Requests[2].Body!)["feature"]!["name"]!.ToString(), Is.EqualTo("Export to Excel"));
        }

        [Test]
        public async Task A_success_answer_without_the_record_is_a_typed_error_not_a_null()
        {
            var wire = new Wire { Answer = (_, _) => Json(HttpStatusCode.OK, "{\"something_else\":{}}") };

            var error = await Assert.ThrowsAsync<AhaApiException>(() => wire.Client().Features.GetAsync("PRJ1-1"));

            // The model refuses the answer while it is read (a record that would stay null); the typed error says why,
            // in its own message or in the JSON error it wraps.
            var messages = error!.Message + " " + error.InnerException?.Message;
            Assert.That(messages, Does.Contain("\"feature\"").Or.Contain("'feature'"));
        }

        [TestCase("")]
        [TestCase(" ")]
        [TestCase("\t")]
        public void Empty_or_whitespace_ids_are_an_ArgumentException_before_any_request(string id)
        {
            var wire = new Wire();
            var aha = wire.Client();

            Assert.That(() => aha.Features.GetAsync(id), Throws.ArgumentException.With.Property("ParamName").EqualTo("id"));
            Assert.That(() => aha.Features.TryGetAsync(id), Throws.ArgumentException);
            Assert.That(() => aha.Features.GetWithResponseAsync(id), Throws.ArgumentException);
            Assert.That(() => aha.Features.DeleteAsync(id), Throws.ArgumentException);
            Assert.That(() => aha.Releases.UpdateCustomFieldsAsync("PRJ1", id, CustomFieldUpdate.Set("a", "b")), Throws.ArgumentException);
            Assert.That(() => aha.Features.ListAllByProductAsync(id), Throws.ArgumentException);
            Assert.That(() => aha.Features.GetAsync(null!), Throws.ArgumentNullException);
            Assert.That(() => aha.Features.CreateAsync("PRJ1-R-1", null!), Throws.ArgumentNullException);
            Assert.That(wire.Requests, Is.Empty, "nothing was sent (the list endpoint in particular)");
        }

        [Test]
        public async Task TryGet_returns_null_for_404_and_the_record_otherwise()
        {
            var wire = new Wire
            {
                Answer = (request, _) => request.RequestUri!.AbsolutePath.EndsWith("/gone", StringComparison.Ordinal)
                    ? Json(HttpStatusCode.NotFound, "{\"error\":\"Record not found\"}")
                    : Json(HttpStatusCode.OK, Fixtures.FeatureJson),
            };
            var aha = wire.Client();

            Assert.That(await aha.Features.TryGetAsync("gone"), Is.Null);
            Assert.That((await aha.Features.TryGetAsync("PRJ1-1"))!.Name, Is.EqualTo("Feature 1"));
            await Assert.CatchAsync<AhaApiException>(() => aha.Features.GetAsync("gone"), "the plain read still throws");
        }

        [Test]
        public async Task TryGet_still_throws_for_other_errors()
        {
            var wire = new Wire { Answer = (_, _) => Json(HttpStatusCode.Forbidden, "{\"error\":\"nope\"}") };

            var error = await Assert.CatchAsync<AhaApiException>(() => wire.Client().Features.TryGetAsync("PRJ1-1"));

            Assert.That(error!.StatusCode, Is.EqualTo(403));
        }

        [Test]
        public async Task WithResponse_gives_status_headers_rate_limit_state_and_raw_body_next_to_the_value()
        {
            var wire = new Wire
            {
                Answer = (_, _) => Json(HttpStatusCode.OK, Fixtures.FeatureJson, ("X-Ratelimit-Limit", "300"), ("X-Ratelimit-Remaining", "299"), ("X-Ratelimit-Reset", "1700000000"), ("X-Request-Id", "req-1")),
            };

            var response = await wire.Client().Features.GetWithResponseAsync("PRJ1-1");

            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(response.Value.Name, Is.EqualTo("Feature 1"));
            Assert.That(response.Content, Is.EqualTo(Fixtures.FeatureJson));
            Assert.That(response.Header("content-type"), Does.StartWith("application/json"));
            Assert.That(response.RateLimitLimit, Is.EqualTo(300));
            Assert.That(response.RateLimitRemaining, Is.EqualTo(299));
            Assert.That(response.RateLimitResetsAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1700000000)));
            Assert.That(response.RequestId, Is.EqualTo("req-1"));
        }

        [Test]
        public async Task WithResponse_of_an_operation_without_a_result_still_gives_the_status()
        {
            var wire = new Wire { Answer = (_, _) => new HttpResponseMessage(HttpStatusCode.NoContent) };

            var response = await wire.Client().Features.DeleteWithResponseAsync("PRJ1-1");

            Assert.That(response.Status, Is.EqualTo(204));
            Assert.That(wire.Requests.Single().Request.Method, Is.EqualTo(HttpMethod.Delete));
        }

        [Test]
        public async Task Query_parameters_headers_and_request_options_are_per_call()
        {
            int? retriesSeen = null;
            var handler = new DelegateHandler((request, _) =>
            {
                retriesSeen = AhaRequestOptions.For(request)?.MaxRetryAttempts;
                return Task.FromResult(Json(HttpStatusCode.OK, "{\"features\":[],\"pagination\":{\"total_records\":0,\"total_pages\":0,\"current_page\":1}}"));
            });
            var captured = new List<HttpRequestMessage>();
            var aha = new AhaClient(new HttpClient(new CapturingHandler(captured) { InnerHandler = handler }) { BaseAddress = new Uri(Base) });

            var options = new FeaturesListOptions { Tag = "beta", PerPage = 5, RequestOptions = AhaRequestOptions.NoRetries };
            options.Headers["X-Trace"] = "abc";
            await aha.Features.ListAsync(options);
            Assert.That(retriesSeen, Is.EqualTo(0), "the call's own request options apply");

            await aha.Features.ListAsync();
            Assert.That(retriesSeen, Is.Null, "and only to that call");

            Assert.That(captured[0].RequestUri!.Query, Does.Contain("tag=beta").And.Contain("per_page=5"));
            Assert.That(captured[0].Headers.GetValues("X-Trace"), Is.EqualTo(new[] { "abc" }));
            Assert.That(captured[1].Headers.Contains("X-Trace"), Is.False);
            Assert.That(captured[1].RequestUri!.Query, Is.Empty);
        }

        [Test]
        public async Task A_read_record_turns_into_an_update_that_sends_only_what_Aha_accepts_and_loses_nothing()
        {
            var wire = new Wire();
            var aha = wire.Client();
            var feature = await aha.Features.GetAsync("PRJ1-1");
            feature.Description = new Note { Body = "<p>Why</p>" };
            feature.WorkflowStatus = new WorkflowStatus { Id = "1", Name = "In development" };
            feature.AssignedToUser = new User { Id = "7", Name = "Jane", Email = "jane@aha.io" };
            feature.Tags = new List<string> { "beta" };

            var update = feature.ToUpdate();
            update.Name = "Renamed";
            await aha.Features.UpdateAsync(feature.Id!, update);

            var sent = (JObject)JObject.Parse(wire.Requests.Last().Body!)["feature"]!;
            Assert.That(sent["name"]!.ToString(), Is.EqualTo("Renamed"));
            Assert.That(sent["description"]!.Type, Is.EqualTo(JTokenType.String), "the description object is written as its text");
            Assert.That(sent["description"]!.ToString(), Is.EqualTo("<p>Why</p>"));
            Assert.That(sent["workflow_status"]!.ToString(), Is.EqualTo("In development"));
            Assert.That(sent["assigned_to_user"]!.ToString(), Is.EqualTo("jane@aha.io"));
            Assert.That(sent["tags"]!.ToObject<string[]>(), Is.EqualTo(new[] { "beta" }));
            Assert.That(sent["custom_fields"]!["priority"]!.ToString(), Is.EqualTo("P3"), "custom fields are carried over in the object form");
            Assert.That(sent.Properties().Select(p => p.Name), Has.None.AnyOf("id", "reference_num", "created_at", "url", "resource"), "read-only attributes are not sent");
            Assert.That(feature.Name, Is.EqualTo("Feature 1"), "the update is a copy");
            ((System.Collections.Generic.List<string>)update.Tags!).Add("other");
            Assert.That(feature.Tags, Is.EqualTo(new[] { "beta" }), "lists are copied, not shared");
        }

        [Test]
        public void Models_describe_themselves_without_secrets()
        {
            Assert.That(new Feature { Id = "6776757454433322781", ReferenceNum = "PRJ1-1", Name = "Export" }.ToString(), Is.EqualTo("Feature PRJ1-1 \"Export\" (id 6776757454433322781)"));
            Assert.That(new Feature().ToString(), Is.EqualTo("Feature"));
            Assert.That(new User { Id = "7", Name = "Jane", Email = "jane@aha.io" }.ToString(), Is.EqualTo("User \"Jane\" (id 7)"));
        }

        [Test]
        public async Task The_clients_can_be_mocked_with_NSubstitute()
        {
            var features = Substitute.For<FeaturesClient>();
            features.GetAsync("PRJ1-1", Arg.Any<FeaturesGetOptions?>(), Arg.Any<CancellationToken>()).Returns(new Feature { Name = "Mocked" });
            features.TryGetAsync("gone", Arg.Any<FeaturesGetOptions?>(), Arg.Any<CancellationToken>()).Returns((Feature?)null);
            var aha = Substitute.For<AhaClient>();
            aha.Features.Returns(features);

            Assert.That((await aha.Features.GetAsync("PRJ1-1")).Name, Is.EqualTo("Mocked"));
            Assert.That(await aha.Features.TryGetAsync("gone"), Is.Null);
            await features.Received(1).GetAsync("PRJ1-1", Arg.Any<FeaturesGetOptions?>(), Arg.Any<CancellationToken>());
        }

        [Test]
        public async Task A_mocked_list_method_drives_the_real_ListAll()
        {
            var features = Substitute.ForPartsOf<FeaturesClient>();
            features.Configure().ListByProductAsync("PRJ1", Arg.Any<FeaturesListByProductOptions?>(), Arg.Any<CancellationToken>())
                .Returns(new FeatureList { Features = new List<Feature> { new Feature { Id = "1" }, new Feature { Id = "2" } } });

            var ids = new List<string?>();
            await foreach (var feature in features.ListAllByProductAsync("PRJ1", new FeaturesListByProductOptions { Tag = "beta" }))
            {
                ids.Add(feature.Id);
            }

            Assert.That(ids, Is.EqualTo(new[] { "1", "2" }));
            await features.Received(1).ListByProductAsync("PRJ1", Arg.Is<FeaturesListByProductOptions?>(o => o!.Tag == "beta" && o.Page == 1), Arg.Any<CancellationToken>());
        }

        [Test]
        public async Task A_client_made_for_mocking_says_so_when_a_member_is_not_overridden()
        {
            var features = Substitute.ForPartsOf<FeaturesClient>();

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => features.GetAsync("PRJ1-1"));

            Assert.That(error!.Message, Does.Contain("mocking"));
        }

        private sealed class CapturingHandler : DelegatingHandler
        {
            private readonly List<HttpRequestMessage> _captured;

            public CapturingHandler(List<HttpRequestMessage> captured) => _captured = captured;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                _captured.Add(request);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
