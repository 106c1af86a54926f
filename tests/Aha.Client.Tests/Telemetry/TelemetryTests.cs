using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.Telemetry;
using Aha.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Telemetry
{
    public class TelemetryTests
    {
        /// <summary>A server that exercises every log path: success, 429 + retry, 403, 500 on a POST, HTML page, reset.</summary>
        private static MockHttpMessageHandler EveryKindOfAnswer()
        {
            var calls = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*/rate-limited").Respond(_ =>
            {
                if (calls.Increment() == 1)
                {
                    var r = TestClients.Json((HttpStatusCode)429, "{\"error\":\"Rate limit exceeded\",\"retry_after\":1}");
                    r.Headers.Add("X-Ratelimit-Remaining", "0");
                    return r;
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            mock.When("*/forbidden").Respond(HttpStatusCode.Forbidden, "application/json", "{\"error\":\"Forbidden\"}");
            mock.When("*/broken").Respond(HttpStatusCode.InternalServerError, "text/html", "<html><title>Oops</title></html>");
            mock.When("*/reset").Throw(new HttpRequestException("reset", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))));
            mock.When("*").Respond("application/json", "{}");
            return mock;
        }

        private static async Task<List<string>> ExerciseAsync(TestClock clock, AhaClient aha)
        {
            var exceptions = new List<string>();
            foreach (var (method, path) in new[] { ("GET", "features?access_token=test-token"), ("GET", "rate-limited"), ("GET", "forbidden"), ("POST", "broken"), ("POST", "reset") })
            {
                try
                {
                    (await clock.RunAsync(aha.SendAsync(new HttpMethod(method), path, method == "POST" ? "{\"token\":\"x\"}" : null))).Dispose();
                }
                catch (Exception ex)
                {
                    exceptions.Add(ex.ToString());
                }
            }

            Assert.That(exceptions, Has.Count.EqualTo(3));
            return exceptions;
        }

        [Test]
        public async Task No_log_line_or_exception_contains_the_token()
        {
            var clock = new TestClock();
            var logs = new CapturingLoggerProvider();
            var aha = TestClients.Create(clock, EveryKindOfAnswer(), loggers: logs.CreateFactory());

            var exceptions = await ExerciseAsync(clock, aha);

            var all = logs.AllText() + string.Join("\n", exceptions);
            Assert.That(all, Does.Not.Contain("test-token"));
            Assert.That(all, Does.Not.Contain("Bearer t"));
            var events = logs.Entries.Select(e => e.EventId.Name).ToList();
            Assert.That(events, Does.Contain("AttemptCompleted"));
            Assert.That(events, Does.Contain("RequestStarting").And.Contain("RequestCompleted").And.Contain("RequestFailed")
                .And.Contain("RateLimited").And.Contain("RetryingRateLimited").And.Contain("ServerPause").And.Contain("NotRetried"));
            Assert.That(logs.Entries.Where(e => e.EventId.Name == "RequestStarting").Select(e => e.Level), Has.All.EqualTo(LogLevel.Debug));
            Assert.That(logs.Entries.Single(e => e.EventId.Name == "RetryingRateLimited").Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(logs.AllText(), Does.Contain("/api/v1/features?access_token=[redacted]"));
        }

        [Test]
        public async Task No_log_line_contains_the_token_through_dependency_injection_even_at_Trace()
        {
            var clock = new TestClock();
            var logs = new CapturingLoggerProvider();
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
            services.AddAhaClient(o =>
            {
                o.Account = "company";
                o.Token = TestClients.Token;
                o.TimeProvider = clock;
            }).ConfigurePrimaryHttpMessageHandler(EveryKindOfAnswer);
            using var provider = services.BuildServiceProvider();
            var aha = provider.GetRequiredService<AhaClient>();

            var exceptions = await ExerciseAsync(clock, aha);

            Assert.That(logs.Entries.Select(e => e.EventId.Name), Does.Contain("AttemptCompleted").And.Contain("RequestCompleted"));
            Assert.That(logs.AllText() + string.Join("\n", exceptions), Does.Not.Contain("test-token"));
        }

        [Test]
        public async Task Metrics_count_requests_and_429s_and_time_waiting_for_the_limiter()
        {
            var clock = new TestClock();
            var measurements = new ConcurrentBag<(string Instrument, double Value)>();
            using var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == AhaTelemetry.Name)
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((i, v, _, _) => measurements.Add((i.Name, v)));
            listener.SetMeasurementEventCallback<double>((i, v, _, _) => measurements.Add((i.Name, v)));
            listener.Start();

            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                if (sent.Increment() == 1)
                {
                    var r = new HttpResponseMessage((HttpStatusCode)429);
                    r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
                    return r;
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock, o => o.RateLimit.RequestsPerSecond = 1);
            (await clock.RunAsync(aha.GetAsync("features"))).Dispose();
            (await clock.RunAsync(aha.GetAsync("features"))).Dispose();

            Assert.That(measurements.Where(m => m.Instrument == AhaTelemetry.RequestsInstrument).Sum(m => m.Value), Is.EqualTo(3));
            Assert.That(measurements.Where(m => m.Instrument == AhaTelemetry.RateLimitedInstrument).Sum(m => m.Value), Is.EqualTo(1));
            Assert.That(measurements.Where(m => m.Instrument == AhaTelemetry.RetriesInstrument).Sum(m => m.Value), Is.EqualTo(1));
            var waits = measurements.Where(m => m.Instrument == AhaTelemetry.RateLimitWaitInstrument).Select(m => m.Value).ToList();
            Assert.That(waits, Has.Count.EqualTo(3));
            Assert.That(waits.Max(), Is.GreaterThan(0.9), "the third request waited for the per-second window");
            Assert.That(measurements.Count(m => m.Instrument == AhaTelemetry.CallDurationInstrument), Is.EqualTo(2));
        }

        [Test]
        public async Task One_activity_per_call_with_method_path_status_and_attempts()
        {
            var clock = new TestClock();
            var activities = new List<Activity>();
            using var listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == AhaTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => activities.Add(a),
            };
            ActivitySource.AddActivityListener(listener);

            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(HttpStatusCode.NotFound, "application/json", "{}");
            var aha = TestClients.Create(clock, mock);
            Assert.That(async () => await clock.RunAsync(aha.GetAsync("features/APP-1")), Throws.InstanceOf<AhaNotFoundException>());

            var activity = activities.Single();
            Assert.That(activity.DisplayName, Is.EqualTo("Aha GET"));
            Assert.That(activity.GetTagItem("url.path"), Is.EqualTo("/api/v1/features/APP-1"));
            Assert.That(activity.GetTagItem("http.response.status_code"), Is.EqualTo(404));
            Assert.That(activity.GetTagItem("aha.attempts"), Is.EqualTo(1));
            Assert.That(activity.Status, Is.EqualTo(ActivityStatusCode.Error));
        }
    }
}
