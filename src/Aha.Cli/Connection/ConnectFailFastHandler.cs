using System;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Cli.Connection
{
    /// <summary>
    /// The tool's transport: a <see cref="SocketsHttpHandler"/> whose connection attempts (DNS, TCP and TLS) time out
    /// after <c>--connect-timeout</c>, and which ends the command at once when the first connection cannot be opened.
    /// Why: the client retries network errors with backoff (right for a long-running service, where the server comes
    /// back), so a mistyped account or an unreachable proxy would otherwise cost half a minute of silence before the
    /// same error. Once a response has arrived, the server is known to exist, and later connect failures go through the
    /// client's retries as usual.
    /// </summary>
    internal sealed class ConnectFailFastHandler : DelegatingHandler
    {
        private int _answered;

        public ConnectFailFastHandler(TimeSpan connectTimeout)
            : base(new SocketsHttpHandler
            {
                ConnectTimeout = connectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
        {
            ConnectTimeout = connectTimeout;
        }

        public TimeSpan ConnectTimeout { get; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _answered, 1);
                return response;
            }
            catch (Exception ex) when (Volatile.Read(ref _answered) == 0 && !cancellationToken.IsCancellationRequested
                                       && ConnectFailure.Describe(ex, request.RequestUri, ConnectTimeout) is { } reason)
            {
                // Not an HttpRequestException or IOException: the client's retry rules do not retry it.
                throw new ConnectFailedException(reason, ex);
            }
        }
    }

    /// <summary>The first connection to the server could not be opened; the message says why, in one line.</summary>
    internal sealed class ConnectFailedException : Exception
    {
        public ConnectFailedException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }

    /// <summary>Turns a failed connection attempt into one line naming the reason: DNS, refused, TLS or timeout.</summary>
    internal static class ConnectFailure
    {
        /// <summary>The reason a connection could not be opened, or null when <paramref name="error"/> is not a connect failure.</summary>
        public static string? Describe(Exception error, Uri? uri, TimeSpan? connectTimeout = null)
        {
            var where = uri is null ? "the server" : uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var reason = Reason(error, where, connectTimeout);
            return reason is null ? null : $"cannot connect to {where}: {reason}";
        }

        private static string? Reason(Exception error, string where, TimeSpan? connectTimeout)
        {
            System.Net.Sockets.SocketException? socket = null;
            AuthenticationException? tls = null;
            TimeoutException? timeout = null;
            for (var e = error; e != null; e = e.InnerException)
            {
                socket ??= e as System.Net.Sockets.SocketException;
                tls ??= e as AuthenticationException;
                timeout ??= e as TimeoutException;
            }

            var requestError = error is HttpRequestException http ? http.HttpRequestError : HttpRequestError.Unknown;
            if (tls != null || requestError == HttpRequestError.SecureConnectionError)
            {
                return "TLS handshake failed (" + Inner(tls ?? error) + ")";
            }

            if (requestError == HttpRequestError.NameResolutionError || socket?.SocketErrorCode is System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain)
            {
                return "DNS name not found (check the account name or --base-url)";
            }

            switch (socket?.SocketErrorCode)
            {
                case System.Net.Sockets.SocketError.ConnectionRefused:
                    return "connection refused (nothing listens on that port)";
                case System.Net.Sockets.SocketError.HostUnreachable:
                case System.Net.Sockets.SocketError.NetworkUnreachable:
                case System.Net.Sockets.SocketError.HostDown:
                    return "host unreachable (" + socket.Message + ")";
                case System.Net.Sockets.SocketError.TimedOut:
                    return TimedOut(connectTimeout);
            }

            if (timeout != null && (error is HttpRequestException || error is OperationCanceledException))
            {
                return TimedOut(connectTimeout);
            }

            if (requestError == HttpRequestError.ConnectionError)
            {
                return Inner(error);
            }

            return null;
        }

        private static string TimedOut(TimeSpan? connectTimeout) => connectTimeout is { } t
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, "timed out connecting after {0:0.#} s (--connect-timeout)", t.TotalSeconds)
            : "timed out connecting";

        private static string Inner(Exception error)
        {
            var e = error;
            while (e.InnerException != null)
            {
                e = e.InnerException;
            }

            return e.Message.TrimEnd('.');
        }
    }
}
