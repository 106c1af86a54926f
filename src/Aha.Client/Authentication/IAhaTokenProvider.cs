using System;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Authentication
{
    /// <summary>
    /// Supplies the bearer token (an Aha! API key or an OAuth2 access token) for each attempt. Implement it to refresh
    /// an expiring OAuth2 token: the client asks again before every attempt, retries included, so a refreshed token is
    /// picked up at once. Implementations must be thread-safe and should cache the token until it nears expiry.
    /// </summary>
    public interface IAhaTokenProvider
    {
        /// <summary>Returns the token to send, without the <c>Bearer </c> prefix.</summary>
        /// <param name="cancellationToken">Cancels the lookup or refresh.</param>
        /// <returns>The current token.</returns>
        ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
    }

    /// <summary>Ready-made <see cref="IAhaTokenProvider"/>s.</summary>
    public static class AhaTokenProvider
    {
        /// <summary>A provider that always returns the same API key or token.</summary>
        /// <param name="token">The token.</param>
        /// <returns>The provider.</returns>
        public static IAhaTokenProvider FromToken(string token) => new StaticTokenProvider(token);

        /// <summary>A provider backed by a delegate, for example an OAuth2 library's "get a fresh access token" call.</summary>
        /// <param name="getToken">Returns the current token; called before every attempt.</param>
        /// <returns>The provider.</returns>
        public static IAhaTokenProvider FromDelegate(Func<CancellationToken, ValueTask<string>> getToken) => new DelegateTokenProvider(getToken);

        private sealed class StaticTokenProvider : IAhaTokenProvider
        {
            private readonly string _token;

            public StaticTokenProvider(string token) => _token = token ?? throw new ArgumentNullException(nameof(token));

            public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => new ValueTask<string>(_token);

            public override string ToString() => "StaticTokenProvider([redacted])";
        }

        private sealed class DelegateTokenProvider : IAhaTokenProvider
        {
            private readonly Func<CancellationToken, ValueTask<string>> _getToken;

            public DelegateTokenProvider(Func<CancellationToken, ValueTask<string>> getToken) => _getToken = getToken ?? throw new ArgumentNullException(nameof(getToken));

            public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _getToken(cancellationToken);
        }
    }
}
