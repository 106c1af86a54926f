using System;
using System.Diagnostics;
using System.Threading;

namespace Aha.Benchmarks.Infrastructure
{
    /// <summary>
    /// A clock that runs <see cref="Factor"/> times faster than real time (timestamps, UTC time and timers alike).
    /// <list type="bullet">
    /// <item>Overhead benchmarks: given to the client's own rate limiter (Aha!'s 20/s and 300/min windows) at 100,000x,
    /// so the limiter does all its work on every request (lock, log, window check, lease) yet never makes one wait:
    /// 300 permits per "minute" is 500,000 per real second.</item>
    /// <item>Export benchmark with <c>--time-scale N</c>: one instance is given to the sandbox and to the client, so both
    /// sides see the same accelerated time (windows, Retry-After, timeouts).</item>
    /// </list>
    /// </summary>
    internal sealed class ScaledClock : TimeProvider
    {
        private readonly long _originTimestamp = Stopwatch.GetTimestamp();
        private readonly DateTimeOffset _originUtc = DateTimeOffset.UtcNow;

        public ScaledClock(double factor) => Factor = factor;

        public double Factor { get; }

        public override long TimestampFrequency => Stopwatch.Frequency;

        public override long GetTimestamp() => _originTimestamp + (long)((Stopwatch.GetTimestamp() - _originTimestamp) * Factor);

        public override DateTimeOffset GetUtcNow() => _originUtc + TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - _originTimestamp) * Factor * TimeSpan.TicksPerSecond / Stopwatch.Frequency));

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

        internal TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : TimeSpan.FromTicks(Math.Max(1, (long)(span.Ticks / Factor)));

        private sealed class ScaledTimer : ITimer
        {
            private readonly ITimer _inner;
            private readonly ScaledClock _clock;

            public ScaledTimer(ITimer inner, ScaledClock clock)
            {
                _inner = inner;
                _clock = clock;
            }

            public bool Change(TimeSpan dueTime, TimeSpan period) => _inner.Change(_clock.Scale(dueTime), _clock.Scale(period));

            public void Dispose() => _inner.Dispose();

            public System.Threading.Tasks.ValueTask DisposeAsync() => _inner.DisposeAsync();
        }
    }
}
