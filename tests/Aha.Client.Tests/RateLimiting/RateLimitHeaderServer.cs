using System;
using System.Globalization;
using System.Net;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.RateLimiting
{
    /// <summary>
    /// A server (MockHttp) that answers every request 200 with Aha!'s <c>X-Ratelimit-*</c> headers: the n-th answer
    /// (1-based) says <c>remaining(n)</c> requests are left, and every answer names the same reset.
    /// </summary>
    internal static class RateLimitHeaderServer
    {
        public static MockHttpMessageHandler Create(Counter sent, DateTimeOffset reset, Func<int, int> remaining, int? limit = null)
        {
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                var n = sent.Increment();
                var response = TestClients.Json(HttpStatusCode.OK, "{}");
                if (limit is { } l)
                {
                    response.Headers.Add("X-Ratelimit-Limit", l.ToString(CultureInfo.InvariantCulture));
                }

                response.Headers.Add("X-Ratelimit-Remaining", remaining(n).ToString(CultureInfo.InvariantCulture));
                response.Headers.Add("X-Ratelimit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                return response;
            });
            return mock;
        }
    }
}
