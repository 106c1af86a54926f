using System;

namespace Aha.Client
{
    /// <summary>
    /// The base of every exception a call to Aha! throws, however the client was built (<c>new AhaClient(options)</c>,
    /// <c>new AhaClient(httpClient)</c>, <c>services.AddAhaClient()</c>, a resource client from dependency injection or
    /// the sandbox's client). It names the request (<see cref="RequestMethod"/>, <see cref="RequestPath"/>, never the
    /// token) and keeps the low-level cause in <see cref="Exception.InnerException"/>.
    /// </summary>
    /// <remarks>
    /// <code>
    /// AhaException
    ///  ├ AhaApiException                 Aha! answered with an error status (StatusCode, AhaMessage, Response, RequestId)
    ///  │  ├ AhaBadRequestException         400
    ///  │  ├ AhaAuthenticationException     401, 403
    ///  │  ├ AhaNotFoundException           404
    ///  │  ├ AhaRateLimitException          429 after the retries (RetryAfter)
    ///  │  └ AhaServerException             5xx
    ///  │     └ AhaTooMuchDataException     504 on a GET
    ///  ├ AhaTransportException           no complete answer: connection refused or reset, DNS, body cut off
    ///  │  ├ AhaTimeoutException            a time budget ran out (not your CancellationToken)
    ///  │  └ AhaWriteOutcomeUnknownException  a POST/PATCH was sent but its answer was lost: it may have been applied
    ///  ├ AhaCircuitOpenException         the circuit breaker is open; nothing was sent
    ///  └ AhaRateLimitQueueFullException  the client-side rate-limit queue is full; nothing was sent
    /// </code>
    /// Cancelling the call with your own <see cref="System.Threading.CancellationToken"/> throws
    /// <see cref="OperationCanceledException"/>, as everywhere in .NET. Invalid arguments throw
    /// <see cref="ArgumentException"/> before anything is sent.
    /// </remarks>
    public class AhaException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What happened and what to do about it.</param>
        /// <param name="requestMethod">The request's method, when known.</param>
        /// <param name="requestPath">The request's path and query (credential-like values masked), when known.</param>
        /// <param name="innerException">The cause, if any.</param>
        public AhaException(string message, string? requestMethod, string? requestPath, Exception? innerException)
            : base(message, innerException)
        {
            RequestMethod = requestMethod;
            RequestPath = requestPath;
        }

        /// <summary>The request's method (GET, POST...), when known.</summary>
        public string? RequestMethod { get; }

        /// <summary>The request's path and query (credential-like query values masked), when known.</summary>
        public string? RequestPath { get; }
    }

    /// <summary>
    /// No complete answer arrived: the connection could not be opened, was reset, or the body was cut off, after the
    /// client's retries for a GET, PUT or DELETE. <see cref="MayHaveReachedServer"/> says whether Aha! may have seen the
    /// request. A POST or PATCH that may have reached Aha! throws <see cref="AhaWriteOutcomeUnknownException"/> instead.
    /// </summary>
    public class AhaTransportException : AhaException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What happened and what to do about it.</param>
        /// <param name="requestMethod">The request's method.</param>
        /// <param name="requestPath">The request's path and query, secrets masked.</param>
        /// <param name="mayHaveReachedServer">Whether the request may have reached Aha!.</param>
        /// <param name="innerException">The cause (an <see cref="System.Net.Http.HttpRequestException"/>, an <see cref="System.IO.IOException"/>...).</param>
        public AhaTransportException(string message, string? requestMethod, string? requestPath, bool mayHaveReachedServer, Exception? innerException)
            : base(message, requestMethod, requestPath, innerException)
        {
            MayHaveReachedServer = mayHaveReachedServer;
        }

        /// <summary>
        /// <c>false</c> when the request provably never left this machine (DNS failure, connection refused): nothing
        /// changed in Aha!. <c>true</c> when it may have been received and processed.
        /// </summary>
        public bool MayHaveReachedServer { get; }
    }

    /// <summary>
    /// A time budget ran out before the answer arrived: <c>AhaResilienceOptions.AttemptTimeout</c> or
    /// <c>TotalTimeout</c> (or <c>AhaRequestOptions</c> for the call), or the <see cref="System.Net.Http.HttpClient.Timeout"/>
    /// of an <see cref="System.Net.Http.HttpClient"/> you passed to <c>new AhaClient(httpClient)</c>. Your own
    /// <see cref="System.Threading.CancellationToken"/> throws <see cref="OperationCanceledException"/> instead.
    /// </summary>
    public class AhaTimeoutException : AhaTransportException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">Which budget ran out and how to raise it.</param>
        /// <param name="requestMethod">The request's method.</param>
        /// <param name="requestPath">The request's path and query, secrets masked.</param>
        /// <param name="timeout">The budget that ran out, when known.</param>
        /// <param name="mayHaveReachedServer">Whether the request may have reached Aha!.</param>
        /// <param name="innerException">The cause (Polly's <c>TimeoutRejectedException</c>, or a <see cref="TimeoutException"/>).</param>
        public AhaTimeoutException(string message, string? requestMethod, string? requestPath, TimeSpan? timeout, bool mayHaveReachedServer, Exception? innerException)
            : base(message, requestMethod, requestPath, mayHaveReachedServer, innerException)
        {
            Timeout = timeout;
        }

        /// <summary>The budget that ran out, when known.</summary>
        public TimeSpan? Timeout { get; }
    }

    /// <summary>
    /// A write (POST, PATCH, or any request that is not safe to repeat) was sent, but its answer was lost (connection
    /// reset, body cut off, timeout). Aha! may already have applied it, so the client did not send it again. Check
    /// before repeating it: read the record back (for example list the records changed since you sent it), or, if you
    /// set an integration field when creating it, look it up with
    /// <c>GET /api/v1/{records}/fields/{name}/value/{value}</c>.
    /// </summary>
    public class AhaWriteOutcomeUnknownException : AhaTransportException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What was lost and how to check whether the write took effect.</param>
        /// <param name="requestMethod">The request's method.</param>
        /// <param name="requestPath">The request's path and query, secrets masked.</param>
        /// <param name="timedOut">Whether a time budget ran out (rather than the connection failing).</param>
        /// <param name="innerException">The cause.</param>
        public AhaWriteOutcomeUnknownException(string message, string? requestMethod, string? requestPath, bool timedOut, Exception? innerException)
            : base(message, requestMethod, requestPath, mayHaveReachedServer: true, innerException)
        {
            TimedOut = timedOut;
        }

        /// <summary>Whether the answer was lost because a time budget ran out (rather than the connection failing).</summary>
        public bool TimedOut { get; }
    }

    /// <summary>
    /// The circuit breaker (<c>AhaResilienceOptions.CircuitBreaker</c>, off by default) is open after repeated
    /// failures, so the call failed fast: no further attempt was sent. Try again after <see cref="RetryAfter"/>.
    /// </summary>
    public class AhaCircuitOpenException : AhaException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What happened and when to try again.</param>
        /// <param name="requestMethod">The request's method.</param>
        /// <param name="requestPath">The request's path and query, secrets masked.</param>
        /// <param name="retryAfter">When the circuit lets a request through again, when known.</param>
        /// <param name="innerException">Polly's <c>BrokenCircuitException</c>.</param>
        public AhaCircuitOpenException(string message, string? requestMethod, string? requestPath, TimeSpan? retryAfter, Exception? innerException)
            : base(message, requestMethod, requestPath, innerException)
        {
            RetryAfter = retryAfter;
        }

        /// <summary>How long until the circuit lets a request through again, when known.</summary>
        public TimeSpan? RetryAfter { get; }
    }

    /// <summary>
    /// The client-side rate-limit queue is full (<c>AhaClientOptions.RateLimit.QueueLimit</c>, unbounded by default):
    /// the request was not sent. Send fewer requests at once, or raise the limit.
    /// </summary>
    public sealed class AhaRateLimitQueueFullException : AhaException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What was not sent and why.</param>
        /// <param name="requestMethod">The request's method.</param>
        /// <param name="requestPath">The request's path and query, secrets masked.</param>
        public AhaRateLimitQueueFullException(string message, string? requestMethod, string? requestPath)
            : base(message, requestMethod, requestPath, innerException: null)
        {
        }
    }
}
