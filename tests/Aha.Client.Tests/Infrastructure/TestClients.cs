using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Microsoft.Extensions.Logging;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>Builds clients over MockHttp and a <see cref="TestClock"/>, with obviously fake credentials.</summary>
    internal static class TestClients
    {
        public const string Token = "test-token";
        public const string BaseUrl = "https://company.aha.io/api/v1/";

        public static AhaClientOptions Options(TestClock clock, Action<AhaClientOptions>? configure = null)
        {
            var options = new AhaClientOptions
            {
                Account = "company",
                Token = Token,
                UserAgent = "Aha.Client tests (dev@example.com)",
                TimeProvider = clock,
            };
            options.Resilience.UseJitter = false;
            configure?.Invoke(options);
            return options;
        }

        public static AhaClient Create(TestClock clock, HttpMessageHandler transport, Action<AhaClientOptions>? configure = null, ILoggerFactory? loggers = null) =>
            new AhaClient(Options(clock, configure), transport, loggers);

        public static Task<HttpResponseMessage> GetAsync(this AhaClient aha, string path, CancellationToken cancellationToken = default) =>
            aha.HttpClient.GetAsync(path, cancellationToken);

        public static Task<HttpResponseMessage> SendAsync(this AhaClient aha, HttpMethod method, string path, string? json = null, CancellationToken cancellationToken = default)
        {
            var request = new HttpRequestMessage(method, path);
            if (json != null)
            {
                request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            }

            return aha.HttpClient.SendAsync(request, cancellationToken);
        }

        /// <summary>A mock that counts calls and answers 200 with a small JSON body to anything.</summary>
        public static MockHttpMessageHandler AlwaysOk(Counter counter)
        {
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                counter.Increment();
                return Json(System.Net.HttpStatusCode.OK, "{\"ok\":true}");
            });
            return mock;
        }

        public static HttpResponseMessage Json(System.Net.HttpStatusCode status, string json) =>
            new HttpResponseMessage(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
    }

    internal sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public int Increment() => Interlocked.Increment(ref _value);
    }
}
