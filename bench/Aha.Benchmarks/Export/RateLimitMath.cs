using System;
using System.Collections.Generic;

namespace Aha.Benchmarks.Export
{
    /// <summary>The ceiling Aha!'s limits set, and what a run actually did against it.</summary>
    internal static class RateLimitMath
    {
        public const int PerSecond = 20;
        public const int PerMinute = 300;

        /// <summary>
        /// The earliest moment (seconds after the first request) at which the last of <paramref name="requests"/> requests
        /// can be sent when no window ever holds more than its limit: request i goes at
        /// max(t[i-20] + 1 s, t[i-300] + 60 s). 100 requests: bursts at 0,1,2,3,4 s = 4 s. 400 requests: 300 in the first
        /// 14 s, then request 301 waits for the minute window (60 s), the last goes at 64 s. Instant answers are assumed,
        /// so no real client reaches it exactly: every ratio includes the last answer's latency.
        /// </summary>
        public static double MinimumSeconds(int requests, int perSecond = PerSecond, int perMinute = PerMinute)
        {
            if (requests <= 0)
            {
                return 0;
            }

            var t = new double[requests];
            for (var i = 0; i < requests; i++)
            {
                var earliest = 0.0;
                if (i >= perSecond)
                {
                    earliest = Math.Max(earliest, t[i - perSecond] + 1);
                }

                if (i >= perMinute)
                {
                    earliest = Math.Max(earliest, t[i - perMinute] + 60);
                }

                t[i] = earliest;
            }

            return t[requests - 1];
        }

        /// <summary>
        /// The least time the limits <b>and a server latency</b> allow, from the first request to the last answer:
        /// request 1 goes at 0; every later one needs page 1's answer (the page count), a free slot among
        /// <paramref name="inFlight"/> requests (request i - inFlight answered) and the two windows; the last answer
        /// comes <paramref name="latency"/> after the last request. Sequential (inFlight 1) is bound by the latency
        /// alone when it is long: 100 pages at 0.2 s = 20 s. With latency 0 it is <see cref="MinimumSeconds"/>.
        /// </summary>
        public static double LeastSeconds(int requests, double latency, int inFlight, int perSecond = PerSecond, int perMinute = PerMinute)
        {
            if (requests <= 0)
            {
                return 0;
            }

            var t = new double[requests];
            for (var i = 1; i < requests; i++)
            {
                var earliest = t[0] + latency;
                if (i >= inFlight)
                {
                    earliest = Math.Max(earliest, t[i - inFlight] + latency);
                }

                if (i >= perSecond)
                {
                    earliest = Math.Max(earliest, t[i - perSecond] + 1);
                }

                if (i >= perMinute)
                {
                    earliest = Math.Max(earliest, t[i - perMinute] + 60);
                }

                t[i] = earliest;
            }

            return t[requests - 1] + latency;
        }

        /// <summary>Most attempts sent within any window of <paramref name="window"/> seconds (from the send times).</summary>
        public static int PeakInWindow(IReadOnlyList<AttemptRecord> attempts, double window)
        {
            var peak = 0;
            var start = 0;
            for (var end = 0; end < attempts.Count; end++)
            {
                while (attempts[end].SentAt - attempts[start].SentAt >= window)
                {
                    start++;
                }

                peak = Math.Max(peak, end - start + 1);
            }

            return peak;
        }

        /// <summary>Attempts sent in (t - window, t] for t = 0, step, 2 step, ... end: the chart's series.</summary>
        public static (double[] Xs, double[] Ys) SlidingCount(IReadOnlyList<AttemptRecord> attempts, double window, double step, double end)
        {
            var n = (int)Math.Ceiling(end / step) + 1;
            var xs = new double[n];
            var ys = new double[n];
            var lo = 0;
            var hi = 0;
            for (var k = 0; k < n; k++)
            {
                var t = k * step;
                while (hi < attempts.Count && attempts[hi].SentAt <= t)
                {
                    hi++;
                }

                while (lo < hi && attempts[lo].SentAt <= t - window)
                {
                    lo++;
                }

                xs[k] = t;
                ys[k] = hi - lo;
            }

            return (xs, ys);
        }
    }
}
