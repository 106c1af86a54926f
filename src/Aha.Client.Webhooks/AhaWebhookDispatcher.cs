using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Webhooks
{
    /// <summary>
    /// The hosted service that hands queued events to their handlers, one at a time, in the order received, each in
    /// its own dependency-injection scope. A handler that throws is logged and the next event goes on.
    /// </summary>
    internal sealed class AhaWebhookDispatcher : BackgroundService
    {
        private readonly AhaWebhookQueue _queue;
        private readonly IServiceScopeFactory _scopes;
        private readonly ILogger<AhaWebhookDispatcher> _logger;

        public AhaWebhookDispatcher(AhaWebhookQueue queue, IServiceScopeFactory scopes, ILogger<AhaWebhookDispatcher> logger)
        {
            _queue = queue;
            _scopes = scopes;
            _logger = logger;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    await HandleAsync(item, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                var left = _queue.Count;
                if (left > 0)
                {
                    // Acknowledged to Aha! but not handled: said loudly, with the ids, so nobody believes they were.
                    _logger.LogWarning(4203, "The application stopped with {Count} Aha! webhook event(s) acknowledged but not handled; re-read those records (or run a change-feed sync) to catch up.", left);
                    while (_queue.Reader.TryRead(out var item))
                    {
                        _logger.LogWarning(4204, "Not handled at shutdown: {Change}.", item.Change.ToString());
                    }
                }
            }
        }

        private async Task HandleAsync(AhaWebhookWorkItem item, CancellationToken stoppingToken)
        {
            var scope = _scopes.CreateAsyncScope();
            try
            {
                await item.Handler(item.Change, scope.ServiceProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                _logger.LogError(4202, ex, "The Aha! webhook handler failed for {Change}; the next event is handled.", item.Change.ToString());
            }
            finally
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
