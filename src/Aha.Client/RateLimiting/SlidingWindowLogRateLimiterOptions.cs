using System;
using System.Collections.Generic;

namespace Aha.Client.RateLimiting
{
    /// <summary>Settings of a <see cref="SlidingWindowLogRateLimiter"/>.</summary>
    public sealed class SlidingWindowLogRateLimiterOptions
    {
        /// <summary>The windows enforced together, for Aha!: 20 per second and 300 per minute.</summary>
        public IList<RateLimitWindow> Windows { get; } = new List<RateLimitWindow>();

        /// <summary>
        /// Added to every window before a permit's place is reused, to cover the server's own rounding and timing.
        /// Default: 5 ms (see <see cref="Aha.Client.Configuration.AhaRateLimitOptions.SafetyMargin"/>).
        /// </summary>
        public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromMilliseconds(5);

        /// <summary>
        /// An assumption about the network: the longest time between granting a permit and its request reaching the
        /// server (connection set-up included). A permit counts from the moment its lease is disposed (the response
        /// arrived), and with this set from no later than its grant plus this delay, even while the response is still
        /// awaited. Default: <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>, no assumption: a permit holds its
        /// place until its lease is disposed, so a request slower than any fixed delay cannot reopen a window early.
        /// </summary>
        public TimeSpan MaxArrivalDelay { get; set; } = System.Threading.Timeout.InfiniteTimeSpan;

        /// <summary>How many permits may wait in the queue; further requests fail at once. Default: unbounded.</summary>
        public int QueueLimit { get; set; } = int.MaxValue;

        /// <summary>The clock; <see cref="TimeProvider.System"/> when null. Tests pass a fake.</summary>
        public TimeProvider? TimeProvider { get; set; }

        /// <summary>Aha!'s documented limits: 20 requests per second and 300 per minute.</summary>
        /// <param name="perSecond">Requests allowed in any one-second window.</param>
        /// <param name="perMinute">Requests allowed in any one-minute window.</param>
        /// <returns>Options with those two windows.</returns>
        public static SlidingWindowLogRateLimiterOptions ForAha(int perSecond = 20, int perMinute = 300)
        {
            var options = new SlidingWindowLogRateLimiterOptions();
            options.Windows.Add(new RateLimitWindow(perMinute, TimeSpan.FromMinutes(1)));
            options.Windows.Add(new RateLimitWindow(perSecond, TimeSpan.FromSeconds(1)));
            return options;
        }
    }

    /// <summary>One window of a sliding-log limiter: at most <see cref="PermitLimit"/> grants in any <see cref="Duration"/>.</summary>
    public readonly struct RateLimitWindow
    {
        /// <summary>Creates a window.</summary>
        /// <param name="permitLimit">Grants allowed in any interval of <paramref name="duration"/>.</param>
        /// <param name="duration">The window length.</param>
        public RateLimitWindow(int permitLimit, TimeSpan duration)
        {
            PermitLimit = permitLimit;
            Duration = duration;
        }

        /// <summary>Grants allowed in any interval of <see cref="Duration"/>.</summary>
        public int PermitLimit { get; }

        /// <summary>The window length.</summary>
        public TimeSpan Duration { get; }
    }
}
