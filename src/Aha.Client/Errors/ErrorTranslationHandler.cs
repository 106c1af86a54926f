using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Pipeline;
using Aha.Client.RateLimiting;
using Aha.Client.Telemetry;
using Polly.Timeout;

namespace Aha.Client.Errors
{
    /// <summary>
    /// Turns the final non-success response into a typed <see cref="AhaApiException"/> before the generated code (or
    /// your own <c>aha.HttpClient</c> call) sees it, and a Polly timeout into a <see cref="TimeoutException"/> that
    /// says which budget ran out. It sits outside the retry step, so only the outcome of the last attempt is
    /// translated.
    /// </summary>
    internal sealed class ErrorTranslationHandler : DelegatingHandler
    {
        private readonly TimeProvider _time;

        public ErrorTranslationHandler(TimeProvider time) => _time = time;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException timeout)
            {
                var attempts = RequestProperties.GetAttempts(request);
                throw new TimeoutException(
                    $"{request.Method.Method} {Redaction.DescribePath(request)} did not complete within {timeout.Timeout} ({attempts} attempt(s) sent). " +
                    "Raise AhaResilienceOptions.AttemptTimeout / TotalTimeout, or use aha.WithRequestOptions(...) for one call.",
                    timeout);
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
            var kind = AhaErrorDetails.KindOf(status);
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

            message.Append(Advice(kind, retryAfter, RequestProperties.GetAttempts(request)));
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

        private static string Advice(AhaErrorKind kind, TimeSpan? retryAfter, int attempts)
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
                    return " Aha! timed out building the answer, usually because too much data was asked for: page the request (page, per_page) or ask for fewer fields (fields=name,reference_num,...)." + tried;
                case AhaErrorKind.ServerError:
                    return tried;
                default:
                    return string.Empty;
            }
        }

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
