using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Benchmarks.Export
{
    /// <summary>One attempt as the transport saw it, in seconds since the export started (on the run's clock).</summary>
    internal readonly record struct AttemptRecord(double SentAt, double AnsweredAt, int Status);

    /// <summary>
    /// Sits just above the socket (below the whole client pipeline) and logs every attempt: when it left, when its answer
    /// came back, the status. On loopback "sent" is when the server counts it, so the chart shows what the server saw.
    /// </summary>
    internal sealed class RecordingHandler : DelegatingHandler
    {
        private readonly TimeProvider _clock;
        private readonly ConcurrentQueue<AttemptRecord> _log = new ConcurrentQueue<AttemptRecord>();
        private long _origin;

        public RecordingHandler(TimeProvider clock, HttpMessageHandler inner)
            : base(inner)
        {
            _clock = clock;
            _origin = clock.GetTimestamp();
        }

        public void Restart()
        {
            _log.Clear();
            Volatile.Write(ref _origin, _clock.GetTimestamp());
        }

        /// <summary>Times from an earlier moment (a <see cref="TimeProvider.GetTimestamp"/> value), e.g. the process's Main.</summary>
        public void RestartAt(long timestamp)
        {
            _log.Clear();
            Volatile.Write(ref _origin, timestamp);
        }

        public double Elapsed => _clock.GetElapsedTime(Volatile.Read(ref _origin)).TotalSeconds;

        public IReadOnlyList<AttemptRecord> Attempts => _log.OrderBy(a => a.SentAt).ToArray();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = Elapsed;
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                _log.Enqueue(new AttemptRecord(sent, Elapsed, (int)response.StatusCode));
                return response;
            }
            catch
            {
                _log.Enqueue(new AttemptRecord(sent, Elapsed, 0));
                throw;
            }
        }
    }
}
