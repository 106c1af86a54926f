using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace Aha.Client.Webhooks
{
    /// <summary>A received event waiting for its handler.</summary>
    internal sealed class AhaWebhookWorkItem
    {
        public AhaWebhookWorkItem(AhaChange change, Func<AhaChange, IServiceProvider, CancellationToken, Task> handler)
        {
            Change = change;
            Handler = handler;
        }

        public AhaChange Change { get; }

        public Func<AhaChange, IServiceProvider, CancellationToken, Task> Handler { get; }
    }

    /// <summary>The bounded queue between the endpoints (writers) and <see cref="AhaWebhookDispatcher"/> (the reader).</summary>
    internal sealed class AhaWebhookQueue
    {
        private readonly Channel<AhaWebhookWorkItem> _channel;
        private readonly TimeSpan _fullWait;

        public AhaWebhookQueue(IOptions<AhaWebhookOptions> options)
        {
            var value = options.Value;
            if (value.QueueCapacity < 1)
            {
                throw new ArgumentException("AhaWebhookOptions.QueueCapacity must be at least 1.", nameof(options));
            }

            if (value.FullQueueWait < TimeSpan.Zero)
            {
                throw new ArgumentException("AhaWebhookOptions.FullQueueWait cannot be negative.", nameof(options));
            }

            _fullWait = value.FullQueueWait;
            _channel = Channel.CreateBounded<AhaWebhookWorkItem>(new BoundedChannelOptions(value.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
            });
        }

        public ChannelReader<AhaWebhookWorkItem> Reader => _channel.Reader;

        public int Count => _channel.Reader.Count;

        /// <summary>Queues the item, waiting up to the configured time for a place; false when it could not be queued.</summary>
        public async ValueTask<bool> TryEnqueueAsync(AhaWebhookWorkItem item, CancellationToken requestAborted)
        {
            if (_channel.Writer.TryWrite(item))
            {
                return true;
            }

            if (_fullWait == TimeSpan.Zero)
            {
                return false;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            wait.CancelAfter(_fullWait);
            try
            {
                while (await _channel.Writer.WaitToWriteAsync(wait.Token).ConfigureAwait(false))
                {
                    if (_channel.Writer.TryWrite(item))
                    {
                        return true;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            return false;
        }

        public void Complete() => _channel.Writer.TryComplete();
    }
}
