using System;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Threading.Tasks;
using Aha.Sandbox.Chaos;
using Aha.Sandbox.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aha.Sandbox.Http
{
    /// <summary>
    /// The behaviour around every request, in the order Aha! applies it: count it, rate-limit it per source IP, check
    /// the bearer token, maybe inject a fault, run the endpoint, then write the answer (maybe truncated, or failed after
    /// the write was committed) with the <c>X-Ratelimit-*</c> headers.
    /// </summary>
    internal sealed class SandboxPipeline
    {
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            // Aha! sends UTF-8 text as is; escaping non-ASCII would hide encoding bugs in clients.
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        };

        private readonly AhaSandboxOptions _options;
        private readonly SandboxStatistics _statistics;
        private readonly SlidingLogRateLimiter _limiter;
        private readonly ChaosPolicy _chaos;
        private readonly string _expectedAuthorization;

        public SandboxPipeline(AhaSandboxOptions options, SandboxStatistics statistics, SlidingLogRateLimiter limiter, ChaosPolicy chaos)
        {
            _options = options;
            _statistics = statistics;
            _limiter = limiter;
            _chaos = chaos;
            _expectedAuthorization = "Bearer " + options.Token;
        }

        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            var endpoint = context.GetEndpoint() as RouteEndpoint;
            var method = context.Request.Method;
            _statistics.Received(method + " " + (endpoint?.RoutePattern.RawText ?? "(no route)"));

            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            RateLimitDecision? state = null;
            if (_options.RateLimit.Enabled)
            {
                var decision = _limiter.TryAcquire(client);
                if (!decision.Accepted)
                {
                    _statistics.RateLimited();
                    await WriteRateLimitedAsync(context, decision).ConfigureAwait(false);
                    return;
                }

                state = decision;
            }

            _statistics.Accepted();

            if (!string.Equals(context.Request.Headers.Authorization.ToString(), _expectedAuthorization, StringComparison.Ordinal))
            {
                _statistics.Forbidden();
                await WriteAsync(context, ApiResult.Error(403, "Authentication failed: send Authorization: Bearer <API key or OAuth token>."), state).ConfigureAwait(false);
                return;
            }

            var draw = _chaos.Draw(method, context.Request.Path + context.Request.QueryString);
            switch (draw.Fault)
            {
                case ChaosFault.DroppedConnection:
                    _statistics.Fault(ChaosFault.DroppedConnection);
                    context.Abort();
                    return;
                case ChaosFault.ServerError:
                    _statistics.Fault(ChaosFault.ServerError);
                    var status = new[] { 500, 502, 503, 504 }[draw.Variant % 4];
                    await WriteAsync(context, ApiResult.Error(status, "Injected by the sandbox's chaos options."), state).ConfigureAwait(false);
                    return;
                case ChaosFault.HtmlErrorPage:
                    _statistics.Fault(ChaosFault.HtmlErrorPage);
                    await WriteHtmlErrorAsync(context, draw.Variant % 2 == 0 ? 502 : 503, state).ConfigureAwait(false);
                    return;
                case ChaosFault.SlowResponse:
                    // The timer exists before the fault is counted, so a test that sees the count can advance a fake clock safely.
                    var delay = Task.Delay(_options.Chaos.SlowResponseDelay, _options.TimeProvider, context.RequestAborted);
                    _statistics.Fault(ChaosFault.SlowResponse);
                    await delay.ConfigureAwait(false);
                    break;
            }

            await next(context).ConfigureAwait(false);
            if (context.Response.HasStarted)
            {
                return;
            }

            var result = context.Items[SandboxApi.ResultKey] as ApiResult
                ?? ApiResult.Error(404, $"No such API route: {method} {context.Request.Path}.");

            if (draw.Fault == ChaosFault.FailAfterCommit && result.Status == 200)
            {
                _statistics.Fault(ChaosFault.FailAfterCommit);
                if (draw.Variant % 2 == 0)
                {
                    await WriteAsync(context, ApiResult.Error(500, "Injected by the sandbox's chaos options (after the write was committed)."), state).ConfigureAwait(false);
                }
                else
                {
                    context.Abort();
                }

                return;
            }

            if (draw.Fault == ChaosFault.TruncatedBody && result.Body != null)
            {
                _statistics.Fault(ChaosFault.TruncatedBody);
                var bytes = Serialize(result.Body);
                PrepareHeaders(context, result.Status, state);
                AddHeaders(context, result);
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2)).ConfigureAwait(false);
                await context.Response.Body.FlushAsync().ConfigureAwait(false);
                context.Abort();
                return;
            }

            await WriteAsync(context, result, state).ConfigureAwait(false);
        }

        private async Task WriteRateLimitedAsync(HttpContext context, RateLimitDecision decision)
        {
            var signals = _options.RateLimit.On429;
            var seconds = Math.Max(1, (long)Math.Ceiling(decision.ResetIn.TotalSeconds));
            context.Response.StatusCode = 429;
            if (signals.HasFlag(RateLimitSignals.RetryAfter))
            {
                context.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            }

            if (signals.HasFlag(RateLimitSignals.RetryAfterUnderscore))
            {
                context.Response.Headers["retry_after"] = seconds.ToString(CultureInfo.InvariantCulture);
            }

            if (signals.HasFlag(RateLimitSignals.XRatelimit))
            {
                SetRateLimitHeaders(context, decision);
            }

            if (signals.HasFlag(RateLimitSignals.Body))
            {
                var body = new JsonObject
                {
                    ["error"] = "Rate limit exceeded",
                    ["message"] = "API rate limit exceeded. Please wait before making additional requests.",
                    ["retry_after"] = seconds,
                };
                var bytes = Serialize(body);
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
            }
            else
            {
                context.Response.ContentLength = 0;
            }
        }

        private async Task WriteAsync(HttpContext context, ApiResult result, RateLimitDecision? state)
        {
            PrepareHeaders(context, result.Status, state);
            AddHeaders(context, result);
            if (result.Body == null)
            {
                return;
            }

            var bytes = Serialize(result.Body);
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
        }

        private async Task WriteHtmlErrorAsync(HttpContext context, int status, RateLimitDecision? state)
        {
            PrepareHeaders(context, status, state);
            var title = status == 502 ? "502 Bad Gateway" : "503 Service Temporarily Unavailable";
            var html = Encoding.UTF8.GetBytes($"<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n<center><h1>{title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n");
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = html.Length;
            await context.Response.Body.WriteAsync(html).ConfigureAwait(false);
        }

        private void PrepareHeaders(HttpContext context, int status, RateLimitDecision? state)
        {
            context.Response.StatusCode = status;
            if (state is RateLimitDecision decision && _options.RateLimit.XRatelimitOnEveryResponse)
            {
                SetRateLimitHeaders(context, decision);
            }
        }

        private static void AddHeaders(HttpContext context, ApiResult result)
        {
            foreach (var (name, value) in result.Headers)
            {
                context.Response.Headers[name] = value;
            }
        }

        private void SetRateLimitHeaders(HttpContext context, RateLimitDecision decision)
        {
            var reset = _options.TimeProvider.GetUtcNow() + decision.ResetIn;
            var epoch = (long)Math.Ceiling(reset.ToUnixTimeMilliseconds() / 1000.0);
            context.Response.Headers["X-Ratelimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-Ratelimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-Ratelimit-Reset"] = epoch.ToString(CultureInfo.InvariantCulture);
        }

        internal static byte[] Serialize(JsonNode body) => Encoding.UTF8.GetBytes(body.ToJsonString(Json));
    }
}
