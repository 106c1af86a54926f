using System;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Authentication;
using Aha.Client.Configuration;
using Aha.Client.Errors;
using Aha.Client.RateLimiting;
using Aha.Client.Resilience;
using Aha.Client.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aha.Client.Pipeline
{
    /// <summary>
    /// Once per process, on the thread-pool thread that built a client's Polly pipelines: passes requests that are never
    /// sent through private copies of the handler chain (their own limiter, no logger, no metrics; the client's Polly
    /// pipelines when that leaves no trace, otherwise their own) that end in an in-memory 200 answer. In a fresh process the first real request
    /// otherwise compiles all of that code on the caller's thread (~320 methods between the client's construction and
    /// the request leaving, docs/benchmarks.md); this way most of it is compiled on the other core meanwhile, and the
    /// answer's path (body buffering, rate-limit headers) is compiled before the first answer arrives.
    /// </summary>
    /// <remarks>
    /// Nothing of it is visible: no byte leaves the process, no permit of any real budget is taken, no log event, metric
    /// or activity is recorded (the telemetry step is left out, the limiter step's metrics are off, a successful answer
    /// makes the retry step log nothing, and a client with a circuit breaker or its own clock lends no pipeline), the caller's token
    /// provider is not asked, and ambient request options do not apply (the work item carries no execution context).
    /// Best effort: any failure is ignored, since the real request goes through its own code anyway.
    /// </remarks>
    internal static class RequestPathWarmUp
    {
        private static int _started;

        /// <summary>Off: clients built afterwards start no warm-up (the start-up benchmark's A/B switch,
        /// <c>startup --clients aha,aha-no-path-warm-up</c>).</summary>
        internal static bool Enabled { get; set; } = true;

        /// <summary>Runs the warm-up unless one has run in this process already.</summary>
        /// <param name="built">A client's Polly pipelines, already built, that the in-memory request may pass through
        /// without leaving a trace (no circuit breaker, system clock); null: the warm-up builds its own.</param>
        internal static void RunOncePerProcess(DeferredResiliencePipelines? built)
        {
            if (!Enabled || Interlocked.Exchange(ref _started, 1) != 0)
            {
                return;
            }

            try
            {
                Run(built);
            }
            catch (Exception)
            {
                // Best effort (see the remarks): the real request compiles whatever this did not.
            }
        }

        /// <summary>Two passes through private chains; returns the in-memory answer's status of the second (tests).</summary>
        /// <param name="built">Polly pipelines to pass through (see <see cref="RunOncePerProcess"/>); null: its own.</param>
        internal static HttpStatusCode Run(DeferredResiliencePipelines? built = null)
        {
            // The metric instruments and activity source are created when first touched: here, not on the first call.
            RuntimeHelpers.RunClassConstructor(typeof(AhaTelemetry).TypeHandle);

            var time = TimeProvider.System;
            var budget = RateLimitBudget.For(new AhaRateLimitOptions { SharedAcrossClients = false }, time);

            // First the steps inside the retry step, without Polly: when this thread gets here (right after building the
            // client's Polly pipelines), the caller's first request is typically passing through the call pipeline, and
            // reaches these steps next.
            Send(new RateLimitHandler(budget, enabled: true, pauseOnServerSignal: true, NullLogger.Instance, recordMetrics: false)
            {
                InnerHandler = Innermost(),
            });

            // Then the whole chain in the order of AhaPipeline.CreateHandlers, without the telemetry step (it would report
            // this request): the caller's first answer comes back through all of it. Through the client's own Polly
            // pipelines when they are given (a success leaves nothing in a timeout or a retry without a breaker), or
            // through pipelines of its own, built the same way.
            var resilience = new AhaResilienceOptions(); // the defaults: no circuit breaker, nothing shared
            var pipelines = built ?? new DeferredResiliencePipelines(
                () => AhaResiliencePipelines.CreateCallPipeline(resilience, TimeSpan.Zero, time, NullLogger.Instance),
                () => AhaResiliencePipelines.CreateAttemptPipeline(resilience, time),
                inBackground: false);
            return Send(new ErrorTranslationHandler(time)
            {
                InnerHandler = new ResilienceHandler(pipelines.CallFor)
                {
                    InnerHandler = new RateLimitHandler(budget, enabled: true, pauseOnServerSignal: true, NullLogger.Instance, recordMetrics: false)
                    {
                        InnerHandler = new AttemptTimeoutHandler(pipelines) { InnerHandler = Innermost() },
                    },
                },
            });
        }

        // Authentication (a token of its own: the caller's provider is not asked), the write guard and the permit's
        // release, over the in-memory answer.
        private static HttpMessageHandler Innermost() => new AuthenticationHandler(AhaTokenProvider.FromToken("warm-up"), UserAgent.Build(null), account: null)
        {
            InnerHandler = new BodylessWriteGuardHandler
            {
                InnerHandler = new PermitArrivalHandler { InnerHandler = new InMemoryAnswer() },
            },
        };

        private static HttpStatusCode Send(HttpMessageHandler chain)
        {
            using var invoker = new HttpMessageInvoker(chain, disposeHandler: true);
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://localhost/api/v1/features?page=1&per_page=200");

            // Completes without waiting (the answer is in memory, a permit of a fresh limiter is granted at once): this
            // thread-pool thread is not held beyond the compilation it is here for.
            using var response = invoker.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult();
            return response.StatusCode;
        }

        /// <summary>The end of the private chain: a small JSON list page, answered in memory.</summary>
        private sealed class InMemoryAnswer : HttpMessageHandler
        {
            private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes("{\"features\":[],\"pagination\":{\"total_records\":0,\"total_pages\":0,\"current_page\":1}}");

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var content = new ByteArrayContent(Body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
            }
        }
    }
}
