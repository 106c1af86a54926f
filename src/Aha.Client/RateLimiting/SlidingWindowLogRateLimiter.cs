using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace Aha.Client.RateLimiting
{
    /// <summary>
    /// An exact sliding-log <see cref="RateLimiter"/> that enforces several windows at once (Aha!: 20 per second
    /// and 300 per minute) on a <see cref="System.TimeProvider"/>, queueing callers first-in first-out.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why not the built-in limiters: a <see cref="SlidingWindowRateLimiter"/> counts in segments and hands a permit
    /// back up to one segment early, while Aha!'s server counts exactly, so set to the server's numbers it causes
    /// 429s (each costing at least a second); its replenishment timer is also not driven by a
    /// <see cref="System.TimeProvider"/>, so it cannot be tested without sleeping. Chaining two limiters has a third
    /// problem: the first records its permit before the request waits in the second.
    /// </para>
    /// <para>
    /// This limiter keeps a log of its permits and grants one only when, for every window, fewer than <c>limit</c>
    /// permits are counted in the last <c>window + SafetyMargin</c>. All windows are checked atomically, so there is no
    /// chaining skew. Measured against a server enforcing Aha!'s limits, an exact sliding log finished 400 pages in
    /// 1.004x the theoretical minimum with no 429.
    /// </para>
    /// <para>
    /// <b>When a permit counts.</b> The server counts a request when it arrives, which is some time after the permit
    /// was granted here (a new TLS connection, a busy machine or a slow first call can take a second or more) and
    /// before its response headers come back. So a permit holds its place in every window while its request is in
    /// flight, and counts at the moment its lease is <b>disposed</b> (the Aha! client disposes it when the response
    /// headers arrive, before the body is read): the earliest moment at which the request has surely been counted by
    /// the server, whatever the network or the machine did. The window therefore never reopens early, and the margin
    /// only covers the server's own rounding. With <see cref="SlidingWindowLogRateLimiterOptions.MaxArrivalDelay"/>
    /// set, a permit counts no later than <c>grant + MaxArrivalDelay</c>, an assumption you make about your network.
    /// </para>
    /// <para>
    /// <b>Refused attempts.</b> A lease on which <see cref="IAhaRefundableLease.Refund"/> is called (the server answered
    /// 429) leaves the log: whether the server counted it is the server's to say, through its 429 delay and
    /// <c>X-Ratelimit-*</c> headers, which pause the limiter.
    /// </para>
    /// </remarks>
    public sealed class SlidingWindowLogRateLimiter : RateLimiter, IAhaPausableRateLimiter
    {
        private static readonly RateLimitLease NoPermitLease = new Lease(null, true, null);

        // A permit in flight with no cap on its arrival counts this far in the future: it holds its place until disposed.
        private const long PendingTicks = long.MaxValue / 8;

        // Longer waits than this are not timed: only a disposed lease (or a pause ending) can end them.
        private static readonly long MaxTimerTicks = TimeSpan.FromDays(1).Ticks;

        private readonly object _gate = new object();
        private readonly TimeProvider _time;
        private readonly long _origin;
        private readonly Window[] _windows;
        private readonly long _marginTicks;
        private readonly int _queueLimit;
        private readonly long _arrivalTicks;
        private readonly List<Entry> _log = new List<Entry>();
        private readonly LinkedList<Waiter> _queue = new LinkedList<Waiter>();
        private readonly ITimer _timer;
        private readonly long _longestWindowTicks;
        private long[] _scratch = new long[64];
        private int _queuedPermits;
        private long _pausedUntilTicks = long.MinValue;
        private long _idleSinceTicks;
        private long _successfulLeases;
        private long _failedLeases;
        private bool _disposed;

        /// <summary>Creates the limiter.</summary>
        /// <param name="options">Windows, margin, queue limit and time source.</param>
        public SlidingWindowLogRateLimiter(SlidingWindowLogRateLimiterOptions options)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (options.Windows.Count == 0)
            {
                throw new ArgumentException("At least one window is required.", nameof(options));
            }

            var windows = new Window[options.Windows.Count];
            var longest = 0L;
            for (var i = 0; i < windows.Length; i++)
            {
                var w = options.Windows[i];
                if (w.PermitLimit <= 0)
                {
                    throw new ArgumentException($"Window {i}: PermitLimit must be positive (was {w.PermitLimit}).", nameof(options));
                }

                if (w.Duration <= TimeSpan.Zero)
                {
                    throw new ArgumentException($"Window {i}: Duration must be positive (was {w.Duration}).", nameof(options));
                }

                windows[i] = new Window(w.PermitLimit, w.Duration.Ticks);
                longest = Math.Max(longest, w.Duration.Ticks);
            }

            if (options.SafetyMargin < TimeSpan.Zero)
            {
                throw new ArgumentException("SafetyMargin must not be negative.", nameof(options));
            }

            if (options.MaxArrivalDelay < TimeSpan.Zero && options.MaxArrivalDelay != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentException("MaxArrivalDelay must not be negative (Timeout.InfiniteTimeSpan: no cap).", nameof(options));
            }

            if (options.QueueLimit < 0)
            {
                throw new ArgumentException("QueueLimit must not be negative.", nameof(options));
            }

            _windows = windows;
            _marginTicks = options.SafetyMargin.Ticks;
            _arrivalTicks = options.MaxArrivalDelay == Timeout.InfiniteTimeSpan ? PendingTicks : options.MaxArrivalDelay.Ticks;
            _longestWindowTicks = longest;
            _queueLimit = options.QueueLimit;
            _time = options.TimeProvider ?? TimeProvider.System;
            _origin = _time.GetTimestamp();
            _timer = _time.CreateTimer(static s => ((SlidingWindowLogRateLimiter)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        /// <summary>The smallest permit limit of all windows: the most permits one request may ask for.</summary>
        public int MaxPermitsPerRequest
        {
            get
            {
                var min = int.MaxValue;
                foreach (var w in _windows)
                {
                    min = Math.Min(min, w.Limit);
                }

                return min;
            }
        }

        /// <inheritdoc />
        public override TimeSpan? IdleDuration
        {
            get
            {
                lock (_gate)
                {
                    var now = Now();
                    if (_queue.Count > 0 || AvailableLocked(now) < MaxPermitsPerRequest)
                    {
                        return null;
                    }

                    return TimeSpan.FromTicks(Math.Max(0, now - _idleSinceTicks));
                }
            }
        }

        /// <summary>
        /// Holds every grant until <paramref name="until"/>: used when the server says the budget is spent (a
        /// response with <c>X-Ratelimit-Remaining: 0</c>, or a 429), for instance because another process on the
        /// same IP address is using it. Queued callers keep their place.
        /// </summary>
        /// <param name="until">When granting may resume (in the limiter's <see cref="System.TimeProvider"/> time).</param>
        public void PauseUntil(DateTimeOffset until)
        {
            var delay = until - _time.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }

            List<Waiter>? toComplete;
            lock (_gate)
            {
                ThrowIfDisposed();
                var target = Now() + delay.Ticks;
                if (target <= _pausedUntilTicks)
                {
                    return;
                }

                _pausedUntilTicks = target;
                toComplete = GrantQueuedLocked(Now());
            }

            Complete(toComplete);
        }

        /// <inheritdoc />
        public override RateLimiterStatistics? GetStatistics()
        {
            lock (_gate)
            {
                return new RateLimiterStatistics
                {
                    CurrentAvailablePermits = _disposed ? 0 : AvailableLocked(Now()),
                    CurrentQueuedCount = _queuedPermits,
                    TotalSuccessfulLeases = Interlocked.Read(ref _successfulLeases),
                    TotalFailedLeases = Interlocked.Read(ref _failedLeases),
                };
            }
        }

        /// <inheritdoc />
        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            CheckPermitCount(permitCount);
            lock (_gate)
            {
                ThrowIfDisposed();
                var now = Now();
                if (_queue.Count == 0 && NextGrantTicksLocked(now, Math.Max(1, permitCount)) <= now)
                {
                    return Record(now, permitCount);
                }

                return FailedLocked(now, Math.Max(1, permitCount));
            }
        }

        /// <inheritdoc />
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            CheckPermitCount(permitCount);
            cancellationToken.ThrowIfCancellationRequested();
            Waiter waiter;
            lock (_gate)
            {
                ThrowIfDisposed();
                var now = Now();
                if (_queue.Count == 0 && NextGrantTicksLocked(now, Math.Max(1, permitCount)) <= now)
                {
                    return new ValueTask<RateLimitLease>(Record(now, permitCount));
                }

                if (_queuedPermits + permitCount > _queueLimit)
                {
                    return new ValueTask<RateLimitLease>(FailedLocked(now, Math.Max(1, permitCount)));
                }

                waiter = new Waiter(permitCount);
                waiter.Node = _queue.AddLast(waiter);
                _queuedPermits += permitCount;
                ScheduleLocked(now);
            }

            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(static s =>
                {
                    var (self, w, token) = ((SlidingWindowLogRateLimiter, Waiter, CancellationToken))s!;
                    self.Cancel(w, token);
                }, (this, waiter, cancellationToken));
            }

            return new ValueTask<RateLimitLease>(waiter.Completion.Task);
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (!disposing)
            {
                return;
            }

            List<Waiter> pending;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                pending = new List<Waiter>(_queue);
                _queue.Clear();
                _queuedPermits = 0;
            }

            _timer.Dispose();
            foreach (var w in pending)
            {
                w.Registration.Dispose();
                w.Completion.TrySetResult(new Lease(null, false, null));
            }
        }

        /// <inheritdoc />
        protected override ValueTask DisposeAsyncCore()
        {
            Dispose(true);
            return default;
        }

        private long Now() => _time.GetElapsedTime(_origin).Ticks;

        private void CheckPermitCount(int permitCount)
        {
            if (permitCount < 0 || permitCount > MaxPermitsPerRequest)
            {
                throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"A request may ask for 0 to {MaxPermitsPerRequest} permits.");
            }
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(SlidingWindowLogRateLimiter));
            }
        }

        private RateLimitLease Record(long now, int permits)
        {
            if (permits == 0)
            {
                return NoPermitLease;
            }

            Trim(now);
            var entry = new Entry(now, permits);
            _log.Add(entry);
            Interlocked.Increment(ref _successfulLeases);
            _idleSinceTicks = now;
            return new Lease(this, true, null) { Entry = entry };
        }

        // When the server may have counted this permit, at the latest (see the class remarks).
        private long CountedAt(Entry e) => e.Completed is { } done ? Math.Min(done, e.Granted + _arrivalTicks) : e.Granted + _arrivalTicks;

        private void Trim(long now)
        {
            // A plain loop: RemoveAll with a lambda allocated a closure on every grant.
            var horizon = now - _longestWindowTicks - _marginTicks;
            var kept = 0;
            for (var i = 0; i < _log.Count; i++)
            {
                var e = _log[i];
                if (CountedAt(e) > horizon)
                {
                    _log[kept++] = e;
                }
            }

            if (kept < _log.Count)
            {
                _log.RemoveRange(kept, _log.Count - kept);
            }
        }

        // The counted-at times of all permits in the log, latest first (one value per permit).
        private int SortedCountedAt()
        {
            var total = 0;
            foreach (var e in _log)
            {
                total += e.Permits;
            }

            if (_scratch.Length < total)
            {
                _scratch = new long[Math.Max(total, _scratch.Length * 2)];
            }

            var i = 0;
            foreach (var e in _log)
            {
                var at = CountedAt(e);
                for (var p = 0; p < e.Permits; p++)
                {
                    _scratch[i++] = at;
                }
            }

            Array.Sort(_scratch, 0, total);
            Array.Reverse(_scratch, 0, total);
            return total;
        }

        // The earliest time at which `permits` more grants keep every window within its limit (and the pause is over).
        private long NextGrantTicksLocked(long now, int permits)
        {
            var next = Math.Max(now, _pausedUntilTicks);
            var count = SortedCountedAt();
            foreach (var w in _windows)
            {
                // At most limit - permits earlier permits may still count in the window once ours are added: the next
                // latest one must have left it (window + margin) first.
                var index = w.Limit - permits;
                if (index < count)
                {
                    next = Math.Max(next, _scratch[index] + w.Ticks + _marginTicks);
                }
            }

            return next;
        }

        private int AvailableLocked(long now)
        {
            if (now < _pausedUntilTicks)
            {
                return 0;
            }

            var count = SortedCountedAt();
            var available = int.MaxValue;
            foreach (var w in _windows)
            {
                var inWindow = 0;
                while (inWindow < count && _scratch[inWindow] + w.Ticks + _marginTicks > now)
                {
                    inWindow++;
                }

                available = Math.Min(available, w.Limit - inWindow);
            }

            return Math.Max(0, available);
        }

        // A lease was disposed: its request is answered, so it counts from now at the latest; this may reopen the window.
        private void OnLeaseDisposed(Entry entry)
        {
            List<Waiter>? toComplete;
            lock (_gate)
            {
                if (entry.Completed.HasValue)
                {
                    return;
                }

                var now = Now();
                entry.Completed = now;
                if (_disposed)
                {
                    return;
                }

                toComplete = GrantQueuedLocked(now);
            }

            Complete(toComplete);
        }

        // The server refused the request (429): it leaves the log, and the server's delay (a pause) governs instead.
        private void OnLeaseRefunded(Entry entry)
        {
            List<Waiter>? toComplete;
            lock (_gate)
            {
                if (!_log.Remove(entry) || _disposed)
                {
                    return;
                }

                toComplete = GrantQueuedLocked(Now());
            }

            Complete(toComplete);
        }

        private RateLimitLease FailedLocked(long now, int permits)
        {
            Interlocked.Increment(ref _failedLeases);
            var wait = NextGrantTicksLocked(now, permits) - now;
            return new Lease(null, false, wait > MaxTimerTicks ? null : TimeSpan.FromTicks(Math.Max(0, wait)));
        }

        private void ScheduleLocked(long now)
        {
            if (_queue.Count == 0)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            var head = _queue.First!.Value;
            var due = NextGrantTicksLocked(now, Math.Max(1, head.Permits)) - now;
            _timer.Change(due > MaxTimerTicks ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(0, due)), Timeout.InfiniteTimeSpan);
        }

        private void OnTimer()
        {
            List<Waiter>? toComplete;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                toComplete = GrantQueuedLocked(Now());
            }

            Complete(toComplete);
        }

        // Grants queued requests strictly in arrival order, then re-arms the timer for the new head.
        private List<Waiter>? GrantQueuedLocked(long now)
        {
            List<Waiter>? granted = null;
            while (_queue.Count > 0)
            {
                var head = _queue.First!.Value;
                if (NextGrantTicksLocked(now, Math.Max(1, head.Permits)) > now)
                {
                    break;
                }

                _queue.RemoveFirst();
                head.Node = null;
                _queuedPermits -= head.Permits;
                head.Granted = Record(now, head.Permits);
                (granted ??= new List<Waiter>()).Add(head);
            }

            ScheduleLocked(now);
            return granted;
        }

        private static void Complete(List<Waiter>? granted)
        {
            if (granted is null)
            {
                return;
            }

            foreach (var w in granted)
            {
                // Outside the lock: disposing a registration waits for a running cancellation callback, which takes the lock.
                w.Registration.Dispose();
                if (!w.Completion.TrySetResult(w.Granted!))
                {
                    w.Granted!.Dispose(); // cancelled at the same moment: the permit is released at once
                }
            }
        }

        private void Cancel(Waiter waiter, CancellationToken token)
        {
            lock (_gate)
            {
                if (waiter.Node is null)
                {
                    return; // already granted
                }

                _queue.Remove(waiter.Node);
                waiter.Node = null;
                _queuedPermits -= waiter.Permits;
                if (!_disposed)
                {
                    ScheduleLocked(Now());
                }
            }

            waiter.Completion.TrySetCanceled(token);
        }

        private readonly struct Window
        {
            public Window(int limit, long ticks)
            {
                Limit = limit;
                Ticks = ticks;
            }

            public int Limit { get; }

            public long Ticks { get; }
        }

        private sealed class Waiter
        {
            public Waiter(int permits) => Permits = permits;

            public int Permits { get; }

            public LinkedListNode<Waiter>? Node { get; set; }

            public RateLimitLease? Granted { get; set; }

            public CancellationTokenRegistration Registration { get; set; }

            public TaskCompletionSource<RateLimitLease> Completion { get; } = new TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        private sealed class Entry
        {
            public Entry(long granted, int permits)
            {
                Granted = granted;
                Permits = permits;
            }

            public long Granted { get; }

            public int Permits { get; }

            public long? Completed { get; set; }
        }

        private sealed class Lease : RateLimitLease, IAhaRefundableLease
        {
            private readonly SlidingWindowLogRateLimiter? _owner;
            private readonly TimeSpan? _retryAfter;
            private int _disposed;

            public Lease(SlidingWindowLogRateLimiter? owner, bool acquired, TimeSpan? retryAfter)
            {
                _owner = owner;
                IsAcquired = acquired;
                _retryAfter = retryAfter;
            }

            public Entry? Entry { get; set; }

            public override bool IsAcquired { get; }

            protected override void Dispose(bool disposing)
            {
                if (disposing && Entry != null && _owner != null && Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    _owner.OnLeaseDisposed(Entry);
                }
            }

            public void Refund()
            {
                if (Entry != null && _owner != null && Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    _owner.OnLeaseRefunded(Entry);
                }
            }

            public override IEnumerable<string> MetadataNames => _retryAfter.HasValue ? new[] { MetadataName.RetryAfter.Name } : Array.Empty<string>();

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                if (_retryAfter.HasValue && metadataName == MetadataName.RetryAfter.Name)
                {
                    metadata = _retryAfter.Value;
                    return true;
                }

                metadata = null;
                return false;
            }
        }
    }
}
