using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Pipeline;
using Aha.Client.RateLimiting;
using Aha.Client.Telemetry;
using Aha.Client.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Aha.Client.Errors
{
    /// <summary>
    /// Makes every failure of a call an <see cref="AhaException"/> before the generated code (or your own
    /// <c>aha.HttpClient</c> call) sees it: the final non-success response becomes a typed <see cref="AhaApiException"/>,
    /// a transport failure an <see cref="AhaTransportException"/> (or, for a write whose answer was lost,
    /// <see cref="AhaWriteOutcomeUnknownException"/>), a timeout an <see cref="AhaTimeoutException"/> and an open circuit
    /// an <see cref="AhaCircuitOpenException"/>. Cancellation by the caller's token stays an
    /// <see cref="OperationCanceledException"/>. It sits outside the retry step, so only the outcome of the last attempt
    /// is translated. Exceptions thrown by your own code (handlers, token provider) pass through unchanged.
    /// </summary>
    internal sealed class ErrorTranslationHandler : DelegatingHandler
    {
        private readonly TimeProvider _time;
        private readonly bool _ownPipeline;

        /// <summary>Creates the step.</summary>
        /// <param name="time">The clock (for <c>Retry-After</c> dates).</param>
        /// <param name="ownPipeline"><c>true</c> inside the client's own pipeline, whose attempt step buffers the body and
        /// records whether the last attempt went unanswered; <c>false</c> over an <see cref="HttpClient"/> the caller built,
        /// where this step buffers the body itself and assumes any failed write may have been sent.</param>
        public ErrorTranslationHandler(TimeProvider time, bool ownPipeline = true)
        {
            _time = time;
            _ownPipeline = ownPipeline;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!_ownPipeline && response.Content != null && !(response.Content is PooledBufferContent))
                {
                    // A body cut off mid-way must fail here, as a transport failure, not later inside the generated code.
                    try
                    {
                        response.Content = await PooledBufferContent.LoadAsync(response.Content, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
                }
            }
            catch (Exception ex) when (Translate(request, ex, cancellationToken) is { } translated)
            {
                throw translated;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await CreateExceptionAsync(request, response, _time.GetUtcNow()).ConfigureAwait(false);
            }
        }

        /// <summary>The <see cref="AhaException"/> for a failure without a response, or null to let it pass unchanged.</summary>
        internal AhaException? Translate(HttpRequestMessage request, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is AhaException)
            {
                return null;
            }

            var isTimeout = exception is TimeoutRejectedException || exception is TimeoutException ||
                            (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
            if (exception is OperationCanceledException && !isTimeout)
            {
                return null; // the caller's own cancellation: .NET convention, stays OperationCanceledException
            }

            var method = request.Method.Method;
            var path = Redaction.DescribePath(request);
            var attempts = RequestProperties.GetAttempts(request);
            var sent = attempts > 0 ? $" ({attempts} attempt(s) sent)" : string.Empty;

            if (exception is BrokenCircuitException broken)
            {
                var retryAfter = broken.RetryAfter;
                return new AhaCircuitOpenException(
                    $"{method} {path} failed fast: the circuit breaker is open after repeated failures of Aha! (AhaResilienceOptions.CircuitBreaker), so no further attempt was sent{sent}. " +
                    (retryAfter is { } r ? $"It lets a request through again in {r}." : "Try again after its break duration."),
                    method, path, retryAfter, exception);
            }

            if (!isTimeout && !IsTransport(exception))
            {
                return null; // not a failure of the call's transport: a bug or a failure of the caller's own code
            }

            // Whether the request may have reached Aha!. In our pipeline the attempt step knows; over a caller's
            // HttpClient we cannot, so a failed write is assumed to have been sent (never risk a duplicate).
            bool mayHaveReached;
            if (!isTimeout && RetryRules.NeverSent(exception))
            {
                mayHaveReached = false;
            }
            else if (_ownPipeline)
            {
                mayHaveReached = RequestProperties.GetUnanswered(request) ?? false;
            }
            else
            {
                mayHaveReached = true;
            }

            var cause = Redaction.MaskSecrets(Describe(exception));
            if (mayHaveReached && !RetryRules.IsIdempotent(request.Method))
            {
                return new AhaWriteOutcomeUnknownException(
                    $"{method} {path}: the outcome is unknown. The request was sent but its answer was lost ({cause}){sent}, so Aha! may already have applied it; " +
                    "it was not sent again, because repeating a write could duplicate it. Before repeating it, check whether it took effect: read the record back " +
                    "(for example list the records created or updated since), or, if you set an integration field when creating it, look it up with " +
                    "GET /api/v1/{records}/fields/{name}/value/{value}.",
                    method, path, timedOut: isTimeout, exception);
            }

            if (isTimeout)
            {
                var budget = exception is TimeoutRejectedException polly ? (TimeSpan?)polly.Timeout : null;
                var what = budget is { } b ? $"within {b}" : "in time";
                var advice = _ownPipeline
                    ? "Raise AhaResilienceOptions.AttemptTimeout / TotalTimeout, or use aha.WithRequestOptions(...) for one call."
                    : "Raise the Timeout of the HttpClient passed to new AhaClient(HttpClient), or build the client with new AhaClient(options) or services.AddAhaClient().";
                var notSent = mayHaveReached || RetryRules.IsIdempotent(request.Method) ? string.Empty : " Nothing was sent, so nothing changed in Aha!.";
                return new AhaTimeoutException(
                    $"{method} {path} did not complete {what}{sent}.{notSent} {advice}",
                    method, path, budget, mayHaveReached, exception);
            }

            if (!mayHaveReached)
            {
                return new AhaTransportException(
                    $"{method} {path} was not sent: could not connect to Aha! ({cause}){sent}. Nothing changed in Aha!. " +
                    "Check the account name or BaseUrl, DNS, proxy and network; the request is safe to send again.",
                    method, path, mayHaveReachedServer: false, exception);
            }

            return new AhaTransportException(
                $"{method} {path} failed: the connection broke before the whole answer arrived ({cause}){sent}. " +
                "The request is safe to repeat; if this persists, check the network, proxy, or Aha!'s status.",
                method, path, mayHaveReachedServer: true, exception);
        }

        private static bool IsTransport(Exception exception) =>
            exception is HttpRequestException || exception is System.IO.IOException || exception is System.Net.Sockets.SocketException;

        // The most useful message of the chain: HttpRequestException's outer message is often generic.
        private static string Describe(Exception exception)
        {
            var text = exception.Message;
            var inner = exception.InnerException;
            text = text.TrimEnd('.', ' ');
            if (inner != null && !string.IsNullOrEmpty(inner.Message) && !text.Contains(inner.Message))
            {
                text += ": " + inner.Message.TrimEnd('.', ' ');
            }

            return text;
        }

        internal static async Task<AhaApiException> CreateExceptionAsync(HttpRequestMessage request, HttpResponseMessage response, DateTimeOffset now)
        {
            string? body = null;
            if (response.Content != null)
            {
                try
                {
                    body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is System.IO.IOException || ex is InvalidOperationException)
                {
                    body = null;
                }
            }

            var status = (int)response.StatusCode;
            var headers = AhaApiException.HeadersOf(response);
            var method = request.Method.Method;
            var path = Redaction.DescribePath(request);
            var ahaMessage = AhaErrorDetails.ExtractMessage(body);
            var details = new AhaErrorDetails(method, path, ahaMessage, AhaErrorDetails.FindRequestId(headers));
            var kind = AhaErrorDetails.KindOf(status, method);
            TimeSpan? retryAfter = kind == AhaErrorKind.RateLimited ? RateLimitHeaders.GetRetryDelay(response, body, now) : null;

            var message = new StringBuilder();
            message.Append(method).Append(' ').Append(path).Append(" failed: ").Append(status);
            if (!string.IsNullOrEmpty(response.ReasonPhrase))
            {
                message.Append(' ').Append(response.ReasonPhrase);
            }

            message.Append('.');
            if (ahaMessage != null)
            {
                message.Append(" Aha! says: \"").Append(ahaMessage).Append("\".");
            }
            else if (!string.IsNullOrWhiteSpace(body))
            {
                message.Append(' ').Append(Capitalize(AhaErrorDetails.DescribeNonJson(body, response.Content?.Headers.ContentType?.MediaType))).Append('.');
            }

            message.Append(Advice(kind, status, request, retryAfter, RequestProperties.GetAttempts(request)));
            if (details.RequestId != null)
            {
                message.Append(" Request id: ").Append(details.RequestId).Append('.');
            }

            var text = message.ToString();
            switch (kind)
            {
                case AhaErrorKind.BadRequest: return new AhaBadRequestException(text, status, body, headers, null, details);
                case AhaErrorKind.Authentication: return new AhaAuthenticationException(text, status, body, headers, null, details);
                case AhaErrorKind.NotFound: return new AhaNotFoundException(text, status, body, headers, null, details);
                case AhaErrorKind.RateLimited: return new AhaRateLimitException(text, status, body, headers, null, details, retryAfter);
                case AhaErrorKind.TooMuchData: return new AhaTooMuchDataException(text, status, body, headers, null, details);
                case AhaErrorKind.ServerError: return new AhaServerException(text, status, body, headers, null, details);
                default: return new AhaApiException(text, status, body, headers, null, details);
            }
        }

        private static string Advice(AhaErrorKind kind, int status, HttpRequestMessage request, TimeSpan? retryAfter, int attempts)
        {
            var tried = attempts > 1 ? $" ({attempts} attempts sent.)" : string.Empty;
            switch (kind)
            {
                case AhaErrorKind.Authentication:
                    return " Check the API key or OAuth2 token and the user's permissions: Aha! answers 403 when the token is wrong, expired or revoked.";
                case AhaErrorKind.NotFound:
                    return " The record does not exist, or the user has no access to it (Aha! answers 404 for both).";
                case AhaErrorKind.RateLimited:
                    return " The rate limit (20 requests per second, 300 per minute per IP address) is still exceeded" +
                           (retryAfter is { } d ? $"; the server asks to wait {d}" : string.Empty) + "." + tried;
                case AhaErrorKind.TooMuchData:
                    return (IsList(request)
                        ? " Aha! timed out building the answer, usually because too much data was asked for: ask for fewer records per page (per_page) or fewer fields (fields=name,reference_num,...)."
                        : " Aha! timed out building the answer: ask for fewer fields (fields=name,reference_num,...), or try again later.") + tried;
                case AhaErrorKind.ServerError:
                    if (!RetryRules.IsIdempotent(request.Method))
                    {
                        // The write reached Aha! (or a gateway in front of it) and was not repeated: it may have been applied.
                        return $" Aha!{(status == 502 || status == 504 ? " or a gateway in front of it" : string.Empty)} failed while handling the {request.Method.Method}, " +
                               "which may still have been applied, so it was not sent again. Before repeating it, check whether it took effect: read the record back, " +
                               "or look it up by an integration field you set (GET /api/v1/{records}/fields/{name}/value/{value})." + tried;
                    }

                    return tried;
                default:
                    return string.Empty;
            }
        }

        // A list ends in a resource name (".../features"); a single record in its id or key ("features/APP-12").
        private static bool IsList(HttpRequestMessage request)
        {
            var path = request.RequestUri is { } uri ? (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0]) : string.Empty;
            var segments = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            return segments.Length == 0 || !segments[segments.Length - 1].Any(char.IsDigit);
        }

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
