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
using Polly;

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
        private readonly ResiliencePipeline<HttpResponseMessage> _callPipeline;
        private readonly ResiliencePipeline<HttpResponseMessage> _attemptPipeline;
        private readonly IAhaTokenProvider _tokens;
        private readonly string _userAgent;
        private readonly string? _accountHeader;

        private AhaPipeline(AhaClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? fallbackTime)
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
            _callPipeline = AhaResiliencePipelines.CreateCallPipeline(resilience, _rateLimit.SafetyMargin, Time, _logger);
            _attemptPipeline = AhaResiliencePipelines.CreateAttemptPipeline(resilience, Time);
        }

        /// <summary>The API root, with a trailing slash (the generated clients build relative URIs).</summary>
        internal Uri BaseAddress { get; }

        /// <summary>The clock of the limiter, retries and timeouts.</summary>
        internal TimeProvider Time { get; }

        /// <summary>The rate-limit state shared by every client using the same budget.</summary>
        internal AhaRateLimitState RateLimitState => _budget.State;

        /// <summary>The limiter of the shared budget.</summary>
        internal System.Threading.RateLimiting.RateLimiter Limiter => _budget.Limiter;

        /// <summary>Validates the options and builds the pipeline's shared parts (limiter budget, Polly pipelines).</summary>
        internal static AhaPipeline Create(AhaClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? fallbackTime = null)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            return new AhaPipeline(options, loggerFactory, fallbackTime);
        }

        /// <summary>Fresh handler instances (a handler can be chained only once), outermost first.</summary>
        internal IReadOnlyList<DelegatingHandler> CreateHandlers() => new DelegatingHandler[]
        {
            new TelemetryHandler(_logger, Time),
            new ErrorTranslationHandler(Time),
            new ResilienceHandler(_callPipeline),
            new RateLimitHandler(_budget, _rateLimit.Enabled, _rateLimit.PauseOnServerSignal, _logger),
            new AttemptTimeoutHandler(_attemptPipeline),
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
