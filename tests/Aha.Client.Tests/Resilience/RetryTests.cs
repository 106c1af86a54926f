using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading.Tasks;
using Aha.Client.Resilience;
using Aha.Client.Tests.Infrastructure;
using Polly.CircuitBreaker;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Resilience
{
    public class RetryTests
    {
        private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(5); // the library default

        public static IEnumerable<TestCaseData> RateLimitForms()
        {
            var now = new TestClock().GetUtcNow();
            yield return new TestCaseData((Action<HttpResponseMessage>)(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)))).SetArgDisplayNames("Retry-After seconds");
            yield return new TestCaseData((Action<HttpResponseMessage>)(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(now + TimeSpan.FromSeconds(7)))).SetArgDisplayNames("Retry-After HTTP date");
            yield return new TestCaseData((Action<HttpResponseMessage>)(r => r.Headers.TryAddWithoutValidation("retry_after", "7"))).SetArgDisplayNames("retry_after header");
            yield return new TestCaseData((Action<HttpResponseMessage>)(r => r.Content = new StringContent("{\"error\":\"Rate limit exceeded\",\"message\":\"Too many requests\",\"retry_after\":7}"))).SetArgDisplayNames("retry_after body");
            yield return new TestCaseData((Action<HttpResponseMessage>)(r =>
            {
                r.Headers.TryAddWithoutValidation("X-Ratelimit-Limit", "300");
                r.Headers.TryAddWithoutValidation("X-Ratelimit-Remaining", "0");
                r.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", (now + TimeSpan.FromSeconds(7)).ToUnixTimeSeconds().ToString());
            })).SetArgDisplayNames("X-Ratelimit-Reset");
        }

        [TestCaseSource(nameof(RateLimitForms))]
        public async Task A_429_is_retried_after_exactly_the_delay_the_server_names(Action<HttpResponseMessage> form)
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                if (sent.Increment() == 1)
                {
                    var tooMany = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent(string.Empty) };
                    form(tooMany);
                    return tooMany;
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock);

            var call = aha.GetAsync("features");
            Assert.That(await clock.WaitForTimerAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(TimeSpan.FromSeconds(7) + Margin));
            Assert.That(sent.Value, Is.EqualTo(1));

            using var response = await clock.RunAsync(call);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(2));
            Assert.That(aha.RateLimit.RateLimitedResponses, Is.EqualTo(1));
        }

        [Test]
        public async Task A_POST_is_retried_after_a_429_because_the_server_did_not_process_it()
        {
            var clock = new TestClock();
            var bodies = new List<string>();
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Post, "*").Respond(async req =>
            {
                bodies.Add(await req.Content!.ReadAsStringAsync());
                if (bodies.Count == 1)
                {
                    var r = new HttpResponseMessage((HttpStatusCode)429);
                    r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                    return r;
                }

                return TestClients.Json(HttpStatusCode.OK, "{\"feature\":{\"id\":\"1\"}}");
            });
            var aha = TestClients.Create(clock, mock);

            using var response = await clock.RunAsync(aha.SendAsync(HttpMethod.Post, "products/P/features", "{\"feature\":{\"name\":\"x\"}}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(bodies, Has.Count.EqualTo(2));
            Assert.That(bodies[1], Is.EqualTo(bodies[0]), "the same body is sent again");
        }

        [TestCase(500)]
        [TestCase(502)]
        [TestCase(503)]
        [TestCase(504)]
        [TestCase(408)]
        public async Task A_POST_is_never_retried_after_a_server_error(int status)
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                return TestClients.Json((HttpStatusCode)status, "{\"error\":\"boom\"}");
            });
            var aha = TestClients.Create(clock, mock);

            var error = await AssertThrows<AhaApiException>(() => clock.RunAsync(aha.SendAsync(HttpMethod.Post, "products/P/features", "{}")));
            Assert.That(error!.StatusCode, Is.EqualTo(status));
            Assert.That(sent.Value, Is.EqualTo(1));
        }

        [Test]
        public async Task A_POST_is_never_retried_after_a_connection_reset()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                throw new HttpRequestException("The response ended prematurely.", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)));
            });
            var aha = TestClients.Create(clock, mock);

            var error = await AssertThrows<AhaWriteOutcomeUnknownException>(() => clock.RunAsync(aha.SendAsync(HttpMethod.Post, "products/P/features", "{}")));
            Assert.That(sent.Value, Is.EqualTo(1));
            Assert.That(error!.InnerException, Is.InstanceOf<HttpRequestException>());
        }

        [Test]
        public async Task A_POST_is_retried_when_the_connection_could_not_even_be_opened()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                if (sent.Increment() == 1)
                {
                    throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock);

            using var response = await clock.RunAsync(aha.SendAsync(HttpMethod.Post, "products/P/features", "{}"));
            Assert.That(sent.Value, Is.EqualTo(2));
        }

        [TestCase("GET", 500)]
        [TestCase("GET", 502)]
        [TestCase("GET", 503)]
        [TestCase("GET", 504)]
        [TestCase("GET", 408)]
        [TestCase("PUT", 500)]
        [TestCase("PUT", 503)]
        [TestCase("DELETE", 502)]
        [TestCase("DELETE", 504)]
        public async Task Idempotent_methods_are_retried_after_transient_statuses(string method, int status)
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ => sent.Increment() == 1 ? TestClients.Json((HttpStatusCode)status, "{}") : TestClients.Json(HttpStatusCode.OK, "{}"));
            var aha = TestClients.Create(clock, mock);

            using var response = await clock.RunAsync(aha.SendAsync(new HttpMethod(method), "features/APP-1", method == "PUT" ? "{}" : null));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(2));
        }

        [Test]
        public async Task A_GET_is_retried_after_a_connection_reset()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                if (sent.Increment() == 1)
                {
                    throw new HttpRequestException("reset", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)));
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock);

            using var response = await clock.RunAsync(aha.GetAsync("features"));
            Assert.That(sent.Value, Is.EqualTo(2));
        }

        [Test]
        public async Task Client_errors_are_not_retried()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                return TestClients.Json(HttpStatusCode.NotFound, "{\"error\":\"Not found\"}");
            });
            var aha = TestClients.Create(clock, mock);

            await AssertThrows<AhaNotFoundException>(() => clock.RunAsync(aha.GetAsync("features/APP-9")));
            Assert.That(sent.Value, Is.EqualTo(1));
        }

        [Test]
        public async Task Backoff_without_a_server_delay_is_exponential_capped_and_bounded()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                return TestClients.Json(HttpStatusCode.ServiceUnavailable, "{}");
            });
            var aha = TestClients.Create(clock, mock, o =>
            {
                o.Resilience.MaxRetryAttempts = 4;
                o.Resilience.BaseDelay = TimeSpan.FromSeconds(1);
                o.Resilience.MaxDelay = TimeSpan.FromSeconds(3);
            });

            var error = await AssertThrows<AhaServerException>(() => clock.RunAsync(aha.GetAsync("features")));
            Assert.That(sent.Value, Is.EqualTo(5), "1 attempt + 4 retries, then stop");
            Assert.That(error!.Message, Does.Contain("5 attempts"));
            var backoffs = clock.ScheduledDelays.Where(d => d < TimeSpan.FromSeconds(60)).ToList();
            Assert.That(backoffs, Is.EqualTo(new[] { 1, 2, 3, 3 }.Select(s => TimeSpan.FromSeconds(s))));
        }

        [Test]
        public async Task Jittered_backoff_stays_within_the_cap()
        {
            var clock = new TestClock();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ => TestClients.Json(HttpStatusCode.BadGateway, "{}"));
            var aha = TestClients.Create(clock, mock, o =>
            {
                o.Resilience.UseJitter = true;
                o.Resilience.MaxRetryAttempts = 8;
                o.Resilience.MaxDelay = TimeSpan.FromSeconds(5);
            });

            await AssertThrows<AhaServerException>(() => clock.RunAsync(aha.GetAsync("features")));
            var backoffs = clock.ScheduledDelays.Where(d => d < TimeSpan.FromSeconds(60)).ToList();
            Assert.That(backoffs, Has.Count.EqualTo(8));
            Assert.That(backoffs, Has.All.LessThanOrEqualTo(TimeSpan.FromSeconds(5)).And.All.GreaterThan(TimeSpan.Zero));
        }

        [Test]
        public async Task A_429_wait_beyond_the_call_budget_fails_at_once_with_the_delay()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                var r = TestClients.Json((HttpStatusCode)429, "{\"error\":\"Rate limit exceeded\",\"retry_after\":400}");
                return r;
            });
            var aha = TestClients.Create(clock, mock);

            var error = await AssertThrows<AhaRateLimitException>(() => clock.RunAsync(aha.GetAsync("features")));
            Assert.That(sent.Value, Is.EqualTo(1));
            Assert.That(error!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(400)));
            Assert.That(error.Kind, Is.EqualTo(AhaErrorKind.RateLimited));
        }

        [Test]
        public async Task A_scope_can_raise_the_budget_for_a_bulk_job()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ => sent.Increment() == 1
                ? TestClients.Json((HttpStatusCode)429, "{\"retry_after\":400}")
                : TestClients.Json(HttpStatusCode.OK, "{}"));
            var aha = TestClients.Create(clock, mock);

            Task<HttpResponseMessage> call;
            using (aha.WithRequestOptions(new AhaRequestOptions { TotalTimeout = TimeSpan.FromMinutes(10), AttemptTimeout = TimeSpan.FromMinutes(9) }))
            {
                call = aha.GetAsync("features");
            }

            using var response = await clock.RunAsync(call, TimeSpan.FromMinutes(8));
            Assert.That(sent.Value, Is.EqualTo(2));
        }

        [Test]
        public async Task A_scope_can_turn_retries_off_for_some_calls_only()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ => sent.Increment() <= 2 ? TestClients.Json(HttpStatusCode.ServiceUnavailable, "{}") : TestClients.Json(HttpStatusCode.OK, "{}"));
            var aha = TestClients.Create(clock, mock);

            using (aha.WithRequestOptions(AhaRequestOptions.NoRetries))
            {
                await AssertThrows<AhaServerException>(() => clock.RunAsync(aha.GetAsync("features")));
                Assert.That(sent.Value, Is.EqualTo(1));
            }

            using var response = await clock.RunAsync(aha.GetAsync("features"));
            Assert.That(sent.Value, Is.EqualTo(3), "outside the scope the 503 is retried");
        }

        [Test]
        public async Task Options_can_be_attached_to_a_single_request()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                return TestClients.Json(HttpStatusCode.ServiceUnavailable, "{}");
            });
            var aha = TestClients.Create(clock, mock);

            var request = new HttpRequestMessage(HttpMethod.Get, "features").SetAhaRequestOptions(new AhaRequestOptions { MaxRetryAttempts = 1 });
            await AssertThrows<AhaServerException>(() => clock.RunAsync(aha.HttpClient.SendAsync(request)));
            Assert.That(sent.Value, Is.EqualTo(2));
        }

        [Test]
        public async Task A_hung_GET_attempt_times_out_and_is_retried()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var transport = new DelegateHandler((req, ct) => sent.Increment() == 1 ? DelegateHandler.Hang(ct) : Task.FromResult(TestClients.Json(HttpStatusCode.OK, "{}")));
            var aha = TestClients.Create(clock, transport, o => o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(10));

            using var response = await clock.RunAsync(aha.GetAsync("features"), TimeSpan.FromSeconds(30));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(2));
            Assert.That(clock.ScheduledDelays, Does.Contain(TimeSpan.FromSeconds(10)));
        }

        [Test]
        public async Task A_hung_POST_attempt_times_out_and_is_not_repeated()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var transport = new DelegateHandler((req, ct) =>
            {
                sent.Increment();
                return DelegateHandler.Hang(ct);
            });
            var aha = TestClients.Create(clock, transport, o => o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(10));

            // The POST was on the wire when the attempt timed out: Aha! may have applied it.
            var error = await AssertThrows<AhaWriteOutcomeUnknownException>(() => clock.RunAsync(aha.SendAsync(HttpMethod.Post, "products/P/features", "{}"), TimeSpan.FromSeconds(30)));
            Assert.That(sent.Value, Is.EqualTo(1));
            Assert.That(error!.TimedOut, Is.True);
            Assert.That(error.Message, Does.Contain("POST /api/v1/products/P/features: the outcome is unknown"));
        }

        [Test]
        public async Task The_total_budget_bounds_the_whole_call()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var transport = new DelegateHandler((req, ct) =>
            {
                sent.Increment();
                return DelegateHandler.Hang(ct);
            });
            var aha = TestClients.Create(clock, transport, o =>
            {
                o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(10);
                o.Resilience.TotalTimeout = TimeSpan.FromSeconds(25);
            });

            var error = await AssertThrows<AhaTimeoutException>(() => clock.RunAsync(aha.GetAsync("features"), TimeSpan.FromSeconds(20)));
            Assert.That(error!.Message, Does.Contain("00:00:25"));
            Assert.That(error.Timeout, Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(sent.Value, Is.EqualTo(3), "attempts at 0 s, 11 s and 23 s; the budget ends the third");
        }

        [Test]
        public async Task The_circuit_breaker_fails_fast_once_open()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                sent.Increment();
                return TestClients.Json(HttpStatusCode.InternalServerError, "{}");
            });
            var aha = TestClients.Create(clock, mock, o =>
            {
                o.Resilience.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreaker.Enabled = true;
                o.Resilience.CircuitBreaker.MinimumThroughput = 2;
            });

            await AssertThrows<AhaServerException>(() => clock.RunAsync(aha.GetAsync("a")));
            await AssertThrows<AhaServerException>(() => clock.RunAsync(aha.GetAsync("b")));
            var open = await AssertThrows<AhaCircuitOpenException>(() => clock.RunAsync(aha.GetAsync("c")));
            Assert.That(sent.Value, Is.EqualTo(2));
            Assert.That(open!.InnerException, Is.InstanceOf<BrokenCircuitException>());
            Assert.That((open.RequestMethod, open.RequestPath), Is.EqualTo(("GET", "/api/v1/c")));
            Assert.That(open.RetryAfter, Is.Not.Null);
        }

        internal static async Task<T?> AssertThrows<T>(Func<Task> action)
            where T : Exception
        {
            try
            {
                await action();
            }
            catch (T expected)
            {
                return expected;
            }
            catch (Exception other)
            {
                Assert.Fail($"Expected {typeof(T).Name} but got {other.GetType().Name}: {other.Message}");
            }

            Assert.Fail($"Expected {typeof(T).Name} but nothing was thrown.");
            return null;
        }
    }
}
