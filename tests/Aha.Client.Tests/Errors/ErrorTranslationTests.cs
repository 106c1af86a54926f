using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using Aha.Client.Tests.Resilience;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Errors
{
    public class ErrorTranslationTests
    {
        private static async Task<T> Fail<T>(HttpStatusCode status, string body, string mediaType = "application/json", string method = "GET", Action<HttpResponseMessage>? headers = null)
            where T : AhaApiException
        {
            var clock = new TestClock();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                var response = new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) };
                headers?.Invoke(response);
                return response;
            });
            var aha = TestClients.Create(clock, mock, o => o.Resilience.MaxRetryAttempts = 0);
            var error = await RetryTests.AssertThrows<T>(() => clock.RunAsync(aha.SendAsync(new HttpMethod(method), "features/APP-1?fields=name&access_token=test-token", method == "GET" ? null : "{}")));
            Assert.That(error, Is.InstanceOf<T>());
            return error!;
        }

        [Test]
        public async Task A_400_carries_Aha_validation_message_status_method_and_path()
        {
            var e = await Fail<AhaBadRequestException>(HttpStatusCode.BadRequest, "{\"errors\":{\"message\":\"Name can't be blank\"}}", method: "POST");
            Assert.That(e.StatusCode, Is.EqualTo(400));
            Assert.That(e.Kind, Is.EqualTo(AhaErrorKind.BadRequest));
            Assert.That(e.AhaMessage, Is.EqualTo("Name can't be blank"));
            Assert.That(e.RequestMethod, Is.EqualTo("POST"));
            Assert.That(e.RequestPath, Is.EqualTo("/api/v1/features/APP-1?fields=name&access_token=[redacted]"));
            Assert.That(e.Message, Does.StartWith("POST /api/v1/features/APP-1?fields=name&access_token=[redacted] failed: 400"));
            Assert.That(e.Message, Does.Contain("Aha! says: \"Name can't be blank\""));
            Assert.That(e.ToString(), Does.Not.Contain("test-token"));
        }

        [Test]
        public async Task Field_errors_are_flattened_into_the_message()
        {
            var e = await Fail<AhaBadRequestException>(HttpStatusCode.BadRequest, "{\"errors\":{\"name\":[\"can't be blank\"],\"release\":[\"is invalid\"]}}");
            Assert.That(e.AhaMessage, Is.EqualTo("name: can't be blank; release: is invalid"));
        }

        [TestCase(HttpStatusCode.Forbidden)]
        [TestCase(HttpStatusCode.Unauthorized)]
        public async Task A_403_or_401_is_an_authentication_error_with_advice(HttpStatusCode status)
        {
            var e = await Fail<AhaAuthenticationException>(status, "{\"error\":\"Forbidden\"}");
            Assert.That(e.Kind, Is.EqualTo(AhaErrorKind.Authentication));
            Assert.That(e.Message, Does.Contain("API key or OAuth2 token"));
        }

        [Test]
        public async Task A_404_says_it_may_also_mean_no_access()
        {
            var e = await Fail<AhaNotFoundException>(HttpStatusCode.NotFound, "{\"error\":\"Not Found\",\"message\":\"Record not found\"}");
            Assert.That(e.AhaMessage, Is.EqualTo("Record not found"));
            Assert.That(e.Message, Does.Contain("no access"));
        }

        [Test]
        public async Task A_504_on_a_GET_suggests_fields()
        {
            var e = await Fail<AhaTooMuchDataException>(HttpStatusCode.GatewayTimeout, "{\"error\":\"Timeout\"}");
            Assert.That(e.Kind, Is.EqualTo(AhaErrorKind.TooMuchData));
            Assert.That(e, Is.InstanceOf<AhaServerException>());
            Assert.That(e.Message, Does.Contain("fields="));
        }

        [Test]
        public async Task A_500_is_a_server_error()
        {
            var e = await Fail<AhaServerException>(HttpStatusCode.InternalServerError, "{\"error\":\"Internal Server Error\"}", method: "POST");
            Assert.That(e.Kind, Is.EqualTo(AhaErrorKind.ServerError));
            Assert.That(e.AhaMessage, Is.EqualTo("Internal Server Error"));
        }

        [Test]
        public async Task A_429_that_outlasts_the_retries_carries_the_delay()
        {
            var e = await Fail<AhaRateLimitException>((HttpStatusCode)429, "{\"error\":\"Rate limit exceeded\",\"retry_after\":30}");
            Assert.That(e.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(e.Message, Does.Contain("00:00:30"));
        }

        [Test]
        public async Task An_HTML_proxy_page_still_gives_a_clear_exception()
        {
            const string html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>";
            var e = await Fail<AhaServerException>(HttpStatusCode.BadGateway, html, "text/html", method: "POST");
            Assert.That(e.AhaMessage, Is.Null);
            Assert.That(e.Message, Does.Contain("not JSON but text/html").And.Contain("\"502 Bad Gateway\""));
            Assert.That(e.Response, Is.EqualTo(html));
        }

        [Test]
        public async Task The_request_id_is_kept_for_support()
        {
            var e = await Fail<AhaNotFoundException>(HttpStatusCode.NotFound, "{}", headers: r => r.Headers.Add("X-Request-Id", "req-42"));
            Assert.That(e.RequestId, Is.EqualTo("req-42"));
            Assert.That(e.Message, Does.EndWith("Request id: req-42."));
        }

        [Test]
        public async Task A_huge_body_is_truncated()
        {
            var body = "{\"message\":\"" + new string('x', 10_000) + "\"}";
            var e = await Fail<AhaBadRequestException>(HttpStatusCode.BadRequest, body);
            Assert.That(e.Response!.Length, Is.LessThan(AhaApiException.MaxBodyLength + 100));
            Assert.That(e.Response, Does.Contain("truncated"));
        }

        [Test]
        public void The_constructors_the_generated_code_calls_still_work()
        {
            var headers = new Dictionary<string, IEnumerable<string>> { ["X-Request-Id"] = new[] { "abc" } };
            var plain = new AhaApiException("The HTTP status code of the response was not expected (418).", 418, "{\"error\":\"teapot\"}", headers, null);
            Assert.That((plain.StatusCode, plain.Kind, plain.AhaMessage, plain.RequestId), Is.EqualTo((418, AhaErrorKind.Other, "teapot", "abc")));

            var typed = new AhaApiException<string>("Not found", 404, "{}", headers, "payload", null);
            Assert.That((typed.Result, typed.Kind), Is.EqualTo(("payload", AhaErrorKind.NotFound)));
        }

        [Test]
        public async Task A_success_passes_through_untouched()
        {
            var clock = new TestClock();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond("application/json", "{\"feature\":{}}");
            var aha = TestClients.Create(clock, mock);
            using var response = await clock.RunAsync(aha.GetAsync("features/APP-1"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"feature\":{}}"));
        }
    }
}
