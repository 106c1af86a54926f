using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;

namespace Aha.Client
{
    /// <summary>
    /// Aha! answered with an error status. Carries the status, Aha!'s own message, the raw body (truncated), the
    /// request's method and path, and the request id when the server sent one. Never contains the token. Subclasses
    /// name the common cases: <see cref="AhaBadRequestException"/> (400), <see cref="AhaAuthenticationException"/>
    /// (401/403), <see cref="AhaNotFoundException"/> (404), <see cref="AhaRateLimitException"/> (429),
    /// <see cref="AhaServerException"/> (5xx) and <see cref="AhaTooMuchDataException"/> (504 on a GET). Failures
    /// without a status are the other subclasses of <see cref="AhaException"/>.
    /// </summary>
    public partial class AhaApiException : AhaException
    {
        /// <summary>The most characters of the body kept in <see cref="Response"/>.</summary>
        public const int MaxBodyLength = 4096;

        private static readonly IReadOnlyDictionary<string, IEnumerable<string>> NoHeaders = new Dictionary<string, IEnumerable<string>>();

        /// <summary>Creates the exception (signature used by the generated client).</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        public AhaApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
            : this(message, statusCode, response, headers, innerException, details: null)
        {
        }

        /// <summary>Creates the exception with the details the error step collects.</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        /// <param name="details">Request method and path, Aha!'s message, request id.</param>
        public AhaApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException, AhaErrorDetails? details)
            : base(message, details?.RequestMethod, details?.RequestPath, innerException)
        {
            StatusCode = statusCode;
            Response = Truncate(response);
            Headers = headers ?? NoHeaders;
            Kind = AhaErrorDetails.KindOf(statusCode, details?.RequestMethod);
            AhaMessage = details?.AhaMessage ?? AhaErrorDetails.ExtractMessage(response);
            RequestId = details?.RequestId ?? AhaErrorDetails.FindRequestId(Headers);
        }

        /// <summary>The HTTP status code.</summary>
        public int StatusCode { get; }

        /// <summary>The kind of error, from the status.</summary>
        public AhaErrorKind Kind { get; }

        /// <summary>Aha!'s own error message, when the body had one (JSON <c>message</c>, <c>error</c> or <c>errors</c>).</summary>
        public string? AhaMessage { get; }

        /// <summary>The response body, cut at <see cref="MaxBodyLength"/> characters.</summary>
        public string? Response { get; }

        /// <summary>The response headers.</summary>
        public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

        /// <summary>The server's request id (<c>X-Request-Id</c>), to quote to Aha! support.</summary>
        public string? RequestId { get; }

        private static string? Truncate(string? body)
        {
            if (body is null || body.Length <= MaxBodyLength)
            {
                return body;
            }

            return body.Substring(0, MaxBodyLength) + $"... [truncated, {body.Length} characters in all]";
        }

        internal static IReadOnlyDictionary<string, IEnumerable<string>> HeadersOf(HttpResponseMessage response)
        {
            var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in response.Headers)
            {
                headers[h.Key] = h.Value.ToArray();
            }

            if (response.Content != null)
            {
                foreach (var h in response.Content.Headers)
                {
                    headers[h.Key] = h.Value.ToArray();
                }
            }

            return headers;
        }
    }

    /// <summary>Aha! answered with an error status; <see cref="Result"/> is the error body the spec describes.</summary>
    /// <typeparam name="TResult">The error body's type.</typeparam>
    public partial class AhaApiException<TResult> : AhaApiException
    {
        /// <summary>Creates the exception (signature used by the generated client).</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="result">The deserialized error body.</param>
        /// <param name="innerException">The cause, if any.</param>
        public AhaApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
            : base(message, statusCode, response, headers, innerException)
        {
            Result = result;
        }

        /// <summary>The deserialized error body.</summary>
        public TResult Result { get; }
    }

    /// <summary>400: the request is malformed or fails Aha!'s validation; <see cref="AhaApiException.AhaMessage"/> says why.</summary>
    public class AhaBadRequestException : AhaApiException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        /// <param name="details">Request and server details.</param>
        public AhaBadRequestException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException, AhaErrorDetails? details)
            : base(message, statusCode, response, headers, innerException, details)
        {
        }
    }

    /// <summary>401 or 403: the API key or token is wrong, expired or revoked, or the user lacks permission. Aha! answers 403 for a bad token.</summary>
    public class AhaAuthenticationException : AhaApiException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        /// <param name="details">Request and server details.</param>
        public AhaAuthenticationException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException, AhaErrorDetails? details)
            : base(message, statusCode, response, headers, innerException, details)
        {
        }
    }

    /// <summary>404: the record does not exist, or the user has no access to it (Aha! answers 404 for both).</summary>
    public class AhaNotFoundException : AhaApiException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        /// <param name="details">Request and server details.</param>
        public AhaNotFoundException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException, AhaErrorDetails? details)
            : base(message, statusCode, response, headers, innerException, details)
        {
        }
    }

    /// <summary>429: still rate limited after the client's retries (or the wait exceeded the call's budget).</summary>
    public class AhaRateLimitException : AhaApiException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        /// <param name="details">Request and server details.</param>
        /// <param name="retryAfter">How long the server asked to wait, if it said.</param>
        public AhaRateLimitException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException, AhaErrorDetails? details, TimeSpan? retryAfter)
            : base(message, statusCode, response, headers, innerException, details)
        {
            RetryAfter = retryAfter;
        }

        /// <summary>How long the server asked to wait before retrying, when it said (<c>Retry-After</c>, <c>retry_after</c> or <c>X-Ratelimit-Reset</c>).</summary>
        public TimeSpan? RetryAfter { get; }
    }

    /// <summary>
    /// 5xx: Aha! failed to answer. Retried already for GET, PUT and DELETE; never repeated for POST or PATCH, which
    /// Aha! (or a gateway in front of it) may still have applied: the message says how to check before repeating one.
    /// </summary>
    public class AhaServerException : AhaApiException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        /// <param name="details">Request and server details.</param>
        public AhaServerException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException, AhaErrorDetails? details)
            : base(message, statusCode, response, headers, innerException, details)
        {
        }
    }

    /// <summary>
    /// 504 on a GET: Aha! timed out building the answer, usually because too much data was asked for: page a list
    /// (<c>per_page</c>) or limit the fields (<c>fields=</c>). A 504 on a write is an <see cref="AhaServerException"/>
    /// whose message says the write may have been applied.
    /// </summary>
    public class AhaTooMuchDataException : AhaServerException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The message.</param>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="response">The response body.</param>
        /// <param name="headers">The response headers.</param>
        /// <param name="innerException">The cause, if any.</param>
        /// <param name="details">Request and server details.</param>
        public AhaTooMuchDataException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException, AhaErrorDetails? details)
            : base(message, statusCode, response, headers, innerException, details)
        {
        }
    }
}
