using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Aha.Client.Pipeline;
using Aha.Client.Telemetry;
using Microsoft.Extensions.Logging;

namespace Aha.Client.RateLimiting
{
    /// <summary>
    /// Paces every attempt through the shared <see cref="RateLimitBudget"/> and learns from every response.
    /// <list type="bullet">
    /// <item>Before sending: waits while the server has said the budget is spent, then takes a permit from the
    /// limiter (fair FIFO queue, cancellable). Sits inside the retry step, so each retry takes its own permit, and
    /// outside the attempt timeout, so queueing never counts as a slow attempt.</item>
    /// <item>After: reads <c>X-Ratelimit-Limit/-Remaining/-Reset</c> into <see cref="AhaRateLimitState"/>; on
    /// <c>Remaining: 0</c> or a 429 pauses everyone sharing the budget until the reset, and records when a 429 may be
    /// retried for the retry step.</item>
    /// </list>
    /// </summary>
    internal sealed class RateLimitHandler : DelegatingHandler
    {
        private const int MaxBodyForRetryAfter = 64 * 1024;

        private static readonly TimeSpan MaxHeaderPause = TimeSpan.FromSeconds(61);

        private static readonly TimeSpan MinLoggedWait = TimeSpan.FromMilliseconds(1);

        private readonly RateLimitBudget _budget;
        private readonly bool _enabled;
        private readonly bool _pauseOnServerSignal;
        private readonly ILogger _logger;

        public RateLimitHandler(RateLimitBudget budget, bool enabled, bool pauseOnServerSignal, ILogger logger)
        {
            _budget = budget;
            _enabled = enabled;
            _pauseOnServerSignal = pauseOnServerSignal;
            _logger = logger;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The lease is held while the request is in flight. PermitArrivalHandler, just above the transport, disposes
            // it as soon as the response headers arrive, the earliest moment the server has surely counted the request
            // (see SlidingWindowLogRateLimiter); the body is read after that. A 429 is refunded below instead.
            using var lease = _enabled ? await WaitForPermitAsync(request, cancellationToken).ConfigureAwait(false) : null;
            if (lease != null)
            {
                RequestProperties.Set(request, PermitArrivalHandler.LeaseKey, new PermitArrivalHandler.LeaseBox(lease));
            }

            var attempt = RequestProperties.IncrementAttempts(request);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                AhaTelemetry.Requests.Add(1, AhaTelemetry.Tag("http.request.method", request.Method.Method), AhaTelemetry.Tag("error.type", ex.GetType().Name));
                throw;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.AttemptCompleted(_logger, request.Method.Method, Redaction.DescribePath(request), attempt, (int)response.StatusCode);
            }

            await ObserveAsync(request, response, lease).ConfigureAwait(false);
            return response;
        }

        private async Task<RateLimitLease> WaitForPermitAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var time = _budget.Time;
            var started = time.GetTimestamp();
            RateLimitLease lease;
            while (true)
            {
                await WaitOutPauseAsync(cancellationToken).ConfigureAwait(false);

                lease = await _budget.Limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                if (!lease.IsAcquired)
                {
                    var hint = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? $" The next permit frees in {retryAfter}." : string.Empty;
                    lease.Dispose();
                    throw new AhaRateLimitQueueFullException($"{request.Method} {Redaction.DescribePath(request)} was not sent: the client-side rate-limit queue is full (AhaClientOptions.RateLimit.QueueLimit). Send fewer requests at once or raise the limit.{hint}", request.Method.Method, Redaction.DescribePath(request));
                }

                // A pause that began while we queued (another response said the budget is spent): the permit was
                // granted on stale information, so wait out the pause and queue again rather than burst afterwards.
                if (!_pauseOnServerSignal || _budget.State.PausedUntil is null)
                {
                    break;
                }

                lease.Dispose();
            }

            var waited = time.GetElapsedTime(started);
            if (AhaTelemetry.RateLimitWait.Enabled)
            {
                AhaTelemetry.RateLimitWait.Record(waited.TotalSeconds, AhaTelemetry.Tag("http.request.method", request.Method.Method));
            }

            // A permit granted at once still shows a few ticks of "waiting": only a real wait is worth a log line (and
            // the path string it needs).
            if (waited >= MinLoggedWait && _logger.IsEnabled(waited >= TimeSpan.FromSeconds(1) ? LogLevel.Information : LogLevel.Debug))
            {
                Log.WaitedForPermit(_logger, request.Method.Method, Redaction.DescribePath(request), waited);
            }

            return lease;
        }

        private async Task WaitOutPauseAsync(CancellationToken cancellationToken)
        {
            if (!_pauseOnServerSignal)
            {
                return;
            }

            while (_budget.State.PausedUntil is { } until)
            {
                await _budget.Time.DelayAsync(until - _budget.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task ObserveAsync(HttpRequestMessage request, HttpResponseMessage response, RateLimitLease? lease)
        {
            var now = _budget.Time.GetUtcNow();
            var (limit, remaining, resetsAt) = RateLimitHeaders.ReadState(response, now);
            _budget.State.Update(limit, remaining, resetsAt);

            var method = request.Method.Method;
            if (AhaTelemetry.Requests.Enabled)
            {
                AhaTelemetry.Requests.Add(1, AhaTelemetry.Tag("http.request.method", method), AhaTelemetry.Tag("http.response.status_code", (int)response.StatusCode));
            }

            if ((int)response.StatusCode == 429)
            {
                _budget.State.CountRateLimited();
                AhaTelemetry.RateLimited.Add(1, AhaTelemetry.Tag("http.request.method", method));

                // Buffer the (small) body: the delay may be in it, and the error step reads it again later.
                var body = await ReadSmallBodyAsync(response).ConfigureAwait(false);
                var delay = RateLimitHeaders.GetRetryDelay(response, body, now);
                Log.RateLimited(_logger, method, Redaction.DescribePath(request), delay);
                if (delay is { } d)
                {
                    var retryAt = now + d;
                    RequestProperties.Set(request, RequestProperties.RetryAt, new RetryAtBox(retryAt, d, RequestProperties.GetAttempts(request)));
                    PauseAll(retryAt, "429 Too Many Requests");
                }

                // Refused: the attempt leaves the budget (after the pause is in force, so that no queued request takes
                // its place first). Whether the server counted it is the server's to say, through the delay above.
                if (lease is IAhaRefundableLease refundable)
                {
                    refundable.Refund();
                }

                return;
            }

            if (remaining is { } left && left <= 0 && resetsAt is { } reset && reset > now && !OwnLimiterIsSpent())
            {
                // Aha!'s longest window is a minute: a reset further away is a wrong clock or header, not a reason to stop.
                PauseAll(reset - now > MaxHeaderPause ? now + MaxHeaderPause : reset, "X-Ratelimit-Remaining: 0");
            }
        }

        // "Remaining: 0" tells something new only when the budget's own limiter thinks budget is left (someone else on
        // the same IP is using it). When the limiter has spent the budget too, it already holds the next request until
        // the exact moment a permit frees, while X-Ratelimit-Reset is in whole seconds: pausing on it would only add
        // that rounding (up to a second; measured 1.2 s at the minute boundary of a 400-page export, docs/benchmarks.md).
        // Any limiter that reports statistics is asked (the in-process one, a Redis-shared one, your own). A 429 always
        // pauses.
        private bool OwnLimiterIsSpent()
            => _enabled && _budget.Limiter.GetStatistics() is { CurrentAvailablePermits: <= 0 };

        private void PauseAll(DateTimeOffset until, string signal)
        {
            if (_pauseOnServerSignal && _budget.Pause(until))
            {
                Log.ServerPause(_logger, signal, until);
            }
        }

        private static async Task<string?> ReadSmallBodyAsync(HttpResponseMessage response)
        {
            if (response.Content is null || response.Content.Headers.ContentLength > MaxBodyForRetryAfter)
            {
                return null;
            }

            try
            {
                await response.Content.LoadIntoBufferAsync(MaxBodyForRetryAfter).ConfigureAwait(false);
                return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }
    }

    /// <summary>When a rate-limited request may be retried, as the server said (carried on the request).</summary>
    internal sealed class RetryAtBox
    {
        public RetryAtBox(DateTimeOffset retryAt, TimeSpan delay, int attempt)
        {
            RetryAt = retryAt;
            Delay = delay;
            Attempt = attempt;
        }

        /// <summary>The attempt (1-based) whose 429 carried this delay; older values are stale.</summary>
        public int Attempt { get; }

        public DateTimeOffset RetryAt { get; }

        public TimeSpan Delay { get; }
    }
}
