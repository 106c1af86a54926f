using System;
using System.Net.Http;

namespace Aha.Client
{
    /// <summary>
    /// Entry point of the Aha! client: one property per resource group (<c>aha.Features</c>, <c>aha.Ideas</c>, ...),
    /// each a client generated from <c>openapi/aha.yaml</c>, all sharing one <see cref="HttpClient"/> and so one
    /// handler pipeline (authentication, rate limiting, retries, errors, telemetry). Thread-safe: create one per
    /// configuration and share it (with dependency injection it is registered for you). Every member is virtual and
    /// the protected constructor makes it mockable (Moq, NSubstitute).
    /// </summary>
    public partial class AhaClient
    {
        /// <summary>
        /// Creates a client over an <see cref="HttpClient"/> that is already configured: its
        /// <see cref="HttpClient.BaseAddress"/> must be the API root (for example <c>https://company.aha.io/api/v1/</c>)
        /// and its handlers must add authentication. Prefer <c>services.AddAhaClient(...)</c> or the options
        /// constructor, which build that pipeline for you.
        /// </summary>
        /// <param name="httpClient">The HTTP client to send requests with. It is not disposed by this client. The client
        /// puts its error step in front of it (<see cref="HttpClient"/> is that thin wrapper), so every failure is an
        /// <see cref="AhaException"/> here too: a 404 is an <see cref="AhaNotFoundException"/>, its <c>Timeout</c> an
        /// <see cref="AhaTimeoutException"/>.</param>
        public AhaClient(HttpClient httpClient)
            : this(httpClient, rateLimit: null)
        {
        }

        /// <summary>For mocking and test doubles only: an instance made this way has no connection; override the members
        /// you use (for example <c>Features</c>, returning a mocked <see cref="FeaturesClient"/>).</summary>
        protected AhaClient()
        {
            HttpClient = null!;
            RateLimit = null!;
        }

        /// <summary>The HTTP client every resource client sends its requests with.</summary>
        public virtual HttpClient HttpClient { get; }
    }
}
