using System;
using System.Threading.RateLimiting;
using Aha.Client.RateLimiting;

namespace Aha.Client.Configuration
{
    /// <summary>
    /// Proactive rate limiting. Aha! allows 300 requests per minute and 20 per second <b>per source IP address</b>,
    /// so by default every client in the process draws from one shared budget.
    /// </summary>
    public sealed class AhaRateLimitOptions
    {
        /// <summary>Whether requests wait for a permit before they are sent. Default: true.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>Requests allowed in any one-second window. Default: 20 (Aha!'s limit).</summary>
        public int RequestsPerSecond { get; set; } = 20;

        /// <summary>Requests allowed in any one-minute window. Default: 300 (Aha!'s limit).</summary>
        public int RequestsPerMinute { get; set; } = 300;

        /// <summary>
        /// Extra time added to each window before a request's place in it is reused, covering the server's own timing
        /// and rounding. Default: 5 ms.
        /// </summary>
        /// <remarks>
        /// Network and queueing delays need no margin: a request counts from the moment its response arrives, which is
        /// after the server counted it. The margin covers only servers that round their timestamps to the millisecond
        /// or count a request exactly one window later as still inside it. It costs a bulk export about the margin per
        /// second-window wait (docs/benchmarks.md): 50 ms, the earlier default, made a 100-page export 6% slower than
        /// its minimum, 5 ms costs about 0.5%.
        /// </remarks>
        public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromMilliseconds(5);

        /// <summary>
        /// An assumption you may make about your network: the longest time for a request to reach Aha! once its permit
        /// is granted (connection and TLS set-up included). A request holds its place in the windows while it is in
        /// flight and counts from the moment its response headers arrive, the earliest moment Aha! has surely counted
        /// it; with this set, it counts from no later than its grant plus this delay, even if the response takes longer.
        /// Default: <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (no assumption; a fixed 1 s caused 429s on
        /// a loaded machine, docs/redis.md). Otherwise 0 to 30 seconds.
        /// </summary>
        public TimeSpan MaxArrivalDelay { get; set; } = System.Threading.Timeout.InfiniteTimeSpan;

        /// <summary>How many requests may wait for a permit; further ones fail at once. Default: unbounded.</summary>
        public int QueueLimit { get; set; } = int.MaxValue;

        /// <summary>
        /// Whether all clients in the process with the same limits (and clock) share one budget. Default: true, because
        /// Aha! counts per source IP. Set to false only for a client that must not wait behind the others.
        /// </summary>
        public bool SharedAcrossClients { get; set; } = true;

        /// <summary>
        /// Whether responses saying the budget is spent (<c>X-Ratelimit-Remaining: 0</c> with <c>X-Ratelimit-Reset</c>,
        /// or a 429) pause every request sharing the budget until the reset. Default: true.
        /// </summary>
        public bool PauseOnServerSignal { get; set; } = true;

        /// <summary>
        /// Replaces the built-in limiter with your own (for example a budget shared across processes through Redis).
        /// It must be safe to use from several threads; its lifetime is yours. When set, <see cref="RequestsPerSecond"/>,
        /// <see cref="RequestsPerMinute"/>, <see cref="MaxArrivalDelay"/> and <see cref="QueueLimit"/> are not used.
        /// </summary>
        public RateLimiter? Limiter { get; set; }

        /// <summary>
        /// Where the budget lives when it is not in this process: for example Redis, shared by every process and
        /// machine configured with the same key (<c>RateLimit.UseRedis(...)</c> from the <c>Aha.Client.Redis</c>
        /// package). Null (the default): an in-process limiter. The backend receives the limits above, the clock and
        /// the logger factory when the client is built. Cannot be combined with <see cref="Limiter"/>.
        /// </summary>
        public AhaRateLimitBackend? Backend { get; set; }
    }
}
