using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Aha.Client.Authentication;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Authentication
{
    public class AuthenticationTests
    {
        [Test]
        public async Task Every_request_carries_the_bearer_token_and_a_User_Agent_with_the_contact()
        {
            var clock = new TestClock();
            var mock = new MockHttpMessageHandler();
            mock.Expect(HttpMethod.Get, "https://company.aha.io/api/v1/features/APP-1")
                .WithHeaders("Authorization", "Bearer test-token")
                .With(r => r.Headers.UserAgent.ToString().StartsWith("Aha.Client.NET/", StringComparison.Ordinal)
                           && r.Headers.UserAgent.ToString().EndsWith(" Aha.Client tests (dev@example.com)", StringComparison.Ordinal)
                           && !r.Headers.Contains("X-Aha-Account"))
                .Respond("application/json", "{}");
            var aha = TestClients.Create(clock, mock);

            (await clock.RunAsync(aha.GetAsync("features/APP-1"))).Dispose();
            mock.VerifyNoOutstandingExpectation();
        }

        [Test]
        public async Task Without_a_contact_the_User_Agent_still_names_the_SDK_and_version()
        {
            var clock = new TestClock();
            string? userAgent = null;
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(r =>
            {
                userAgent = r.Headers.UserAgent.ToString();
                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock, o => o.UserAgent = null);

            (await clock.RunAsync(aha.GetAsync("features"))).Dispose();
            Assert.That(userAgent, Does.Match(@"^Aha\.Client\.NET/\d+\.\d+\.\d+"));
        }

        [Test]
        public async Task The_shared_host_gets_the_account_header()
        {
            var clock = new TestClock();
            var mock = new MockHttpMessageHandler();
            mock.Expect(HttpMethod.Get, "https://secure.aha.io/api/v1/features")
                .WithHeaders("X-Aha-Account", "company")
                .WithHeaders("Authorization", "Bearer test-token")
                .Respond("application/json", "{}");
            var aha = TestClients.Create(clock, mock, o => o.BaseUrl = new Uri("https://secure.aha.io/api/v1/"));

            (await clock.RunAsync(aha.GetAsync("features"))).Dispose();
            mock.VerifyNoOutstandingExpectation();
        }

        [Test]
        public async Task A_token_provider_is_asked_before_every_attempt_so_a_refreshed_token_is_used()
        {
            var clock = new TestClock();
            var issued = 0;
            var seen = new List<string>();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(r =>
            {
                seen.Add(r.Headers.Authorization!.ToString());
                if (seen.Count == 1)
                {
                    var tooMany = new HttpResponseMessage((HttpStatusCode)429);
                    tooMany.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                    return tooMany;
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock, o =>
            {
                o.Token = null;
                o.TokenProvider = AhaTokenProvider.FromDelegate(_ => new ValueTask<string>("oauth-token-" + ++issued));
            });

            (await clock.RunAsync(aha.GetAsync("features"))).Dispose();
            Assert.That(seen, Is.EqualTo(new[] { "Bearer oauth-token-1", "Bearer oauth-token-2" }));
        }

        [Test]
        public void An_empty_token_from_the_provider_fails_clearly()
        {
            var clock = new TestClock();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond("application/json", "{}");
            var aha = TestClients.Create(clock, mock, o =>
            {
                o.Token = null;
                o.TokenProvider = AhaTokenProvider.FromDelegate(_ => new ValueTask<string>(string.Empty));
            });

            Assert.That(async () => await clock.RunAsync(aha.GetAsync("features")), Throws.InvalidOperationException.With.Message.Contains("empty token"));
        }
    }
}
