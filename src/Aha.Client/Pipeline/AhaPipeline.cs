using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using Aha.Client.Authentication;
using Aha.Client.Configuration;
using Aha.Client.Errors;
using Aha.Client.RateLimiting;
using Aha.Client.Resilience;
using Aha.Client.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aha.Client.Pipeline
{
    /// <summary>
    /// The one place that decides the handler order; used by <c>services.AddAhaClient()</c> and by
    /// <c>new AhaClient(options)</c> alike, so both send requests through the same pipeline.
    /// <code>
    /// Telemetry            one activity, duration and start/end log per call
    ///  └ ErrorTranslation   final non-success response → typed AhaApiException (outside retry: only the last outcome)
    ///     └ Resilience      total timeout → retry (429 any method; transient only GET/PUT/DELETE) → circuit breaker
    ///        └ RateLimit    waits for a permit (each retry takes its own); reads X-Ratelimit-*; pauses on 429
    ///           └ AttemptTimeout   per-attempt timeout: starts after the permit, so queueing never counts
    ///              └ Authentication   bearer token (fresh per attempt), User-Agent, X-Aha-Account
    ///                 └ (your handlers) → transport
    /// </code>
    /// </summary>
    internal sealed class AhaPipeline
    {
        private readonly ILogger _logger;
        private readonly RateLimitBudget _budget;
        private readonly AhaRateLimitOptions _rateLimit;
        private readonly DeferredResiliencePipelines _resilience;
        private readonly IAhaTokenProvider _tokens;
        private readonly string _userAgent;
        private readonly string? _accountHeader;

        private AhaPipeline(AhaClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? fallbackTime, bool? buildInBackground)
        {
            AhaClientOptionsValidator.ThrowIfInvalid(options);

            Time = options.TimeProvider ?? fallbackTime ?? TimeProvider.System;
            loggerFactory ??= NullLoggerFactory.Instance;
            _logger = loggerFactory.CreateLogger(Log.Category);
            BaseAddress = AhaClientOptionsValidator.ResolveBaseAddress(options);
            _accountHeader = AhaClientOptionsValidator.ResolveAccountHeader(options);
            _tokens = options.TokenProvider ?? AhaTokenProvider.FromToken(options.Token!.Trim());
            _userAgent = UserAgent.Build(options.UserAgent);

            // Snapshots: changing the options object afterwards does not change a pipeline that is already built.
            _rateLimit = Copy(options.RateLimit);
            var resilience = Copy(options.Resilience);

            _budget = RateLimitBudget.For(_rateLimit, Time, loggerFactory);

            // Polly's pipelines are built on another core while the caller finishes construction and sends its first
            // request (the options are validated above, including every bound Polly's builder checks); the same thread
            // then compiles the request path once per process (RequestPathWarmUp).
            var time = Time;
            var logger = _logger;
            var margin = _rateLimit.SafetyMargin;

            // The warm-up may pass its in-memory request through these pipelines when that leaves no trace: no circuit
            // breaker (it would count a success) and the system clock (a test's fake clock would see its timers).
            var warmUpMayUseThese = !resilience.CircuitBreaker.Enabled && ReferenceEquals(time, TimeProvider.System);
            _resilience = new DeferredResiliencePipelines(
                () => AhaResiliencePipelines.CreateCallPipeline(resilience, margin, time, logger),
                () => AhaResiliencePipelines.CreateAttemptPipeline(resilience, time),
                inBackground: buildInBackground ?? DeferredResiliencePipelines.BackgroundPays,
                thenInBackground: built => RequestPathWarmUp.RunOncePerProcess(warmUpMayUseThese ? built : null));
        }

        /// <summary>The API root, with a trailing slash (the generated clients build relative URIs).</summary>
        internal Uri BaseAddress { get; }

        /// <summary>The clock of the limiter, retries and timeouts.</summary>
        internal TimeProvider Time { get; }

        /// <summary>The rate-limit state shared by every client using the same budget.</summary>
        internal AhaRateLimitState RateLimitState => _budget.State;

        /// <summary>The limiter of the shared budget.</summary>
        internal System.Threading.RateLimiting.RateLimiter Limiter => _budget.Limiter;

        /// <summary>The Polly pipelines, built in the background from construction (tests wait for them or inspect them).</summary>
        internal DeferredResiliencePipelines Resilience => _resilience;

        /// <summary>Validates the options and builds the pipeline's shared parts (limiter budget; the Polly pipelines are
        /// queued to build on a thread-pool thread).</summary>
        /// <param name="options">The options; validated here, synchronously.</param>
        /// <param name="loggerFactory">Where log events go.</param>
        /// <param name="fallbackTime">The clock when the options name none.</param>
        /// <param name="buildInBackground">Whether the Polly pipelines start building on a thread-pool thread now; by
        /// default when the machine has more than one core. <c>false</c>: the first request builds them.</param>
        internal static AhaPipeline Create(AhaClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? fallbackTime = null, bool? buildInBackground = null)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            return new AhaPipeline(options, loggerFactory, fallbackTime, buildInBackground);
        }

        /// <summary>Fresh handler instances (a handler can be chained only once), outermost first.</summary>
        internal IReadOnlyList<DelegatingHandler> CreateHandlers() => new DelegatingHandler[]
        {
            new TelemetryHandler(_logger, Time),
            new ErrorTranslationHandler(Time),
            new ResilienceHandler(_resilience.CallFor),
            new RateLimitHandler(_budget, _rateLimit.Enabled, _rateLimit.PauseOnServerSignal, _logger),
            new AttemptTimeoutHandler(_resilience),
            new AuthenticationHandler(_tokens, _userAgent, _accountHeader),
            new BodylessWriteGuardHandler(),
            new PermitArrivalHandler(),
        };

        /// <summary>Chains the handlers over <paramref name="primary"/> into an <see cref="HttpClient"/> for the non-DI path.</summary>
        internal HttpClient CreateHttpClient(HttpMessageHandler primary)
        {
            HttpMessageHandler inner = primary;
            var handlers = CreateHandlers();
            for (var i = handlers.Count - 1; i >= 0; i--)
            {
                handlers[i].InnerHandler = inner;
                inner = handlers[i];
            }

            // disposeHandler: false — the primary handler may be shared (or the caller's); our handlers hold nothing.
            var client = new HttpClient(inner, disposeHandler: false);
            ConfigureHttpClient(client);
            return client;
        }

        /// <summary>Base address, and no HttpClient timeout: the pipeline's own timeouts replace it.</summary>
        internal void ConfigureHttpClient(HttpClient client)
        {
            client.BaseAddress = BaseAddress;

            // HttpClient.Timeout (100 s by default) would cover limiter queueing and 429 waits: our total and
            // per-attempt timeouts do that job precisely.
            client.Timeout = Timeout.InfiniteTimeSpan;
        }

        private static AhaRateLimitOptions Copy(AhaRateLimitOptions o) => new AhaRateLimitOptions
        {
            Enabled = o.Enabled,
            RequestsPerSecond = o.RequestsPerSecond,
            RequestsPerMinute = o.RequestsPerMinute,
            SafetyMargin = o.SafetyMargin,
            MaxArrivalDelay = o.MaxArrivalDelay,
            QueueLimit = o.QueueLimit,
            SharedAcrossClients = o.SharedAcrossClients,
            PauseOnServerSignal = o.PauseOnServerSignal,
            Limiter = o.Limiter,
            Backend = o.Backend,
        };

        private static AhaResilienceOptions Copy(AhaResilienceOptions o) => new AhaResilienceOptions
        {
            MaxRetryAttempts = o.MaxRetryAttempts,
            BaseDelay = o.BaseDelay,
            MaxDelay = o.MaxDelay,
            UseJitter = o.UseJitter,
            AttemptTimeout = o.AttemptTimeout,
            TotalTimeout = o.TotalTimeout,
            CircuitBreaker = new AhaCircuitBreakerOptions
            {
                Enabled = o.CircuitBreaker.Enabled,
                FailureRatio = o.CircuitBreaker.FailureRatio,
                MinimumThroughput = o.CircuitBreaker.MinimumThroughput,
                SamplingDuration = o.CircuitBreaker.SamplingDuration,
                BreakDuration = o.CircuitBreaker.BreakDuration,
            },
        };
    }

    /// <summary>The transport used by <c>new AhaClient(options)</c> when none is given: one per process, like a static HttpClient.</summary>
    internal static class SharedTransport
    {
        private static readonly Lazy<HttpMessageHandler> Handler = new Lazy<HttpMessageHandler>(Create, LazyThreadSafetyMode.ExecutionAndPublication);

        internal static HttpMessageHandler Instance => Handler.Value;

        private static HttpMessageHandler Create()
        {
#if NET5_0_OR_GREATER
            // Recycle connections so DNS changes are seen, as IHttpClientFactory would.
            return new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
#else
            return new HttpClientHandler();
#endif
        }
    }
}
