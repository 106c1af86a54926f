using System;
using System.Collections.Generic;
using System.Linq;

namespace Aha.Sandbox
{
    /// <summary>
    /// What the sandbox saw, readable from a test while it runs. Counters are thread-safe; the collections returned
    /// are snapshots.
    /// </summary>
    public sealed class SandboxStatistics
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, int> _byEndpoint = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<ChaosFault, int> _faults = new Dictionary<ChaosFault, int>();
        private readonly Dictionary<string, int> _creations = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<string> _duplicates = new List<string>();
        private readonly Queue<long> _shortWindow = new Queue<long>();
        private readonly Queue<long> _longWindow = new Queue<long>();
        private readonly TimeProvider _time;
        private readonly long _shortTicks;
        private readonly long _longTicks;
        private int _total;
        private int _accepted;
        private int _rateLimited;
        private int _forbidden;
        private int _peakShort;
        private int _peakLong;
        private int _webhooksDelivered;
        private int _webhookFailures;

        internal SandboxStatistics(TimeProvider time, TimeSpan shortWindow, TimeSpan longWindow)
        {
            _time = time;
            _shortTicks = ToTimestampTicks(time, shortWindow);
            _longTicks = ToTimestampTicks(time, longWindow);
        }

        /// <summary>Audits posted to the webhook URL and answered with a 2xx status.</summary>
        public int WebhooksDelivered { get { lock (_gate) { return _webhooksDelivered; } } }

        /// <summary>Audits whose webhook delivery failed on every attempt (see <see cref="SandboxWebhookOptions.MaxAttempts"/>).</summary>
        public int WebhookFailures { get { lock (_gate) { return _webhookFailures; } } }

        internal void WebhookDelivered()
        {
            lock (_gate)
            {
                _webhooksDelivered++;
            }
        }

        internal void WebhookFailed()
        {
            lock (_gate)
            {
                _webhookFailures++;
            }
        }

        /// <summary>Every request received, whatever its outcome.</summary>
        public int TotalRequests { get { lock (_gate) { return _total; } } }

        /// <summary>Requests that were not rate limited (they count against the limits).</summary>
        public int AcceptedRequests { get { lock (_gate) { return _accepted; } } }

        /// <summary>429 answers sent.</summary>
        public int RateLimitedResponses { get { lock (_gate) { return _rateLimited; } } }

        /// <summary>403 answers sent (bad or missing token).</summary>
        public int ForbiddenResponses { get { lock (_gate) { return _forbidden; } } }

        /// <summary>
        /// Highest number of accepted requests seen in any short window (1 s unless configured otherwise, scaled by
        /// <see cref="SandboxRateLimitOptions.TimeScale"/>), all clients together.
        /// </summary>
        public int PeakRequestsPerShortWindow { get { lock (_gate) { return _peakShort; } } }

        /// <summary>Highest number of accepted requests seen in any long window (60 s unless configured otherwise).</summary>
        public int PeakRequestsPerLongWindow { get { lock (_gate) { return _peakLong; } } }

        /// <summary>
        /// POSTs that were committed with the same path and the same JSON body as an earlier committed POST: a
        /// client that retried a write it should not have.
        /// </summary>
        public int DuplicateCreations { get { lock (_gate) { return _duplicates.Count; } } }

        /// <summary>The duplicated creations, as <c>"POST /api/v1/... {body}"</c>, in the order they happened.</summary>
        public IReadOnlyList<string> DuplicateCreationDetails { get { lock (_gate) { return _duplicates.ToArray(); } } }

        /// <summary>
        /// Requests per endpoint, keyed by method and route template (for example
        /// <c>"GET /api/v1/features/{id}"</c>); requests that matched no route are counted under
        /// <c>"&lt;METHOD&gt; (no route)"</c>. Every request counts, including rejected ones.
        /// </summary>
        public IReadOnlyDictionary<string, int> RequestsByEndpoint
        {
            get { lock (_gate) { return new Dictionary<string, int>(_byEndpoint, StringComparer.Ordinal); } }
        }

        /// <summary>Faults injected by the chaos options, per kind.</summary>
        public IReadOnlyDictionary<ChaosFault, int> FaultsInjected
        {
            get { lock (_gate) { return new Dictionary<ChaosFault, int>(_faults); } }
        }

        /// <summary>Requests received for one endpoint (see <see cref="RequestsByEndpoint"/> for the key format).</summary>
        /// <param name="endpoint">For example <c>"GET /api/v1/features"</c>.</param>
        /// <returns>The count, 0 if never called.</returns>
        public int RequestsTo(string endpoint)
        {
            lock (_gate)
            {
                return _byEndpoint.TryGetValue(endpoint, out var n) ? n : 0;
            }
        }

        /// <summary>Faults of one kind injected so far.</summary>
        /// <param name="fault">The kind of fault.</param>
        /// <returns>The count.</returns>
        public int Faults(ChaosFault fault)
        {
            lock (_gate)
            {
                return _faults.TryGetValue(fault, out var n) ? n : 0;
            }
        }

        /// <summary>Sets every counter back to zero (the data and the rate-limit windows are not touched).</summary>
        public void Reset()
        {
            lock (_gate)
            {
                _byEndpoint.Clear();
                _faults.Clear();
                _creations.Clear();
                _duplicates.Clear();
                _shortWindow.Clear();
                _longWindow.Clear();
                _total = _accepted = _rateLimited = _forbidden = _peakShort = _peakLong = _webhooksDelivered = _webhookFailures = 0;
            }
        }

        /// <summary>A one-line summary, handy in test output.</summary>
        /// <returns>The summary.</returns>
        public override string ToString()
        {
            lock (_gate)
            {
                return $"{_total} requests, {_accepted} accepted, {_rateLimited} x 429, {_forbidden} x 403, peak {_peakShort}/short window and {_peakLong}/long window, {_duplicates.Count} duplicate creations, faults: "
                    + (_faults.Count == 0 ? "none" : string.Join(", ", _faults.OrderBy(f => f.Key).Select(f => f.Key + "=" + f.Value)));
            }
        }

        internal void Received(string endpoint)
        {
            lock (_gate)
            {
                _total++;
                _byEndpoint[endpoint] = _byEndpoint.TryGetValue(endpoint, out var n) ? n + 1 : 1;
            }
        }

        internal void Accepted()
        {
            var now = _time.GetTimestamp();
            lock (_gate)
            {
                _accepted++;
                _peakShort = Math.Max(_peakShort, Slide(_shortWindow, now, _shortTicks));
                _peakLong = Math.Max(_peakLong, Slide(_longWindow, now, _longTicks));
            }
        }

        internal void RateLimited()
        {
            lock (_gate)
            {
                _rateLimited++;
            }
        }

        internal void Forbidden()
        {
            lock (_gate)
            {
                _forbidden++;
            }
        }

        internal void Fault(ChaosFault fault)
        {
            lock (_gate)
            {
                _faults[fault] = _faults.TryGetValue(fault, out var n) ? n + 1 : 1;
            }
        }

        internal void Created(string path, string normalizedBody)
        {
            var key = "POST " + path + " " + normalizedBody;
            lock (_gate)
            {
                if (_creations.TryGetValue(key, out var n))
                {
                    _duplicates.Add(key);
                }

                _creations[key] = n + 1;
            }
        }

        internal static long ToTimestampTicks(TimeProvider time, TimeSpan span) =>
            (long)Math.Ceiling(span.Ticks * (time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

        private static int Slide(Queue<long> window, long now, long length)
        {
            window.Enqueue(now);
            while (window.Count > 0 && window.Peek() <= now - length)
            {
                window.Dequeue();
            }

            return window.Count;
        }
    }
}
