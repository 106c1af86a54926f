using System;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Aha.Sandbox.Webhooks
{
    /// <summary>
    /// Posts every audit to the registered URL as Aha!'s activity webhooks do (<c>{"event":"audit","audit":{...}}</c>,
    /// JSON, no signature). Deliveries leave the request path through a queue read by one loop, so they arrive in audit
    /// order; a failed delivery (no answer, or a status other than 2xx) is retried a bounded number of times, waiting on
    /// the sandbox's clock, and then counted as failed.
    /// </summary>
    internal sealed class WebhookDispatcher : IAsyncDisposable
    {
        private readonly Channel<(Uri Url, string Payload)> _queue = Channel.CreateUnbounded<(Uri, string)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly object _gate = new object();
        private readonly SandboxWebhookOptions _options;
        private readonly SandboxStatistics _statistics;
        private readonly TimeProvider _time;
        private readonly HttpClient _http;
        private readonly Task _loop;
        private volatile Uri? _url;
        private int _pending;
        private TaskCompletionSource<bool>? _drained;

        public WebhookDispatcher(SandboxWebhookOptions options, SandboxStatistics statistics, TimeProvider time)
        {
            _options = options;
            _statistics = statistics;
            _time = time;
            _url = options.Url;
            _http = new HttpClient { Timeout = options.Timeout };
            _loop = Task.Run(RunAsync);
        }

        public Uri? Url
        {
            get => _url;
            set => _url = value;
        }

        /// <summary>Queues an audit for delivery when a URL is registered; never blocks the caller.</summary>
        public void Enqueue(JsonObject audit)
        {
            var url = _url;
            if (url == null)
            {
                return;
            }

            var payload = new JsonObject { ["event"] = "audit", ["audit"] = audit }.ToJsonString();
            lock (_gate)
            {
                _pending++;
            }

            if (!_queue.Writer.TryWrite((url, payload)))
            {
                Done(); // only after disposal
            }
        }

        /// <summary>Completes when every queued delivery was made or given up.</summary>
        public Task FlushAsync(CancellationToken cancellationToken)
        {
            Task task;
            lock (_gate)
            {
                if (_pending == 0)
                {
                    return Task.CompletedTask;
                }

                _drained ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                task = _drained.Task;
            }

            return task.WaitAsync(cancellationToken);
        }

        private void Done()
        {
            TaskCompletionSource<bool>? drained = null;
            lock (_gate)
            {
                if (--_pending == 0)
                {
                    drained = _drained;
                    _drained = null;
                }
            }

            drained?.TrySetResult(true);
        }

        private async Task RunAsync()
        {
            try
            {
                await foreach (var (url, payload) in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await DeliverAsync(url, payload).ConfigureAwait(false);
                    }
                    finally
                    {
                        Done();
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // disposed: undelivered audits are dropped
            }
        }

        private async Task DeliverAsync(Uri url, string payload)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var content = new StringContent(payload, Encoding.UTF8, "application/json");
                    using var response = await _http.PostAsync(url, content, _stop.Token).ConfigureAwait(false);
                    if ((int)response.StatusCode is >= 200 and < 300)
                    {
                        _statistics.WebhookDelivered();
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // the receiver is down: retry below
                }
                catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
                {
                    // the receiver did not answer within the timeout: retry below
                }

                if (attempt >= _options.MaxAttempts)
                {
                    _statistics.WebhookFailed();
                    return;
                }

                await Task.Delay(TimeSpan.FromTicks(_options.RetryDelay.Ticks * attempt), _time, _stop.Token).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            _stop.Cancel();
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            TaskCompletionSource<bool>? drained;
            lock (_gate)
            {
                drained = _drained;
                _drained = null;
            }

            drained?.TrySetCanceled();
            _http.Dispose();
            _stop.Dispose();
        }
    }
}
