using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.Tests.Infrastructure;
using Aha.Client.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Errors
{
    /// <summary>
    /// Every failure of a call is an <see cref="AhaException"/> with method, path, status (where there is one) and the
    /// cause, whichever way the client was built: <c>new AhaClient(options)</c>, <c>new AhaClient(httpClient)</c>, or
    /// <c>AddAhaClient()</c> (with the resource client resolved from the container). Status errors run through MockHttp;
    /// transport faults (refused, reset, cut-off body, hang) through real loopback sockets.
    /// </summary>
    public class ExceptionHierarchyTests
    {
        public enum ClientPath
        {
            Options,
            HttpClient,
            DependencyInjection,
        }

        private static readonly Uri MockBase = new Uri(TestClients.BaseUrl);

        private static readonly FeatureCreate NewFeature = new FeatureCreate { Name = "Dark mode" };

        // ---- status errors -----------------------------------------------------------------------------------------

        [Test]
        public async Task A_404_is_AhaNotFoundException_on_every_path([Values] ClientPath path)
        {
            using var client = Build(path, Respond(HttpStatusCode.NotFound, "{\"error\":\"Not Found\"}"), MockBase);
            var e = await RetryTests.AssertThrows<AhaNotFoundException>(() => client.Features.GetAsync("APP-1"));
            Assert.That((e!.StatusCode, e.RequestMethod, e.RequestPath), Is.EqualTo((404, "GET", "/api/v1/features/APP-1")));
            Assert.That(e.Message, Does.StartWith("GET /api/v1/features/APP-1 failed: 404").And.Contain("no access"));
            Assert.That(e.ToString(), Does.Not.Contain(TestClients.Token));
        }

        [Test]
        public async Task A_400_on_a_POST_is_AhaBadRequestException_on_every_path([Values] ClientPath path)
        {
            using var client = Build(path, Respond(HttpStatusCode.BadRequest, "{\"errors\":{\"name\":[\"can't be blank\"]}}"), MockBase);
            var e = await RetryTests.AssertThrows<AhaBadRequestException>(() => client.Features.CreateAsync("REL-1", NewFeature));
            Assert.That((e!.StatusCode, e.RequestMethod, e.RequestPath, e.AhaMessage), Is.EqualTo((400, "POST", "/api/v1/releases/REL-1/features", "name: can't be blank")));
        }

        [Test]
        public async Task A_429_is_AhaRateLimitException_with_the_delay_on_every_path([Values] ClientPath path)
        {
            using var client = Build(path, Respond((HttpStatusCode)429, "{\"error\":\"Rate limit exceeded\",\"retry_after\":30}"), MockBase);
            var e = await RetryTests.AssertThrows<AhaRateLimitException>(() => client.Features.GetAsync("APP-1"));
            Assert.That(e!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        }

        [Test]
        public async Task A_504_on_a_GET_list_advises_paging([Values] ClientPath path)
        {
            using var client = Build(path, Respond(HttpStatusCode.GatewayTimeout, "{\"error\":\"Timeout\"}"), MockBase);
            var e = await RetryTests.AssertThrows<AhaTooMuchDataException>(() => client.Features.ListAsync(new FeaturesListOptions { PerPage = 200 }));
            Assert.That(e!.Kind, Is.EqualTo(AhaErrorKind.TooMuchData));
            Assert.That(e.Message, Does.Contain("per_page").And.Contain("fields="));
        }

        [Test]
        public async Task A_504_on_a_GET_of_one_record_advises_fewer_fields_not_paging()
        {
            using var client = Build(ClientPath.Options, Respond(HttpStatusCode.GatewayTimeout, "{\"error\":\"Timeout\"}"), MockBase);
            var e = await RetryTests.AssertThrows<AhaTooMuchDataException>(() => client.Features.GetAsync("APP-1"));
            Assert.That(e!.Message, Does.Contain("fields=").And.Not.Contain("per_page"));
        }

        [Test]
        public async Task A_504_on_a_POST_says_the_write_may_have_been_applied_not_to_page([Values] ClientPath path)
        {
            using var client = Build(path, Respond(HttpStatusCode.GatewayTimeout, "{\"error\":\"Timeout\"}"), MockBase);
            var e = await RetryTests.AssertThrows<AhaServerException>(() => client.Features.CreateAsync("REL-1", NewFeature));
            Assert.That(e, Is.Not.InstanceOf<AhaTooMuchDataException>());
            Assert.That((e!.StatusCode, e.Kind), Is.EqualTo((504, AhaErrorKind.ServerError)));
            Assert.That(e.Message, Does.Contain("may still have been applied").And.Contain("fields/{name}/value/{value}").And.Not.Contain("per_page"));
        }

        [Test]
        public async Task A_500_on_a_POST_says_how_to_check_before_repeating([Values] ClientPath path)
        {
            using var client = Build(path, Respond(HttpStatusCode.InternalServerError, "{\"error\":\"Internal Server Error\"}"), MockBase);
            var e = await RetryTests.AssertThrows<AhaServerException>(() => client.Features.CreateAsync("REL-1", NewFeature));
            Assert.That(e!.Message, Does.Contain("may still have been applied").And.Contain("read the record back"));
        }

        // ---- transport faults on loopback sockets ------------------------------------------------------------------

        [TestCase(ClientPath.Options, "GET")]
        [TestCase(ClientPath.Options, "POST")]
        [TestCase(ClientPath.HttpClient, "GET")]
        [TestCase(ClientPath.HttpClient, "POST")]
        [TestCase(ClientPath.DependencyInjection, "POST")]
        public async Task A_refused_connection_is_AhaTransportException_that_says_nothing_was_sent(ClientPath path, string method)
        {
            using var client = Build(path, new SocketsHttpHandler(), TcpFaultServer.RefusedUrl());
            var e = await RetryTests.AssertThrows<AhaTransportException>(() => Call(client, method));
            Assert.That(e, Is.Not.InstanceOf<AhaWriteOutcomeUnknownException>(), "a refused POST provably never left");
            Assert.That(e!.MayHaveReachedServer, Is.False);
            Assert.That(e.RequestMethod, Is.EqualTo(method));
            Assert.That(e.InnerException, Is.InstanceOf<HttpRequestException>());
            Assert.That(e.Message, Does.Contain("was not sent").And.Contain("Nothing changed in Aha!"));
        }

        [Test]
        public async Task A_POST_whose_connection_is_reset_before_the_answer_is_a_write_of_unknown_outcome([Values] ClientPath path)
        {
            using var server = new TcpFaultServer(TcpFaultServer.Fault.ResetBeforeAnswer);
            using var client = Build(path, new SocketsHttpHandler(), server.BaseUrl);
            var e = await RetryTests.AssertThrows<AhaWriteOutcomeUnknownException>(() => client.Features.CreateAsync("REL-1", NewFeature));
            Assert.That(server.Requests, Is.EqualTo(1), "never sent twice");
            Assert.That((e!.RequestMethod, e.RequestPath, e.MayHaveReachedServer, e.TimedOut), Is.EqualTo(("POST", "/api/v1/releases/REL-1/features", true, false)));
            Assert.That(e.InnerException, Is.InstanceOf<HttpRequestException>());
            Assert.That(e.Message, Does.Contain("may already have applied it").And.Contain("read the record back").And.Contain("GET /api/v1/{records}/fields/{name}/value/{value}"));
            Assert.That(e.ToString(), Does.Not.Contain(TestClients.Token));
        }

        [Test]
        public async Task A_GET_whose_connection_is_reset_is_AhaTransportException([Values(ClientPath.Options, ClientPath.HttpClient)] ClientPath path)
        {
            using var server = new TcpFaultServer(TcpFaultServer.Fault.ResetBeforeAnswer);
            using var client = Build(path, new SocketsHttpHandler(), server.BaseUrl);
            var e = await RetryTests.AssertThrows<AhaTransportException>(() => client.Features.GetAsync("APP-1"));
            Assert.That(e, Is.Not.InstanceOf<AhaWriteOutcomeUnknownException>());
            Assert.That((e!.MayHaveReachedServer, e.RequestMethod), Is.EqualTo((true, "GET")));
            Assert.That(e.Message, Does.Contain("safe to repeat"));
        }

        [Test]
        public async Task A_POST_whose_answer_is_cut_off_mid_body_is_a_write_of_unknown_outcome([Values] ClientPath path)
        {
            using var server = new LoopbackAhaServer((1000, TimeSpan.FromSeconds(1)));
            using var client = Build(path, new SocketsHttpHandler(), server.BaseUrl);
            var e = await RetryTests.AssertThrows<AhaWriteOutcomeUnknownException>(() => client.Aha.HttpClient.PostAsync("abort", new StringContent("{\"feature\":{\"name\":\"x\"}}")));
            Assert.That(server.ProcessedByPath["POST /api/v1/abort"], Is.EqualTo(1), "processed once, not repeated");
            Assert.That(e!.RequestPath, Is.EqualTo("/api/v1/abort"));
        }

        [Test]
        public async Task A_GET_that_times_out_is_AhaTimeoutException_and_a_POST_a_write_of_unknown_outcome([Values] ClientPath path, [Values("GET", "POST")] string method)
        {
            using var server = new TcpFaultServer(TcpFaultServer.Fault.Hang);
            var clock = new TestClock();
            using var client = Build(path, new SocketsHttpHandler(), server.BaseUrl, clock, o => o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(10), callerTimeout: TimeSpan.FromSeconds(1));
            var call = Call(client, method);

            // The pipeline's timeouts run on the test clock, moved only once the request is on the server; the caller's
            // HttpClient.Timeout runs on real time (over the caller's client a timed-out write counts as sent either way).
            Task run;
            if (path == ClientPath.HttpClient)
            {
                run = call;
            }
            else
            {
                Assert.That(await TestClock.Completes(server.RequestArrived), Does.StartWith(method + " /api/v1/"));
                run = clock.RunAsync(call, TimeSpan.FromSeconds(30));
            }

            if (method == "GET")
            {
                var e = await RetryTests.AssertThrows<AhaTimeoutException>(() => run);
                Assert.That((e!.RequestMethod, e.MayHaveReachedServer), Is.EqualTo(("GET", true)));
                Assert.That(e.Message, Does.Contain("did not complete"));
                if (path != ClientPath.HttpClient)
                {
                    Assert.That(e.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
                }
            }
            else
            {
                var e = await RetryTests.AssertThrows<AhaWriteOutcomeUnknownException>(() => run);
                Assert.That((e!.RequestMethod, e.TimedOut), Is.EqualTo(("POST", true)));
            }

            Assert.That(server.Requests, Is.LessThanOrEqualTo(1), "never sent twice");
        }

        [Test]
        public async Task Cancelling_with_the_callers_token_stays_OperationCanceledException([Values] ClientPath path)
        {
            using var server = new TcpFaultServer(TcpFaultServer.Fault.Hang);
            using var client = Build(path, new SocketsHttpHandler(), server.BaseUrl);
            using var cts = new CancellationTokenSource();
            var call = client.Features.CreateAsync("REL-1", NewFeature, cancellationToken: cts.Token);
            await TestClock.Completes(server.RequestArrived);
            cts.Cancel();
            var e = await RetryTests.AssertThrows<OperationCanceledException>(() => call);
            Assert.That(e, Is.Not.InstanceOf<AhaException>());
        }

        // ---- client-side refusals -------------------------------------------------------------------------------------

        [Test]
        public async Task A_full_limiter_queue_is_AhaRateLimitQueueFullException([Values(ClientPath.Options, ClientPath.DependencyInjection)] ClientPath path)
        {
            var clock = new TestClock();
            using var client = Build(path, Respond(HttpStatusCode.OK, "{\"feature\":{\"id\":\"1\"}}"), MockBase, clock, o =>
            {
                o.RateLimit.Enabled = true;
                o.RateLimit.SharedAcrossClients = false;
                o.RateLimit.RequestsPerSecond = 1;
                o.RateLimit.QueueLimit = 0;
            });
            await TestClock.Completes(client.Features.GetAsync("APP-1"));
            var e = await RetryTests.AssertThrows<AhaRateLimitQueueFullException>(() => client.Features.GetAsync("APP-2"));
            Assert.That((e!.RequestMethod, e.RequestPath), Is.EqualTo(("GET", "/api/v1/features/APP-2")));
            Assert.That(e.Message, Does.Contain("was not sent").And.Contain("QueueLimit"));
        }

        [Test]
        public async Task An_open_circuit_is_AhaCircuitOpenException([Values(ClientPath.Options, ClientPath.DependencyInjection)] ClientPath path)
        {
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                return TestClients.Json(HttpStatusCode.InternalServerError, "{}");
            });
            using var client = Build(path, mock, MockBase, configure: o =>
            {
                o.Resilience.CircuitBreaker.Enabled = true;
                o.Resilience.CircuitBreaker.MinimumThroughput = 2;
            });
            await RetryTests.AssertThrows<AhaServerException>(() => client.Features.GetAsync("APP-1"));
            await RetryTests.AssertThrows<AhaServerException>(() => client.Features.GetAsync("APP-2"));
            var e = await RetryTests.AssertThrows<AhaCircuitOpenException>(() => client.Features.CreateAsync("REL-1", NewFeature));
            Assert.That(sent.Value, Is.EqualTo(2), "the POST was not sent");
            Assert.That((e!.RequestMethod, e.RequestPath), Is.EqualTo(("POST", "/api/v1/releases/REL-1/features")));
            Assert.That(e.Message, Does.Contain("circuit breaker is open"));
        }

        [Test]
        public async Task Over_the_callers_HttpClient_its_default_headers_and_handlers_still_apply()
        {
            string? seenAuthorization = null;
            string? seenByHandler = null;
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(request =>
            {
                seenAuthorization = request.Headers.Authorization?.ToString();
                return TestClients.Json(HttpStatusCode.OK, "{\"feature\":{\"id\":\"1\",\"reference_num\":\"APP-1\"}}");
            });
            var handler = new DelegatingSpy(mock, r => seenByHandler = r.Method.Method + " " + r.RequestUri!.AbsolutePath);
            using var http = new HttpClient(handler) { BaseAddress = MockBase };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "caller-token");
            var aha = new AhaClient(http);

            var feature = await aha.Features.GetAsync("APP-1");

            Assert.That(feature.ReferenceNum, Is.EqualTo("APP-1"));
            Assert.That(seenAuthorization, Is.EqualTo("Bearer caller-token"));
            Assert.That(seenByHandler, Is.EqualTo("GET /api/v1/features/APP-1"));
            Assert.That(aha.HttpClient.BaseAddress, Is.EqualTo(MockBase));
        }

        // ---- the hierarchy itself ----------------------------------------------------------------------------------------

        [Test]
        public void Every_public_exception_of_the_client_is_an_AhaException()
        {
            var exceptions = typeof(AhaClient).Assembly.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();
            Assert.That(exceptions, Has.Count.GreaterThanOrEqualTo(13));

            // CustomFieldConversionException is thrown by reading a value as the wrong type, not by a call to Aha!.
            var callFailures = exceptions.Where(t => t != typeof(CustomFieldConversionException));
            Assert.That(callFailures.Where(t => !typeof(AhaException).IsAssignableFrom(t)), Is.Empty);
            Assert.That(typeof(AhaApiException).BaseType, Is.EqualTo(typeof(AhaException)));
            Assert.That(typeof(AhaTimeoutException).BaseType, Is.EqualTo(typeof(AhaTransportException)));
            Assert.That(typeof(AhaWriteOutcomeUnknownException).BaseType, Is.EqualTo(typeof(AhaTransportException)));
            Assert.That(typeof(AhaTooMuchDataException).BaseType, Is.EqualTo(typeof(AhaServerException)));
        }

        // ---- helpers ------------------------------------------------------------------------------------------------------

        private static Task Call(BuiltClient client, string method) =>
            method == "GET" ? client.Features.GetAsync("APP-1") : client.Features.CreateAsync("REL-1", NewFeature);

        private static MockHttpMessageHandler Respond(HttpStatusCode status, string json)
        {
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ => TestClients.Json(status, json));
            return mock;
        }

        private static BuiltClient Build(ClientPath path, HttpMessageHandler transport, Uri baseUrl, TestClock? clock = null, Action<AhaClientOptions>? configure = null, TimeSpan? callerTimeout = null)
        {
            clock ??= new TestClock();
            void Configure(AhaClientOptions o)
            {
                o.BaseUrl = baseUrl;
                o.Account = null;
                o.Token = TestClients.Token;
                o.UserAgent = "Aha.Client tests (dev@example.com)";
                o.TimeProvider = clock;
                o.RateLimit.Enabled = false;
                o.Resilience.MaxRetryAttempts = 0;
                o.Resilience.UseJitter = false;
                configure?.Invoke(o);
            }

            switch (path)
            {
                case ClientPath.Options:
                {
                    var options = new AhaClientOptions();
                    Configure(options);
                    var aha = new AhaClient(options, transport);
                    return new BuiltClient(aha, aha.Features, transport, null, null);
                }

                case ClientPath.HttpClient:
                {
                    // The caller's own client: no Aha! pipeline, only its BaseAddress and Timeout.
                    var http = new HttpClient(transport, disposeHandler: false) { BaseAddress = baseUrl, Timeout = callerTimeout ?? TimeSpan.FromSeconds(100) };
                    var aha = new AhaClient(http);
                    return new BuiltClient(aha, aha.Features, transport, http, null);
                }

                default:
                {
                    var services = new ServiceCollection();
                    services.AddAhaClient(Configure).ConfigurePrimaryHttpMessageHandler(() => transport);
                    var provider = services.BuildServiceProvider();
                    return new BuiltClient(provider.GetRequiredService<AhaClient>(), provider.GetRequiredService<FeaturesClient>(), transport, null, provider);
                }
            }
        }

        private sealed class DelegatingSpy : DelegatingHandler
        {
            private readonly Action<HttpRequestMessage> _see;

            public DelegatingSpy(HttpMessageHandler inner, Action<HttpRequestMessage> see)
                : base(inner)
            {
                _see = see;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                _see(request);
                return base.SendAsync(request, cancellationToken);
            }
        }

        private sealed class BuiltClient : IDisposable
        {
            private readonly HttpMessageHandler _transport;
            private readonly HttpClient? _http;
            private readonly ServiceProvider? _provider;

            public BuiltClient(AhaClient aha, FeaturesClient features, HttpMessageHandler transport, HttpClient? http, ServiceProvider? provider)
            {
                Aha = aha;
                Features = features;
                _transport = transport;
                _http = http;
                _provider = provider;
            }

            public AhaClient Aha { get; }

            public FeaturesClient Features { get; }

            public void Dispose()
            {
                _provider?.Dispose();
                _http?.Dispose();
                _transport.Dispose();
            }
        }
    }
}
