using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Resilience
{
    /// <summary>
    /// Gives a body-less POST/PATCH (for example <c>POST /features/{id}/convert_to_epic</c> or
    /// <c>POST /releases/{id}/duplicate</c>) an empty body, as Aha!'s own examples do (<c>curl -d ''</c>).
    /// </summary>
    /// <remarks>
    /// Why: <c>SocketsHttpHandler</c> silently re-sends a request that has no content when a pooled connection turns out
    /// to have been closed by the server after the headers went out (dotnet/runtime#86714). For a POST that re-send
    /// happens below every handler and could create a record twice. Once a request has content, the transport no
    /// longer re-sends it after the headers were written, so our own rules decide: a POST is never retried once it may
    /// have reached the server.
    /// </remarks>
    internal sealed class BodylessWriteGuardHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is null && !RetryRules.IsIdempotent(request.Method))
            {
                request.Content = new ByteArrayContent(Array.Empty<byte>());
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
