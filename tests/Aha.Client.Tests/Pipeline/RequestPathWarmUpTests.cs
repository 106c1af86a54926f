using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Aha.Client.Configuration;
using Aha.Client.Pipeline;
using Aha.Client.RateLimiting;
using Aha.Client.Telemetry;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Pipeline
{
    /// <summary>
    /// The start-up warm-up of the request path (RequestPathWarmUp) passes a request through a private copy of the
    /// handler chain to an in-memory answer: it must be invisible (no metric, no activity, no permit of a real budget).
    /// </summary>
    public class RequestPathWarmUpTests
    {
        [TestCase(false)]
        [TestCase(true)]
        public void The_warm_up_answers_in_memory_and_records_no_metric_no_activity_no_log_and_no_permit(bool throughTheClientsPipelines)
        {
            // A client's own Polly pipelines (default options: no breaker; the system clock), with every log level on.
            using var logs = new CapturingLoggerProvider();
            var options = new AhaClientOptions { BaseUrl = new Uri("http://localhost:1/api/v1/"), Token = "test-token" };
            options.RateLimit.SharedAcrossClients = false;
            var client = AhaPipeline.Create(options, logs.CreateFactory(), buildInBackground: false);

            var measurements = new ConcurrentBag<string>();
            using var meters = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == AhaTelemetry.Name)
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            meters.SetMeasurementEventCallback<long>((i, _, _, _) => measurements.Add(i.Name));
            meters.SetMeasurementEventCallback<double>((i, _, _, _) => measurements.Add(i.Name));
            meters.Start();
            var activities = new ConcurrentBag<string>();
            using var tracing = new ActivityListener
            {
                ShouldListenTo = source => source.Name == AhaTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStarted = a => activities.Add(a.OperationName),
            };
            ActivitySource.AddActivityListener(tracing);
            var shared = RateLimitBudget.For(new AhaRateLimitOptions(), TimeProvider.System).Limiter;
            var leasesBefore = shared.GetStatistics()!.TotalSuccessfulLeases;

            var status = RequestPathWarmUp.Run(throughTheClientsPipelines ? client.Resilience : null);

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "the private chain ran to its in-memory answer");
            Assert.That(measurements, Is.Empty, "no request, wait or 429 was counted");
            Assert.That(activities, Is.Empty);
            Assert.That(logs.Entries, Is.Empty, "the retry step logs nothing for a success");
            Assert.That(shared.GetStatistics()!.TotalSuccessfulLeases, Is.EqualTo(leasesBefore), "the process-wide budget lent no permit");
        }
    }
}
