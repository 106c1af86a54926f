using System;
using System.Collections.Generic;

namespace Aha.Sandbox.RateLimiting
{
    /// <summary>Outcome of one admission check.</summary>
    internal readonly struct RateLimitDecision
    {
        public RateLimitDecision(bool accepted, int limit, int remaining, TimeSpan resetIn)
        {
            Accepted = accepted;
            Limit = limit;
            Remaining = remaining;
            ResetIn = resetIn;
        }

        /// <summary>Whether the request may be processed.</summary>
        public bool Accepted { get; }

        /// <summary>The limit reported in <c>X-Ratelimit-Limit</c>: the exceeded window's, else the long window's.</summary>
        public int Limit { get; }

        /// <summary>Requests left in the reported window.</summary>
        public int Remaining { get; }

        /// <summary>When rejected: how long until a request would be accepted. Otherwise: until the reported window frees a slot.</summary>
        public TimeSpan ResetIn { get; }
    }

    /// <summary>
    /// An exact sliding-log limiter per client key (the source IP), as Aha! counts: a request is accepted when fewer
    /// than N accepted requests lie in the window (t - W, t] for both windows. Rejected requests are not logged, so
    /// they do not count against the limits.
    /// </summary>
    internal sealed class SlidingLogRateLimiter
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, ClientLog> _clients = new Dictionary<string, ClientLog>(StringComparer.Ordinal);
        private readonly TimeProvider _time;
        private readonly int _shortLimit;
        private readonly int _longLimit;
        private readonly long _shortTicks;
        private readonly long _longTicks;

        public SlidingLogRateLimiter(TimeProvider time, int shortLimit, TimeSpan shortWindow, int longLimit, TimeSpan longWindow)
        {
            _time = time;
            _shortLimit = shortLimit;
            _longLimit = longLimit;
            _shortTicks = SandboxStatistics.ToTimestampTicks(time, shortWindow);
            _longTicks = SandboxStatistics.ToTimestampTicks(time, longWindow);
        }

        public RateLimitDecision TryAcquire(string client)
        {
            var now = _time.GetTimestamp();
            lock (_gate)
            {
                if (!_clients.TryGetValue(client, out var log))
                {
                    log = new ClientLog();
                    _clients[client] = log;
                }

                Purge(log.Short, now, _shortTicks);
                Purge(log.Long, now, _longTicks);

                // The long window is checked first: when both are full, its wait is the longer and the one to announce.
                if (log.Long.Count >= _longLimit)
                {
                    return new RateLimitDecision(false, _longLimit, 0, Until(log.Long.Peek() + _longTicks, now));
                }

                if (log.Short.Count >= _shortLimit)
                {
                    return new RateLimitDecision(false, _shortLimit, 0, Until(log.Short.Peek() + _shortTicks, now));
                }

                log.Short.Enqueue(now);
                log.Long.Enqueue(now);
                return new RateLimitDecision(true, _longLimit, _longLimit - log.Long.Count, Until(log.Long.Peek() + _longTicks, now));
            }
        }

        /// <summary>The current state for a client without consuming a request (for <c>X-Ratelimit-*</c> on answers that were not admitted through the limiter).</summary>
        public RateLimitDecision Peek(string client)
        {
            var now = _time.GetTimestamp();
            lock (_gate)
            {
                if (!_clients.TryGetValue(client, out var log))
                {
                    return new RateLimitDecision(true, _longLimit, _longLimit, TimeSpan.Zero);
                }

                Purge(log.Long, now, _longTicks);
                return new RateLimitDecision(true, _longLimit, Math.Max(0, _longLimit - log.Long.Count), log.Long.Count == 0 ? TimeSpan.Zero : Until(log.Long.Peek() + _longTicks, now));
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _clients.Clear();
            }
        }

        private TimeSpan Until(long timestamp, long now) =>
            timestamp <= now ? TimeSpan.Zero : TimeSpan.FromSeconds((timestamp - now) / (double)_time.TimestampFrequency);

        private static void Purge(Queue<long> log, long now, long window)
        {
            while (log.Count > 0 && log.Peek() <= now - window)
            {
                log.Dequeue();
            }
        }

        private sealed class ClientLog
        {
            public Queue<long> Short { get; } = new Queue<long>();

            public Queue<long> Long { get; } = new Queue<long>();
        }
    }
}
