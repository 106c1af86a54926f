using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Benchmarks.Infrastructure
{
    /// <summary>
    /// The in-memory transport of the overhead benchmarks: answers every request with the same recorded bytes, the way a
    /// socket would hand them over (a stream with Content-Length and a JSON content type, nothing pre-parsed), and
    /// drains any request body as a transport must (the client's serialization is part of what is measured).
    /// </summary>
    internal sealed class ReplayHandler : HttpMessageHandler
    {
        private static readonly MediaTypeHeaderValue Json = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        private readonly byte[] _body;

        public ReplayHandler(byte[] body) => _body = body;

        /// <summary>Bytes of the last request body (for the smoke check), when <see cref="KeepRequestBody"/> is set.</summary>
        public byte[]? LastRequestBody { get; private set; }

        public bool KeepRequestBody { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content != null)
            {
                if (KeepRequestBody)
                {
                    using var copy = new MemoryStream();
                    await request.Content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    LastRequestBody = copy.ToArray();
                }
                else
                {
                    await request.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                }
            }

            var content = new StreamContent(new MemoryStream(_body, writable: false));
            content.Headers.ContentType = Json;
            content.Headers.ContentLength = _body.Length;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }
}
