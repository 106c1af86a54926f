using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>A transport whose answer is a function of the request and its cancellation token (for hanging responses).</summary>
    internal sealed class DelegateHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _send;

        public DelegateHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) => _send = send;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _send(request, cancellationToken);

        /// <summary>Never answers; ends only when the attempt is cancelled.</summary>
        public static async Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable");
        }
    }
}
