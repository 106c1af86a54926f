using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using Microsoft.OpenApi.Models;
using Newtonsoft.Json;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Contract
{
    /// <summary>
    /// Every operation, called through its generated method against MockHttp, puts on the wire exactly what the spec
    /// says (method, path with escaped parameters, every query parameter under its wire name, the wrapped body of
    /// every request example), and every response example survives deserialisation into the generated type and
    /// re-serialisation without losing a member.
    /// </summary>
    [TestFixture]
    public class WireContractTests
    {
        private const string Root = "https://company.aha.io/api/v1/";

        private static IEnumerable<TestCaseData> Operations() =>
            Spec.Operations.Select(o => new TestCaseData(o).SetName($"Wire_{o.OperationId}"));

        private static IEnumerable<TestCaseData> RequestExamples() =>
            from o in Spec.Operations
            where o.RequestBody is not null
            from e in o.RequestBody!.Examples.DefaultIfEmpty(new KeyValuePair<string, OpenApiExample>("(none)", null!))
            select new TestCaseData(o, e.Key).SetName($"RequestBody_{o.OperationId}_{e.Key}");

        private static IEnumerable<TestCaseData> ResponseExamples() =>
            from o in Spec.Operations
            where o.SuccessBody is not null
            from e in o.SuccessBody!.Examples.DefaultIfEmpty(new KeyValuePair<string, OpenApiExample>("(none)", null!))
            select new TestCaseData(o, e.Key).SetName($"ResponseBody_{o.OperationId}_{e.Key}");

        [TestCaseSource(nameof(Operations))]
        public async Task Operation_sends_documented_method_path_and_every_query_parameter(SpecOperation operation)
        {
            var call = await CallAsync(operation, requestExample: operation.RequestBody?.Examples.Keys.FirstOrDefault(), fillQuery: true);

            Assert.That(call.Request.Method.Method, Is.EqualTo(operation.Method));
            var expectedPath = "/api/v1" + operation.PathParameters.Aggregate(operation.Path,
                (path, p) => path.Replace("{" + p.Name + "}", Uri.EscapeDataString(GeneratedClients.PathValue(p))));
            Assert.That(call.Request.RequestUri!.AbsolutePath, Is.EqualTo(expectedPath.Replace(" ", "%20")));

            var actualQuery = ParseQuery(call.Request.RequestUri.Query);
            Assert.That(actualQuery, Is.EquivalentTo(call.ExpectedQuery), "every documented query parameter reaches the wire under its wire name");
            Assert.That(actualQuery.Keys, Is.EquivalentTo(operation.QueryParameters.Select(p => p.Name)), "the generated method takes every documented query parameter");
        }

        [TestCaseSource(nameof(RequestExamples))]
        public async Task Request_example_reaches_the_wire_wrapped_and_unchanged(SpecOperation operation, string example)
        {
            Assert.That(operation.RequestBody!.Examples, Is.Not.Empty, $"{operation}: every request body needs at least one named example");
            var call = await CallAsync(operation, example, fillQuery: false);

            Assert.That(call.RequestBody, Is.Not.Null.And.Not.Empty, "the body must be sent (a write that sends nothing is a silent no-op)");
            Assert.That(call.Request.Content!.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            AssertSameTree(SpecJson.RequestExample(operation, example), call.RequestBody!, $"{operation} request example '{example}'");
        }

        [TestCaseSource(nameof(ResponseExamples))]
        public async Task Response_example_round_trips_through_the_generated_type(SpecOperation operation, string example)
        {
            Assert.That(operation.SuccessBody!.Examples, Is.Not.Empty, $"{operation}: every success response needs at least one named example");
            var json = SpecJson.ResponseExample(operation, example);
            var call = await CallAsync(operation, operation.RequestBody?.Examples.Keys.FirstOrDefault(), fillQuery: false, responseJson: json);

            Assert.That(call.Result, Is.Not.Null, "deserialised result");
            var reserialised = JsonConvert.SerializeObject(call.Result, call.Settings);
            // Methods return the record inside Aha!'s wrapper ({"feature": {...}} -> Feature): compare with the wrapped object.
            var expected = Newtonsoft.Json.Linq.JToken.Parse(json);
            // An answer the spec keeps as raw JSON (several documented forms) comes back whole, wrapper included.
            if (call.Result is not Newtonsoft.Json.Linq.JToken
                && expected is Newtonsoft.Json.Linq.JObject { Count: 1 } wrapper && wrapper.Properties().Single() is { Value: Newtonsoft.Json.Linq.JObject inner } property
                && !call.Result!.GetType().GetProperties().Any(p => p.GetCustomAttributes(typeof(JsonPropertyAttribute), false).OfType<JsonPropertyAttribute>().Any(a => a.PropertyName == property.Name)))
            {
                json = inner.ToString(Formatting.None);
            }

            AssertSameTree(json, reserialised, $"{operation} response example '{example}' after a round trip through {call.Result!.GetType().Name}");
        }

        /// <summary>The same JSON tree, apart from the differences README.md states (see <see cref="Reference.ReferenceRoundTripTests"/>).</summary>
        private static void AssertSameTree(string expected, string actual, string because)
        {
            var differences = Reference.ReferenceRoundTripTests.Differences(JsonAssert.Parse(expected), JsonAssert.Parse(actual), string.Empty).Take(15).ToList();
            Assert.That(differences, Is.Empty, $"{because}:{Environment.NewLine}{string.Join(Environment.NewLine, differences)}");
        }

        private sealed class Call
        {
            public HttpRequestMessage Request { get; set; } = null!;
            public string? RequestBody { get; set; }
            public Dictionary<string, string> ExpectedQuery { get; } = new();
            public object? Result { get; set; }
            public JsonSerializerSettings Settings { get; set; } = null!;
        }

        private static async Task<Call> CallAsync(SpecOperation operation, string? requestExample, bool fillQuery, string? responseJson = null)
        {
            var method = GeneratedClients.Find(operation) ?? throw new AssertionException($"no generated method for {operation}");
            var call = new Call();
            var status = int.Parse(operation.Success.Key, System.Globalization.CultureInfo.InvariantCulture);
            responseJson ??= operation.SuccessBody?.Examples.Keys.Select(name => SpecJson.ResponseExample(operation, name)).FirstOrDefault() ?? "{}";

            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(async request =>
            {
                call.Request = request;
                call.RequestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
                var response = new HttpResponseMessage((HttpStatusCode)status);
                if (status != 204)
                {
                    response.Content = new StringContent(responseJson, Encoding.UTF8, "application/json");
                }

                return response;
            });

            using var http = mock.ToHttpClient();
            http.BaseAddress = new Uri(Root);
            var client = GeneratedClients.Create(operation, http);
            call.Settings = GeneratedClients.SettingsOf(client);

            object? body = null;
            if (operation.RequestBody is not null)
            {
                var bodyType = GeneratedClients.BodyParameter(operation, method)!.ParameterType;
                var exampleJson = requestExample is null || !operation.RequestBody.Examples.ContainsKey(requestExample)
                    ? "{}"
                    : SpecJson.RequestExample(operation, requestExample);
                body = GeneratedClients.BodyFromExample(bodyType, exampleJson, call.Settings);
            }

            var args = GeneratedClients.Arguments(operation, method, body, call.ExpectedQuery, fillQuery);
            call.Result = await GeneratedClients.InvokeAsync(method, client, args);
            Assert.That(call.Request, Is.Not.Null, "the operation sent a request");
            return call;
        }

        private static Dictionary<string, string> ParseQuery(string query) =>
            query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : string.Empty));
    }
}
