using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Authentication
{
    /// <summary>
    /// Innermost step of the pipeline: adds <c>Authorization: Bearer</c>, the <c>User-Agent</c> and, for the shared
    /// host, <c>X-Aha-Account</c> to every attempt. Innermost so that a token refreshed between retries is used, and so
    /// that no outer step (logging, errors) ever holds the header.
    /// </summary>
    internal sealed class AuthenticationHandler : DelegatingHandler
    {
        internal const string AccountHeader = "X-Aha-Account";

        private readonly IAhaTokenProvider _tokens;
        private readonly string _userAgent;
        private readonly string? _account;

        public AuthenticationHandler(IAhaTokenProvider tokens, string userAgent, string? account)
        {
            _tokens = tokens;
            _userAgent = userAgent;
            _account = account;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new InvalidOperationException("The Aha! token provider returned an empty token.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

            // Always ours: Aha! asks every integration to identify itself with a contact.
            request.Headers.Remove("User-Agent");
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);

            if (_account != null)
            {
                request.Headers.Remove(AccountHeader);
                request.Headers.TryAddWithoutValidation(AccountHeader, _account);
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
