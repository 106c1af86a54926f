using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Aha.Client.Resilience
{
    /// <summary>
    /// Which outcomes may be retried. The rule that matters most: a request that may have reached the server is retried
    /// only if repeating it is harmless (GET, PUT, DELETE...). A POST is retried only when the server provably did not
    /// process it: a 429, or a connection that could not even be opened.
    /// </summary>
    internal static class RetryRules
    {
        /// <summary>Methods that are safe to repeat: the same request twice leaves the same state.</summary>
        internal static bool IsIdempotent(HttpMethod method) =>
            method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete ||
            method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace;

        /// <summary>Statuses worth another try: 408, 500, 502, 503, 504.</summary>
        internal static bool IsTransientStatus(int status) => status == 408 || status == 500 || status == 502 || status == 503 || status == 504;

        /// <summary>Whether a failure is a transient one (for retries of idempotent requests and the circuit breaker).</summary>
        internal static bool IsTransientException(Exception exception) =>
            exception is HttpRequestException || exception is TimeoutRejectedException || exception is IOException;

        /// <summary>
        /// Whether the exception shows the server cannot have received the whole request, so even a POST may be sent
        /// again: the connection could not be opened (DNS failure, connection refused), or writing the request failed
        /// because the connection was already closed (<c>EPIPE</c>, <see cref="SocketError.Shutdown"/>: a pooled
        /// keep-alive connection that the server closed while idle, just as it was reused; <c>SocketsHttpHandler</c>
        /// retries that case itself only for requests without a body). A failed write means the request did not leave
        /// in full, and no server acts on a request it has not read to its end. A reset, or a connection closed while
        /// the answer was awaited, does not qualify: the server may have processed it.
        /// </summary>
        internal static bool NeverSent(Exception exception)
        {
#if NET8_0_OR_GREATER
            if (exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError })
            {
                return true;
            }
#endif
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.NoData:
                        case SocketError.TryAgain:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.AddressNotAvailable:
                        case SocketError.Shutdown: // EPIPE: only a write reports it, and the write did not go out
                            return true;
                        default:
                            return false;
                    }
                }
            }

            return false;
        }

        /// <summary>Decides whether an exception may be retried for this method; <paramref name="reason"/> says why not.</summary>
        internal static bool MayRetry(Exception exception, HttpMethod method, out string reason)
        {
            if (exception is BrokenCircuitException)
            {
                reason = "the circuit breaker is open";
                return false;
            }

            if (exception is OperationCanceledException && !(exception is TimeoutRejectedException))
            {
                reason = "the call was cancelled";
                return false;
            }

            if (!IsTransientException(exception))
            {
                reason = exception.GetType().Name + " is not transient";
                return false;
            }

            if (IsIdempotent(method) || NeverSent(exception))
            {
                reason = string.Empty;
                return true;
            }

            reason = $"{method.Method} is not idempotent and the request may have reached the server ({exception.GetType().Name})";
            return false;
        }

        /// <summary>Decides whether a response status may be retried for this method (429 is handled by the caller).</summary>
        internal static bool MayRetry(HttpStatusCode status, HttpMethod method, out string reason)
        {
            var code = (int)status;
            if (!IsTransientStatus(code))
            {
                reason = string.Empty;
                return false;
            }

            if (IsIdempotent(method))
            {
                reason = string.Empty;
                return true;
            }

            reason = $"{method.Method} is not idempotent and the server may have processed it ({code})";
            return false;
        }
    }
}
