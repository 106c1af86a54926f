using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>
    /// A <see cref="FakeTimeProvider"/> that also knows which timers are pending, so a test can wait until the code
    /// under test is really waiting (a timer exists) and then jump exactly to it: no sleeps, no wall-clock assertions.
    /// The only real-time element is a watchdog that fails a test instead of letting it hang.
    /// </summary>
    internal sealed class TestClock : FakeTimeProvider
    {
        private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(15);

        private readonly object _gate = new object();
        private readonly List<Tracked> _timers = new List<Tracked>();
        private TaskCompletionSource<bool> _changed = NewSignal();

        public TestClock()
            : base(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero))
        {
        }

        /// <summary>Every delay that was scheduled (due time at creation or change), in order.</summary>
        public List<TimeSpan> ScheduledDelays { get; } = new List<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var tracked = new Tracked(this);
            tracked.Inner = base.CreateTimer(s =>
            {
                tracked.OnFired();
                callback(s);
            }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            lock (_gate)
            {
                _timers.Add(tracked);
            }

            tracked.Change(dueTime, period);
            return tracked;
        }

        /// <summary>Remaining time of the pending timers, shortest first.</summary>
        public IReadOnlyList<TimeSpan> Pending()
        {
            lock (_gate)
            {
                var now = GetUtcNow();
                return _timers.Where(t => t.DueAt.HasValue).Select(t => t.DueAt!.Value - now).OrderBy(d => d).ToList();
            }
        }

        /// <summary>Waits (watchdog-bounded) until a pending timer due within <paramref name="within"/> exists; returns its remaining time.</summary>
        public async Task<TimeSpan> WaitForTimerAsync(TimeSpan within)
        {
            var deadline = DateTime.UtcNow + Watchdog;
            while (true)
            {
                Task signal;
                lock (_gate)
                {
                    var due = Pending().Where(d => d <= within).ToList();
                    if (due.Count > 0)
                    {
                        return due[0];
                    }

                    signal = _changed.Task;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || await Task.WhenAny(signal, Task.Delay(left)).ConfigureAwait(false) != signal)
                {
                    throw new TimeoutException($"No timer due within {within} was scheduled (pending: {string.Join(", ", Pending())}).");
                }
            }
        }

        /// <summary>
        /// Drives fake time until <paramref name="task"/> completes: whenever the code waits on a timer that was
        /// scheduled for at most <paramref name="maxStep"/>, jumps to it. Timers scheduled for longer (the call budget,
        /// the attempt timeout) are never jumped to, so they cannot fire while a request is in flight; they fire only
        /// when time passes them on the way to a shorter timer.
        /// </summary>
        public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? maxStep = null)
        {
            await RunAsync((Task)task, maxStep).ConfigureAwait(false);
            return await task.ConfigureAwait(false);
        }

        public async Task RunAsync(Task task, TimeSpan? maxStep = null)
        {
            var step = maxStep ?? TimeSpan.FromSeconds(90);
            var deadline = DateTime.UtcNow + Watchdog;
            while (!task.IsCompleted)
            {
                Task signal;
                TimeSpan? next;
                lock (_gate)
                {
                    var now = GetUtcNow();
                    next = _timers.Where(t => t.DueAt.HasValue && t.ScheduledFor <= step)
                        .Select(t => (TimeSpan?)(t.DueAt!.Value - now)).OrderBy(d => d).FirstOrDefault();
                    signal = _changed.Task;
                }

                if (next is { } d)
                {
                    Advance(d < TimeSpan.Zero ? TimeSpan.Zero : d);
                    continue;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || await Task.WhenAny(task, signal, Task.Delay(left)).ConfigureAwait(false) is var done && done != task && done != signal)
                {
                    throw new TimeoutException($"The task neither completed nor waited on a timer within {step} (pending: {string.Join(", ", Pending())}).");
                }
            }

            await task.ConfigureAwait(false);
        }

        /// <summary>Awaits a task that must complete without time moving (watchdog-bounded).</summary>
        public static async Task<T> Completes<T>(Task<T> task)
        {
            if (await Task.WhenAny(task, Task.Delay(Watchdog)).ConfigureAwait(false) != task)
            {
                throw new TimeoutException("The task did not complete.");
            }

            return await task.ConfigureAwait(false);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private void Signal()
        {
            TaskCompletionSource<bool> old;
            lock (_gate)
            {
                old = _changed;
                _changed = NewSignal();
            }

            old.TrySetResult(true);
        }

        private sealed class Tracked : ITimer
        {
            private readonly TestClock _clock;

            public Tracked(TestClock clock) => _clock = clock;

            public ITimer Inner { get; set; } = null!;

            public DateTimeOffset? DueAt { get; private set; }

            public TimeSpan ScheduledFor { get; private set; }

            private TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                lock (_clock._gate)
                {
                    DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
                    ScheduledFor = dueTime;
                    Period = period;
                    if (dueTime != Timeout.InfiniteTimeSpan)
                    {
                        _clock.ScheduledDelays.Add(dueTime);
                    }
                }

                var result = Inner.Change(dueTime, period);
                _clock.Signal();
                return result;
            }

            public void OnFired()
            {
                lock (_clock._gate)
                {
                    DueAt = Period == Timeout.InfiniteTimeSpan || Period == TimeSpan.Zero ? null : _clock.GetUtcNow() + Period;
                    ScheduledFor = Period;
                }

                _clock.Signal();
            }

            public void Dispose()
            {
                lock (_clock._gate)
                {
                    DueAt = null;
                    _clock._timers.Remove(this);
                }

                Inner.Dispose();
                _clock.Signal();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return default;
            }
        }
    }
}
