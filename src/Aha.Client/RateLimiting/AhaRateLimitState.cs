using System;
using System.Threading;

namespace Aha.Client.RateLimiting
{
    /// <summary>
    /// What the client knows of the rate-limit budget: the server's last <c>X-Ratelimit-*</c> headers and any pause in
    /// force. Read it as <c>aha.RateLimit</c>; it is shared by every client drawing from the same budget.
    /// </summary>
    public sealed class AhaRateLimitState
    {
        private readonly object _gate = new object();
        private readonly TimeProvider _time;
        private int? _limit;
        private int? _remaining;
        private DateTimeOffset? _resetsAt;
        private DateTimeOffset? _pausedUntil;
        private DateTimeOffset? _updatedAt;
        private long _rateLimitedResponses;

        internal AhaRateLimitState(TimeProvider time) => _time = time;

        /// <summary>The server's <c>X-Ratelimit-Limit</c> (requests per window), if it sent one.</summary>
        public int? Limit
        {
            get
            {
                lock (_gate)
                {
                    return _limit;
                }
            }
        }

        /// <summary>The server's last <c>X-Ratelimit-Remaining</c>, if it sent one.</summary>
        public int? Remaining
        {
            get
            {
                lock (_gate)
                {
                    return _remaining;
                }
            }
        }

        /// <summary>When the server said its window resets (<c>X-Ratelimit-Reset</c>), if it sent it.</summary>
        public DateTimeOffset? ResetsAt
        {
            get
            {
                lock (_gate)
                {
                    return _resetsAt;
                }
            }
        }

        /// <summary>Until when requests are held because the server said the budget is spent; null when not paused.</summary>
        public DateTimeOffset? PausedUntil
        {
            get
            {
                lock (_gate)
                {
                    return _pausedUntil is { } until && until > _time.GetUtcNow() ? until : null;
                }
            }
        }

        /// <summary>When a response last carried rate-limit headers.</summary>
        public DateTimeOffset? UpdatedAt
        {
            get
            {
                lock (_gate)
                {
                    return _updatedAt;
                }
            }
        }

        /// <summary>How many 429 responses the clients sharing this budget have received.</summary>
        public long RateLimitedResponses => Interlocked.Read(ref _rateLimitedResponses);

        /// <summary>A one-line summary, for logs.</summary>
        /// <returns>The state as text.</returns>
        public override string ToString() => $"Remaining = {Remaining?.ToString() ?? "?"}, Limit = {Limit?.ToString() ?? "?"}, ResetsAt = {ResetsAt?.ToString("O") ?? "?"}, PausedUntil = {PausedUntil?.ToString("O") ?? "-"}";

        internal void Update(int? limit, int? remaining, DateTimeOffset? resetsAt)
        {
            if (limit is null && remaining is null && resetsAt is null)
            {
                return;
            }

            lock (_gate)
            {
                _limit = limit ?? _limit;
                _remaining = remaining ?? _remaining;
                _resetsAt = resetsAt ?? _resetsAt;
                _updatedAt = _time.GetUtcNow();
            }
        }

        internal void CountRateLimited() => Interlocked.Increment(ref _rateLimitedResponses);

        /// <summary>Extends the pause; returns true when it was extended (not already covered).</summary>
        internal bool PauseUntil(DateTimeOffset until)
        {
            lock (_gate)
            {
                if (_pausedUntil is { } current && current >= until)
                {
                    return false;
                }

                _pausedUntil = until;
                return true;
            }
        }
    }
}
