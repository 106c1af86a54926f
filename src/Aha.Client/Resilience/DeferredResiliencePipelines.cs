using System;
using System.Net.Http;
using System.Threading;
using Polly;

namespace Aha.Client.Resilience
{
    /// <summary>
    /// The client's two Polly pipelines (call and attempt, see <see cref="AhaResiliencePipelines"/>), built once, off the
    /// constructor's critical path. Building them is the largest single cost of a client's construction in a fresh
    /// process (Polly's first use: its builder, the strategies, and the DataAnnotations check of every strategy's
    /// options; ~26 ms of a ~110 ms start, docs/benchmarks.md). The constructor queues the build on a thread-pool
    /// thread, so it runs on another core while the caller finishes building the client and walks its first request
    /// down to the resilience step; that step takes the result, waiting for the build if it has not finished, or
    /// doing it itself if no thread has started it yet. The build runs exactly once either way.
    /// </summary>
    /// <remarks>
    /// The options were validated before (<see cref="Configuration.AhaClientOptionsValidator"/> checks every bound that
    /// Polly's builder checks), so the build is not expected to fail; if it does, every use of the pipelines throws
    /// that same exception, on the first call and on every later one, instead of the constructor.
    /// </remarks>
    internal sealed class DeferredResiliencePipelines
    {
        private readonly Lazy<Built> _built;
        private readonly Action<DeferredResiliencePipelines>? _then;

        /// <summary>Queues the build (when <paramref name="inBackground"/>) and returns at once.</summary>
        /// <param name="buildCall">Builds the call pipeline.</param>
        /// <param name="buildAttempt">Builds the attempt pipeline.</param>
        /// <param name="inBackground">Whether to start the build on a thread-pool thread now; otherwise the first use
        /// builds them.</param>
        /// <param name="thenInBackground">Runs on the same thread after a background build, whatever its outcome, with
        /// these pipelines (the start-up warm-up of the request path); must not throw.</param>
        internal DeferredResiliencePipelines(
            Func<ResiliencePipeline<HttpResponseMessage>> buildCall,
            Func<ResiliencePipeline<HttpResponseMessage>> buildAttempt,
            bool inBackground,
            Action<DeferredResiliencePipelines>? thenInBackground = null)
        {
            _then = thenInBackground;
            // ExecutionAndPublication: one build, whoever comes first; the others wait for it. A failure is kept and
            // thrown again to every caller (Lazy caches it), so it cannot be lost or half-applied.
            _built = new Lazy<Built>(() => new Built(buildCall(), buildAttempt()), LazyThreadSafetyMode.ExecutionAndPublication);
            CallFor = _ => Call;
            if (inBackground)
            {
                // Not capturing the caller's execution context: the build must not carry the caller's Activity or
                // AsyncLocals, and it has nothing to flow.
                ThreadPool.UnsafeQueueUserWorkItem(static state => ((DeferredResiliencePipelines)state!).BuildNow(), this);
            }
        }

        /// <summary>Whether a build started at construction is worth it: with one core there is nothing to overlap.</summary>
        internal static bool BackgroundPays => Environment.ProcessorCount > 1;

        /// <summary>The call pipeline (outside the rate limiter); blocks until built.</summary>
        internal ResiliencePipeline<HttpResponseMessage> Call => _built.Value.Call;

        /// <summary>The attempt pipeline (inside the rate limiter); blocks until built.</summary>
        internal ResiliencePipeline<HttpResponseMessage> Attempt => _built.Value.Attempt;

        /// <summary>The provider <c>ResilienceHandler</c> asks for the call pipeline of each request (one delegate, shared).</summary>
        internal Func<HttpRequestMessage, ResiliencePipeline<HttpResponseMessage>> CallFor { get; }

        /// <summary>True once the pipelines are built (false while building, and after a failed build).</summary>
        internal bool IsBuilt => _built.IsValueCreated;

        private void BuildNow()
        {
            try
            {
                _ = _built.Value;
            }
            catch (Exception)
            {
                // Kept by the Lazy and thrown to the first request (and every later one): nothing to do here, and
                // nothing may escape a thread-pool work item.
            }

            _then?.Invoke(this);
        }

        private sealed class Built
        {
            public Built(ResiliencePipeline<HttpResponseMessage> call, ResiliencePipeline<HttpResponseMessage> attempt)
            {
                Call = call;
                Attempt = attempt;
            }

            public ResiliencePipeline<HttpResponseMessage> Call { get; }

            public ResiliencePipeline<HttpResponseMessage> Attempt { get; }
        }
    }
}
