using System;
using System.Net.Http;
using Aha.Benchmarks.Infrastructure;
using Aha.Client;
using Aha.Client.Configuration;
using Aha.Client.RateLimiting;

namespace Aha.Benchmarks.Overhead
{
    /// <summary>
    /// The client as a user builds it (<c>new AhaClient(options, transport)</c>): the whole pipeline of
    /// docs/resilience.md is on, over an in-memory transport.
    /// <list type="bullet">
    /// <item>Telemetry: Activity, metrics and logs wired as shipped, with no listener attached (the common case).</item>
    /// <item>Typed errors, Polly total timeout (5 min) and retry, per-attempt timeout (100 s, buffers the body),
    /// authentication headers, the body-less write guard.</item>
    /// <item>Rate limiting: the client's own <see cref="SlidingWindowLogRateLimiter"/> with Aha!'s windows (20/s, 300/min,
    /// default margin) on a clock 100,000x faster than real time, so it runs its full path per request and never waits.</item>
    /// </list>
    /// </summary>
    internal static class BenchClients
    {
        public const string FeatureId = "PRJ1-1";

        public static AhaClient Create(HttpMessageHandler transport)
        {
            var limiterOptions = SlidingWindowLogRateLimiterOptions.ForAha();
            limiterOptions.TimeProvider = new ScaledClock(100_000);

            var options = new AhaClientOptions
            {
                BaseUrl = new Uri("https://bench.aha.io/api/v1/"),
                Token = "bench-token-0123456789abcdef",
                UserAgent = "Aha.Benchmarks (bench@example.com)",
            };
            options.RateLimit.Limiter = new SlidingWindowLogRateLimiter(limiterOptions);
            return new AhaClient(options, transport);
        }
    }
}
