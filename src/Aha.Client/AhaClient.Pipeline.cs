using System;
using System.Net.Http;
using Aha.Client.Configuration;
using Aha.Client.Pipeline;
using Aha.Client.RateLimiting;
using Aha.Client.Resilience;
using Microsoft.Extensions.Logging;

namespace Aha.Client
{
    /// <summary>The hand-written half of <see cref="AhaClient"/> that builds and exposes the request pipeline.</summary>
    public partial class AhaClient
    {
        /// <summary>
        /// Creates a client without dependency injection, with the same pipeline <c>services.AddAhaClient()</c> builds:
        /// telemetry, typed errors, retries and timeouts, the process-wide rate limiter, and authentication.
        /// </summary>
        /// <param name="options">Account or base URL, token, limits, retries. Validated here: an
        /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> lists every problem.</param>
        /// <param name="primaryHandler">The transport; by default one shared by all such clients in the process. It is not
        /// disposed by the client.</param>
        /// <param name="loggerFactory">Where log events go; none by default.</param>
        public AhaClient(AhaClientOptions options, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null)
            : this(AhaPipeline.Create(options, loggerFactory), primaryHandler)
        {
        }

        private AhaClient(AhaPipeline pipeline, HttpMessageHandler? primaryHandler)
            : this(pipeline.CreateHttpClient(primaryHandler ?? SharedTransport.Instance), pipeline.RateLimitState, hasAhaPipeline: true)
        {
        }

        /// <summary>Creates the client over an <see cref="System.Net.Http.HttpClient"/>.</summary>
        /// <param name="httpClient">The client to send with.</param>
        /// <param name="rateLimit">The shared rate-limit state; the process default when null.</param>
        /// <param name="hasAhaPipeline"><c>true</c> when <paramref name="httpClient"/> runs the Aha! pipeline (options and
        /// dependency-injection paths). Otherwise (the caller's own client) the error step is put in front of it, so
        /// every failure is an <see cref="AhaException"/> on every path.</param>
        internal AhaClient(HttpClient httpClient, AhaRateLimitState? rateLimit, bool hasAhaPipeline = false)
        {
            if (httpClient is null)
            {
                throw new ArgumentNullException(nameof(httpClient));
            }

            if (httpClient.BaseAddress is null)
            {
                throw new ArgumentException("HttpClient.BaseAddress must be set to the Aha! API root, for example https://company.aha.io/api/v1/.", nameof(httpClient));
            }

            HttpClient = hasAhaPipeline ? httpClient : Errors.CallerHttpClientHandler.Wrap(httpClient, TimeProvider.System);
            RateLimit = rateLimit ?? RateLimitBudget.Default.State;
        }

        /// <summary>
        /// What the client knows of the rate-limit budget: <see cref="AhaRateLimitState.Remaining"/>,
        /// <see cref="AhaRateLimitState.ResetsAt"/> and any pause in force. Shared by every client drawing from the same
        /// budget (by default, all clients in the process with the same limits).
        /// </summary>
        public virtual AhaRateLimitState RateLimit { get; }

        /// <summary>
        /// Overrides retries and timeouts for the calls made inside the returned scope, including across
        /// <c>await</c>s: <c>using (aha.WithRequestOptions(AhaRequestOptions.NoRetries)) { ... }</c>, or a larger
        /// <see cref="AhaRequestOptions.TotalTimeout"/> for a bulk job. Scopes nest; dispose to end one. The scope is
        /// ambient, so it applies to every Aha! client called inside it; for one call, set
        /// <see cref="AhaOperationOptions.RequestOptions"/> on that call's options instead.
        /// </summary>
        /// <param name="options">The overrides; unset values keep the enclosing scope's or the client's.</param>
        /// <returns>Disposing it restores the previous settings.</returns>
        public virtual IDisposable WithRequestOptions(AhaRequestOptions options) => AhaRequestOptions.Push(options);
    }
}
