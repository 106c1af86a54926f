using System;
using System.Net.Http;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Aha.Client.Pipeline;

namespace Aha.Client.RateLimiting
{
    /// <summary>
    /// The last step before the transport: releases the attempt's rate-limit permit the moment the response headers
    /// arrive (the earliest moment the server has surely counted the request), so that reading and buffering the body
    /// does not keep the place in the window. A 429 keeps the permit: <see cref="RateLimitHandler"/> pauses the budget
    /// on the server's delay first and then refunds it. A failed send releases it at the failure.
    /// </summary>
    internal sealed class PermitArrivalHandler : DelegatingHandler
    {
        /// <summary>The attempt's lease, set by <see cref="RateLimitHandler"/>.</summary>
        internal const string LeaseKey = "Aha.Client.RateLimitLease";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var box = RequestProperties.Get<LeaseBox>(request, LeaseKey);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                box?.Release();
                throw;
            }

            if ((int)response.StatusCode != 429)
            {
                box?.Release();
            }

            return response;
        }

        /// <summary>One attempt's lease; released at most once.</summary>
        internal sealed class LeaseBox
        {
            private RateLimitLease? _lease;

            public LeaseBox(RateLimitLease lease) => _lease = lease;

            public void Release() => Interlocked.Exchange(ref _lease, null)?.Dispose();
        }
    }
}
