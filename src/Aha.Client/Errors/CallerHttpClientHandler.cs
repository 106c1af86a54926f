using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Errors
{
    /// <summary>
    /// Sends through an <see cref="HttpClient"/> the caller built (<c>new AhaClient(httpClient)</c>), so the client can
    /// put its error step in front of it: the same typed exceptions as the options and dependency-injection paths,
    /// whatever handlers that client has. An <see cref="HttpClient"/> sends a request message only once, so each request
    /// is forwarded as a copy sharing the same content.
    /// </summary>
    internal sealed class CallerHttpClientHandler : HttpMessageHandler
    {
        private readonly HttpClient _client;

        private CallerHttpClientHandler(HttpClient client) => _client = client;

        /// <summary>
        /// An <see cref="HttpClient"/> over <paramref name="callerClient"/> with the error step in front; the caller's
        /// client keeps its own handlers, base address and timeout, and is not disposed.
        /// </summary>
        internal static HttpClient Wrap(HttpClient callerClient, TimeProvider time)
        {
            var errors = new ErrorTranslationHandler(time, ownPipeline: false) { InnerHandler = new CallerHttpClientHandler(callerClient) };
            return new HttpClient(errors, disposeHandler: false)
            {
                BaseAddress = callerClient.BaseAddress,

                // The caller's client applies its own Timeout; a second one here would hide which budget ran out.
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => _client.SendAsync(Copy(request), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

        private static HttpRequestMessage Copy(HttpRequestMessage request)
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri)
            {
                Content = request.Content,
                Version = request.Version,
            };
#if NET5_0_OR_GREATER
            copy.VersionPolicy = request.VersionPolicy;
            foreach (var option in request.Options)
            {
                ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
            }
#else
            foreach (var property in request.Properties)
            {
                copy.Properties[property.Key] = property.Value;
            }
#endif
            foreach (var header in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return copy;
        }
    }
}
