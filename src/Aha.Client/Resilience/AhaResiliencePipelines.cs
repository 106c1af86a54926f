using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.Pipeline;
using Aha.Client.RateLimiting;
using Aha.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Aha.Client.Resilience
{
    /// <summary>
    /// Builds the Polly v8 pipelines of the client. Two pipelines, because one timeout must include the limiter's queue
    /// and the other must not:
    /// <list type="number">
    /// <item><b>Call pipeline</b> (outside the rate limiter, run by <c>ResilienceHandler</c> from
    /// Microsoft.Extensions.Http.Resilience): total timeout (the call's whole budget) → retry → optional circuit
    /// breaker.</item>
    /// <item><b>Attempt pipeline</b> (inside the rate limiter): the per-attempt timeout, so time queued for a permit
    /// never counts as a slow attempt.</item>
    /// </list>
    /// </summary>
    internal static class AhaResiliencePipelines
    {
        private static readonly ResiliencePropertyKey<DateTimeOffset> DeadlineKey = new ResiliencePropertyKey<DateTimeOffset>("Aha.Client.Deadline");

        internal static ResiliencePipeline<HttpResponseMessage> CreateCallPipeline(AhaResilienceOptions defaults, TimeSpan serverDelayMargin, TimeProvider time, ILogger logger)
        {
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time, Name = "Aha.Client.Call" };

            builder.AddTimeout(new TimeoutStrategyOptions
            {
                Name = "TotalTimeout",
                TimeoutGenerator = args =>
                {
                    var total = AhaRequestOptions.For(args.Context.GetRequestMessage())?.TotalTimeout ?? defaults.TotalTimeout;
                    var deadline = total == Timeout.InfiniteTimeSpan || total <= TimeSpan.Zero ? DateTimeOffset.MaxValue : time.GetUtcNow() + total;
                    args.Context.Properties.Set(DeadlineKey, deadline);
                    return new ValueTask<TimeSpan>(total <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : total);
                },
            });

            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = int.MaxValue, // the real bound is per call, in ShouldHandle
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = defaults.UseJitter,
                Delay = defaults.BaseDelay,
                MaxDelay = defaults.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.AttemptNumber, args.Context, defaults, serverDelayMargin, time, logger)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(ServerDelay(args.Outcome, args.Context, serverDelayMargin, time)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var rateLimited = args.Outcome.Result is { } r && (int)r.StatusCode == 429;
                    var outcome = args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString() ?? "?";
                    AhaTelemetry.Retries.Add(1, AhaTelemetry.Tag("aha.retry.reason", rateLimited ? "rate_limited" : outcome));
                    Log.Retrying(logger, request?.Method.Method ?? "?", Redaction.DescribePath(request), args.AttemptNumber + 1, outcome, args.RetryDelay, rateLimited);
                    return default;
                },
            });

            var cb = defaults.CircuitBreaker;
            if (cb.Enabled)
            {
                builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
                {
                    Name = "CircuitBreaker",
                    FailureRatio = cb.FailureRatio,
                    MinimumThroughput = cb.MinimumThroughput,
                    SamplingDuration = cb.SamplingDuration,
                    BreakDuration = cb.BreakDuration,
                    ShouldHandle = args => new ValueTask<bool>(
                        args.Outcome.Exception is { } e
                            ? RetryRules.IsTransientException(e)
                            : args.Outcome.Result is { } res && RetryRules.IsTransientStatus((int)res.StatusCode)),
                });
            }

            return builder.Build();
        }

        internal static ResiliencePipeline<HttpResponseMessage> CreateAttemptPipeline(AhaResilienceOptions defaults, TimeProvider time)
        {
            return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time, Name = "Aha.Client.Attempt" }
                .AddTimeout(new TimeoutStrategyOptions
                {
                    Name = "AttemptTimeout",
                    TimeoutGenerator = args =>
                    {
                        var timeout = AhaRequestOptions.For(args.Context.GetRequestMessage())?.AttemptTimeout ?? defaults.AttemptTimeout;
                        return new ValueTask<TimeSpan>(timeout <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : timeout);
                    },
                })
                .Build();
        }

        private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attemptNumber, ResilienceContext context, AhaResilienceOptions defaults, TimeSpan margin, TimeProvider time, ILogger logger)
        {
            var request = context.GetRequestMessage();
            var method = request?.Method ?? HttpMethod.Get;
            var maxRetries = AhaRequestOptions.For(request)?.MaxRetryAttempts ?? defaults.MaxRetryAttempts;

            bool retryable;
            string reason;
            var rateLimited = false;
            if (outcome.Exception is { } exception)
            {
                retryable = RetryRules.MayRetry(exception, method, out reason);
            }
            else if (outcome.Result is { } response)
            {
                if ((int)response.StatusCode == 429)
                {
                    rateLimited = true;
                    retryable = true; // the server did not process it, whatever the method
                    reason = string.Empty;
                }
                else
                {
                    retryable = RetryRules.MayRetry(response.StatusCode, method, out reason);
                    if (!retryable && string.IsNullOrEmpty(reason))
                    {
                        return false; // success or a final error: nothing to say
                    }
                }
            }
            else
            {
                return false;
            }

            if (retryable && attemptNumber >= maxRetries)
            {
                retryable = false;
                reason = maxRetries == 0 ? "retries are disabled for this call" : $"{maxRetries} retries are spent";
            }

            if (retryable && rateLimited && ServerDelay(outcome, context, margin, time) is { } delay && context.Properties.TryGetValue(DeadlineKey, out var deadline)
                && deadline != DateTimeOffset.MaxValue && time.GetUtcNow() + delay > deadline)
            {
                retryable = false;
                reason = $"the server asks to wait {delay}, beyond the call's remaining budget (AhaResilienceOptions.TotalTimeout or AhaRequestOptions.TotalTimeout)";
            }

            if (!retryable)
            {
                Log.NotRetried(logger, method.Method, Redaction.DescribePath(request), reason);
            }

            return retryable;
        }

        // The delay the server asked for (429, or 503 with Retry-After), plus a margin; null means "use the backoff".
        private static TimeSpan? ServerDelay(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan margin, TimeProvider time)
        {
            if (!(outcome.Result is { } response))
            {
                return null;
            }

            var status = (int)response.StatusCode;
            if (status == 429)
            {
                var request = context.GetRequestMessage();
                var box = RequestProperties.Get<RetryAtBox>(request, RequestProperties.RetryAt);
                if (box is null || box.Attempt != RequestProperties.GetAttempts(request))
                {
                    return null;
                }

                var wait = box.RetryAt - time.GetUtcNow() + margin;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            if (status == 503 && RateLimitHeaders.GetRetryDelay(response, null, time.GetUtcNow()) is { } d)
            {
                return d + margin;
            }

            return null;
        }
    }
}
