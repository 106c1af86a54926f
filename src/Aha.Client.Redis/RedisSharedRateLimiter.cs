using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Aha.Client.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Aha.Client.Redis
{
    /// <summary>
    /// A rate limiter whose budget lives in Redis, shared by every process configured with the same key, with the
    /// in-process <see cref="SlidingWindowLogRateLimiter"/> behind it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>Granting.</b> Callers queue in this process (one at a time talks to Redis, roughly first-in first-out). The
    /// head runs <see cref="RedisScripts.Acquire"/>: granted, or told how long until a permit frees. It then waits that
    /// long, or less when another process releases a permit or publishes a pause (pub/sub wakes it), and asks again.
    /// A permit counts as pending (holding its place; with a <c>MaxArrivalDelay</c> assumption, at grant + that delay)
    /// until its lease is disposed, when the response headers have arrived; then it counts from that moment, on Redis's
    /// clock, like the in-process limiter. A refunded lease (the server answered 429) leaves the log.
    /// </para>
    /// <para>
    /// <b>The in-process limiter always runs too</b>, after Redis, with this process's own permits. It almost never waits
    /// while Redis is up (its permits are a subset of the shared ones), but it means that when Redis goes away this
    /// process already knows its own recent history and does not burst.
    /// </para>
    /// <para>
    /// <b>Redis unavailable</b> (not connected, an error, or no answer within <see cref="AhaRedisRateLimitOptions.OperationTimeout"/>;
    /// at start-up, until Redis first answers, within the connection's <c>connectTimeout</c>):
    /// the request is paced by the in-process limiter alone, a warning is logged once per outage, and the
    /// <c>aha.client.rate_limit.fallback</c> counter counts the permits. Redis is tried again after
    /// <see cref="AhaRedisRateLimitOptions.RetryInterval"/>, or at once when the connection is restored; on success the
    /// permits granted locally meanwhile are added to the shared log (<see cref="RedisScripts.Replay"/>), so the others
    /// count them.
    /// </para>
    /// </remarks>
    internal sealed class RedisSharedRateLimiter : RateLimiter, IAhaPausableRateLimiter
    {
        /// <summary>
        /// With no arrival assumption (the default), how long a permit whose response never comes back (its process
        /// crashed) keeps its place: far longer than any request, so a slow request is never counted early.
        /// </summary>
        internal static readonly TimeSpan PendingCap = TimeSpan.FromMinutes(2);

        private static readonly RateLimitLease FailedLease = new FailedLeaseImpl();

        private readonly RedisConnectionSource _source;
        private readonly string _key;
        private readonly AhaRedisRateLimitOptions _options;
        private readonly TimeProvider _time;
        private readonly ILogger _logger;
        private readonly SlidingWindowLogRateLimiter _local;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly RedisKey[] _logKeys;
        private readonly RedisKey[] _acquireKeys;
        private readonly RedisKey[] _pauseKeys;
        private readonly string _channelName;
        private readonly RedisChannel _channel;
        private readonly (int Limit, long Micros)[] _windows;
        private readonly long _marginMicros;
        private readonly long _arrivalMicros;
        private readonly long _horizonMicros;
        private readonly long _pollCapMicros;
        private readonly int _maxPermits;
        private readonly int _queueLimit;
        private readonly string _idPrefix = Guid.NewGuid().ToString("N").Substring(0, 16);
        private readonly KeyValuePair<string, object?>[] _tags;
        private readonly object _state = new object();
        private readonly List<FallbackPermit> _fallbackPermits = new List<FallbackPermit>();
        private TaskCompletionSource<bool> _wake = NewSignal();
        private IConnectionMultiplexer? _redis;
        private bool _coordinated = true;
        private long _retryAt;
        private int _subscribed;
        private long _nextId;
        private int _waiting;
        private long _successful;
        private long _failed;
        private int _disposed;
        private int _warm;
        private long _sharedAvailable = -1;
        private long _sharedAvailableAt;

        public RedisSharedRateLimiter(RedisConnectionSource source, string key, AhaRedisRateLimitOptions options, AhaRateLimitBackendContext context)
        {
            _source = source;
            _key = key;
            _options = options;
            _time = context.TimeProvider;
            _logger = context.LoggerFactory.CreateLogger(RedisLog.Category);
            _queueLimit = context.QueueLimit;

            // Longest window first (the acquire script reads the longest from the first pair).
            var windows = context.GetWindows()
                .Select(w => new RateLimitWindow(w.PermitLimit, TimeSpan.FromTicks((long)(w.Duration.Ticks / options.TimeScale))))
                .OrderByDescending(w => w.Duration)
                .ToArray();
            _windows = windows.Select(w => (w.PermitLimit, w.Duration.Ticks / 10)).ToArray();
            _maxPermits = windows.Min(w => w.PermitLimit);
            _marginMicros = context.SafetyMargin.Ticks / 10;
            _arrivalMicros = (context.MaxArrivalDelay == Timeout.InfiniteTimeSpan ? PendingCap : context.MaxArrivalDelay).Ticks / 10;
            _horizonMicros = _windows[0].Micros + _marginMicros;

            // Without a pub/sub wake-up (a lost message) a waiter still asks again at least once per shortest window.
            _pollCapMicros = Math.Max(1000, _windows[_windows.Length - 1].Micros);

            var local = new SlidingWindowLogRateLimiterOptions
            {
                SafetyMargin = context.SafetyMargin,
                MaxArrivalDelay = context.MaxArrivalDelay,
                QueueLimit = context.QueueLimit,
                TimeProvider = context.TimeProvider,
            };
            foreach (var w in windows)
            {
                local.Windows.Add(w);
            }

            _local = new SlidingWindowLogRateLimiter(local);

            // One hash tag, so that all keys of a budget live on the same node of a Redis cluster.
            _logKeys = new RedisKey[] { "{" + key + "}:permits" };
            _pauseKeys = new RedisKey[] { "{" + key + "}:pause" };
            _acquireKeys = new[] { _logKeys[0], _pauseKeys[0] };
            _channelName = "{" + key + "}:events";
            _channel = RedisChannel.Literal(_channelName);
            _tags = new[] { RedisTelemetry.Key(key) };
        }

        /// <summary>Whether the shared budget is in use (false while paced in-process because Redis is unavailable).</summary>
        public bool IsCoordinated
        {
            get
            {
                lock (_state)
                {
                    return _coordinated;
                }
            }
        }

        /// <inheritdoc />
        public override TimeSpan? IdleDuration => Volatile.Read(ref _waiting) > 0 ? null : _local.IdleDuration;

        /// <inheritdoc />
        public override RateLimiterStatistics? GetStatistics()
        {
            var local = _local.GetStatistics();
            var available = local?.CurrentAvailablePermits ?? 0;

            // What the shared budget had left at this process's last grant (or 0 while its requests wait): recent enough
            // to tell whether a server's "Remaining: 0" is news (someone outside the shared budget) or already known.
            if (IsCoordinated && Interlocked.Read(ref _sharedAvailable) is var shared && shared >= 0
                && _time.GetElapsedTime(Interlocked.Read(ref _sharedAvailableAt)).Ticks <= _pollCapMicros * 10)
            {
                available = Math.Min(available, shared);
            }

            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = available,
                CurrentQueuedCount = Volatile.Read(ref _waiting) + (local?.CurrentQueuedCount ?? 0),
                TotalSuccessfulLeases = Interlocked.Read(ref _successful),
                TotalFailedLeases = Interlocked.Read(ref _failed),
            };
        }

        /// <summary>
        /// Holds every grant until <paramref name="until"/>, in this process at once and in every process sharing the key
        /// through Redis (a pause key read by the acquire script, and a message that wakes their waiters).
        /// </summary>
        /// <param name="until">When granting may resume, on the pipeline's clock.</param>
        public void PauseUntil(DateTimeOffset until)
        {
            var delay = until - _time.GetUtcNow();
            if (delay <= TimeSpan.Zero || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _local.PauseUntil(until);
            var redis = _redis;
            if (redis != null && IsCoordinated && redis.IsConnected)
            {
                var args = new RedisValue[] { delay.Ticks / 10, _channelName };
                FireAndForget(redis, RedisScripts.Pause, _pauseKeys, args);
            }

            Wake();
        }

        /// <inheritdoc />
        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            CheckPermitCount(permitCount);
            ThrowIfDisposed();
            if (permitCount == 0)
            {
                return _local.AttemptAcquire(0);
            }

            string[]? ids = null;
            var redis = _redis;
            if (redis != null && IsCoordinated && redis.IsConnected)
            {
                if (!_gate.Wait(0))
                {
                    // Others are queued ahead in this process: no permit without waiting, like the in-process limiter.
                    Interlocked.Increment(ref _failed);
                    return FailedLease;
                }

                try
                {
                    var id = NextId();
                    var result = (RedisResult[]?)redis.GetDatabase().ScriptEvaluate(RedisScripts.Acquire, _acquireKeys, AcquireArgs(id, permitCount));
                    if (result is null || (long)result[0] != 1)
                    {
                        Interlocked.Increment(ref _failed);
                        var wait = result is null ? 0 : (long)result[1];
                        NoteShared(0);
                        return new FailedLeaseImpl(TimeSpan.FromTicks(wait * 10));
                    }

                    NoteShared(result.Length > 2 ? (long)result[2] : -1);

                    ids = Ids(id, permitCount);
                }
                catch (Exception ex) when (!(ex is ObjectDisposedException))
                {
                    Fail(Describe(ex));
                }
                finally
                {
                    _gate.Release();
                }
            }

            var localLease = _local.AttemptAcquire(permitCount);
            return Complete(ids, localLease, permitCount);
        }

        /// <inheritdoc />
        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            CheckPermitCount(permitCount);
            ThrowIfDisposed();
            if (permitCount == 0)
            {
                return await _local.AcquireAsync(0, cancellationToken).ConfigureAwait(false);
            }

            var ahead = Interlocked.Increment(ref _waiting) - 1;
            string[]? ids;
            try
            {
                if (ahead > _queueLimit)
                {
                    Interlocked.Increment(ref _failed);
                    return FailedLease;
                }

                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    ids = await AcquireSharedAsync(permitCount, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }

            RateLimitLease localLease;
            try
            {
                localLease = await _local.AcquireAsync(permitCount, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                if (ids != null)
                {
                    Release(ids);
                }

                throw;
            }

            return Complete(ids, localLease, permitCount);
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (!disposing || Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Wake();
            _local.Dispose();
            var redis = _redis;
            if (redis != null && Volatile.Read(ref _subscribed) == 1)
            {
                try
                {
                    redis.GetSubscriber().Unsubscribe(_channel, OnMessage, CommandFlags.FireAndForget);
                }
                catch (Exception ex) when (ex is RedisException || ex is ObjectDisposedException)
                {
                }
            }
        }

        /// <inheritdoc />
        protected override ValueTask DisposeAsyncCore()
        {
            Dispose(true);
            return default;
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private static string Describe(Exception ex)
        {
            var message = ex.Message;
            var newline = message.IndexOfAny(new[] { '\r', '\n' });
            if (newline >= 0)
            {
                message = message.Substring(0, newline);
            }

            if (message.Length > 300)
            {
                message = message.Substring(0, 300) + "...";
            }

            return ex.GetType().Name + ": " + message;
        }

        private static async Task<T> WithTimeout<T>(Task<T> task, TimeSpan timeout)
        {
            if (!task.IsCompleted)
            {
                using var cts = new CancellationTokenSource();
                var done = await Task.WhenAny(task, Task.Delay(timeout, cts.Token)).ConfigureAwait(false);
                if (done != task)
                {
                    // Observe the late outcome so that it never surfaces as an unobserved task exception.
                    _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw new TimeoutException($"no answer within {timeout.TotalMilliseconds:0} ms");
                }

                cts.Cancel();
            }

            return await task.ConfigureAwait(false);
        }

        private async Task<string[]?> AcquireSharedAsync(int permits, CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!IsCoordinated && _time.GetTimestamp() < Volatile.Read(ref _retryAt))
                {
                    return null;
                }

                var redis = await ConnectAsync().ConfigureAwait(false);
                if (redis is null)
                {
                    return null;
                }

                if (!IsCoordinated && !await RecoverAsync(redis).ConfigureAwait(false))
                {
                    return null;
                }

                var signal = Volatile.Read(ref _wake).Task;
                var id = NextId();
                RedisResult[]? result;
                try
                {
                    result = (RedisResult[]?)await WithTimeout(redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.Acquire, _acquireKeys, AcquireArgs(id, permits)), CallTimeout).ConfigureAwait(false);
                    Volatile.Write(ref _warm, 1);
                }
                catch (Exception ex) when (!(ex is ObjectDisposedException))
                {
                    Fail(Describe(ex));
                    return null;
                }

                if (result is null || result.Length < 2)
                {
                    Fail("unexpected answer from the acquire script");
                    return null;
                }

                if ((long)result[0] == 1)
                {
                    NoteShared(result.Length > 2 ? (long)result[2] : -1);
                    return Ids(id, permits);
                }

                NoteShared(0);

                var waitMicros = Math.Max(1, Math.Min((long)result[1], _pollCapMicros));
                await WaitAsync(TimeSpan.FromTicks(waitMicros * 10), signal, cancellationToken).ConfigureAwait(false);
            }
        }

        // The connection, or null (reported as a failure) when Redis cannot be used now.
        private async Task<IConnectionMultiplexer?> ConnectAsync()
        {
            var redis = _redis;
            if (redis is null)
            {
                var pending = _source.GetAsync();
                try
                {
                    redis = await WithTimeout(pending, StartupTimeout).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Fail("connecting: " + Describe(ex));
                    return null;
                }

                if (Interlocked.CompareExchange(ref _redis, redis, null) == null)
                {
                    redis.ConnectionRestored += OnConnectionRestored;
                }
            }

            if (!redis.IsConnected)
            {
                Fail("not connected");
                return null;
            }

            if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
            {
                _ = SubscribeAsync(redis);
            }

            return redis;
        }

        private async Task SubscribeAsync(IConnectionMultiplexer redis)
        {
            try
            {
                // StackExchange.Redis re-subscribes by itself after a reconnect.
                await redis.GetSubscriber().SubscribeAsync(_channel, OnMessage).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException || ex is TimeoutException || ex is ObjectDisposedException)
            {
                Volatile.Write(ref _subscribed, 0); // try again on the next request; meanwhile waiters poll
            }
        }

        private void OnMessage(RedisChannel channel, RedisValue message)
        {
            var text = (string?)message;
            if (text != null && text.StartsWith("p:", StringComparison.Ordinal)
                && long.TryParse(text.Substring(2), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros) && micros > 0)
            {
                // Another process was told the budget is spent: hold this process's grants too, even if they come
                // from the in-process limiter later.
                try
                {
                    _local.PauseUntil(_time.GetUtcNow() + TimeSpan.FromTicks(micros * 10));
                }
                catch (ObjectDisposedException)
                {
                }
            }

            Wake();
        }

        private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
        {
            Volatile.Write(ref _retryAt, 0); // try Redis again with the next request
            Wake();
        }

        private async Task<bool> RecoverAsync(IConnectionMultiplexer redis)
        {
            List<FallbackPermit> replay;
            lock (_state)
            {
                replay = new List<FallbackPermit>(_fallbackPermits);
            }

            var now = _time.GetTimestamp();
            var args = new List<RedisValue> { (_horizonMicros + _arrivalMicros) / 1000 + 1000 };
            var count = 0;
            foreach (var p in replay)
            {
                var age = MicrosBetween(p.CountedAt(_arrivalMicros, _time.TimestampFrequency), now);
                if (age > _horizonMicros)
                {
                    continue;
                }

                for (var i = 1; i <= p.Permits; i++)
                {
                    args.Add(p.Id + "#" + i.ToString(CultureInfo.InvariantCulture));
                    args.Add(age);
                    count++;
                }
            }

            try
            {
                await WithTimeout(redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.Replay, _logKeys, args.ToArray()), CallTimeout).ConfigureAwait(false);
                Volatile.Write(ref _warm, 1);
            }
            catch (Exception ex) when (!(ex is ObjectDisposedException))
            {
                Fail(Describe(ex));
                return false;
            }

            lock (_state)
            {
                _fallbackPermits.Clear();
                _coordinated = true;
            }

            RedisLog.Recovered(_logger, _source.Endpoints, _key, count);
            return true;
        }

        // Until a first call succeeded (script loaded, code paths compiled, possibly on a busy machine), a slow answer
        // is start-up, not an outage: wait as long as a first connection may take.
        private TimeSpan CallTimeout => Volatile.Read(ref _warm) == 1 ? _options.OperationTimeout : StartupTimeout;

        private TimeSpan StartupTimeout => _source.ConnectTimeout > _options.OperationTimeout ? _source.ConnectTimeout : _options.OperationTimeout;

        private long MicrosBetween(long fromTimestamp, long toTimestamp) =>
            (long)((toTimestamp - fromTimestamp) * (1_000_000.0 / _time.TimestampFrequency));

        private void Fail(string reason)
        {
            bool wasCoordinated;
            lock (_state)
            {
                wasCoordinated = _coordinated;
                _coordinated = false;
                Volatile.Write(ref _retryAt, _time.GetTimestamp() + (long)(_options.RetryInterval.TotalSeconds * _time.TimestampFrequency));
            }

            if (wasCoordinated)
            {
                RedisLog.Unavailable(_logger, _source.Endpoints, _key, reason, null);
                RedisTelemetry.Outages.Add(1, _tags);
            }
            else
            {
                RedisLog.StillUnavailable(_logger, reason);
            }
        }

        private async Task WaitAsync(TimeSpan wait, Task signal, CancellationToken cancellationToken)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait, cts.Token);
            await Task.WhenAny(delay, signal).ConfigureAwait(false);
            cts.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        private void Wake() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult(true);

        private void NoteShared(long available)
        {
            Interlocked.Exchange(ref _sharedAvailable, available);
            Interlocked.Exchange(ref _sharedAvailableAt, _time.GetTimestamp());
        }

        // The server refused the request (429): the permits leave the shared log (and this process's), and a permit
        // granted during an outage is not replayed into Redis later.
        private void OnLeaseRefunded(string[]? ids, FallbackPermit? fallback)
        {
            if (fallback != null)
            {
                lock (_state)
                {
                    _fallbackPermits.Remove(fallback);
                }
            }

            var redis = _redis;
            if (ids is null || redis is null || !redis.IsConnected)
            {
                return; // not in Redis (or unreachable: the permit then counts as pending until its cap, never early)
            }

            var args = new RedisValue[ids.Length + 1];
            args[0] = _channelName;
            for (var i = 0; i < ids.Length; i++)
            {
                args[i + 1] = ids[i];
            }

            FireAndForget(redis, RedisScripts.Refund, _logKeys, args);
            Wake();
        }

        private RateLimitLease Complete(string[]? ids, RateLimitLease localLease, int permits)
        {
            if (!localLease.IsAcquired)
            {
                if (ids != null)
                {
                    Release(ids);
                }

                Interlocked.Increment(ref _failed);
                return localLease;
            }

            FallbackPermit? fallback = null;
            if (ids is null)
            {
                fallback = new FallbackPermit(_idPrefix + ":f" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture), permits, _time.GetTimestamp());
                lock (_state)
                {
                    // Keep only what can still count in a window (the list is replayed into Redis on recovery).
                    var now = _time.GetTimestamp();
                    _fallbackPermits.RemoveAll(p => MicrosBetween(p.CountedAt(_arrivalMicros, _time.TimestampFrequency), now) > _horizonMicros);
                    _fallbackPermits.Add(fallback);
                }

                RedisTelemetry.Fallback.Add(permits, _tags);
            }

            Interlocked.Increment(ref _successful);
            return new Lease(this, ids, localLease, fallback);
        }

        private void Release(string[] ids)
        {
            var redis = _redis;
            if (redis is null || !redis.IsConnected)
            {
                return; // the permits stay counted at grant + MaxArrivalDelay: later than true, never earlier
            }

            var args = new RedisValue[ids.Length + 1];
            args[0] = _channelName;
            for (var i = 0; i < ids.Length; i++)
            {
                args[i + 1] = ids[i];
            }

            FireAndForget(redis, RedisScripts.Release, _logKeys, args);
            Wake();
        }

        private void FireAndForget(IConnectionMultiplexer redis, string script, RedisKey[] keys, RedisValue[] args)
        {
            try
            {
                redis.GetDatabase().ScriptEvaluate(script, keys, args, CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException || ex is TimeoutException || ex is ObjectDisposedException)
            {
                // Best effort: a lost release only keeps a permit counted longer; a lost pause is still enforced here.
            }
        }

        private string NextId() => _idPrefix + ":" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

        private static string[] Ids(string id, int permits)
        {
            var ids = new string[permits];
            for (var i = 0; i < permits; i++)
            {
                ids[i] = id + "#" + (i + 1).ToString(CultureInfo.InvariantCulture);
            }

            return ids;
        }

        private RedisValue[] AcquireArgs(string id, int permits)
        {
            var args = new RedisValue[4 + (_windows.Length * 2)];
            args[0] = id;
            args[1] = permits;
            args[2] = _marginMicros;
            args[3] = _arrivalMicros;
            for (var i = 0; i < _windows.Length; i++)
            {
                args[4 + (i * 2)] = _windows[i].Limit;
                args[5 + (i * 2)] = _windows[i].Micros;
            }

            return args;
        }

        private void CheckPermitCount(int permitCount)
        {
            if (permitCount < 0 || permitCount > _maxPermits)
            {
                throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"A request may ask for 0 to {_maxPermits} permits.");
            }
        }

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(RedisSharedRateLimiter));
            }
        }

        private void OnLeaseDisposed(string[]? ids, FallbackPermit? fallback)
        {
            if (ids != null)
            {
                Release(ids);
            }

            if (fallback != null)
            {
                lock (_state)
                {
                    fallback.Completed = _time.GetTimestamp();
                }
            }
        }

        /// <summary>A permit granted by the in-process limiter alone while Redis was unavailable.</summary>
        private sealed class FallbackPermit
        {
            public FallbackPermit(string id, int permits, long granted)
            {
                Id = id;
                Permits = permits;
                Granted = granted;
            }

            public string Id { get; }

            public int Permits { get; }

            public long Granted { get; }

            public long? Completed { get; set; }

            // Like the limiters: counted when its response arrived, but no later than grant + arrival delay.
            public long CountedAt(long arrivalMicros, long frequency)
            {
                var latest = Granted + (long)(arrivalMicros * (frequency / 1_000_000.0));
                return Completed is { } done ? Math.Min(done, latest) : latest;
            }
        }

        private sealed class Lease : RateLimitLease, IAhaRefundableLease
        {
            private readonly RedisSharedRateLimiter _owner;
            private readonly string[]? _ids;
            private readonly RateLimitLease _local;
            private readonly FallbackPermit? _fallback;
            private int _disposed;

            public Lease(RedisSharedRateLimiter owner, string[]? ids, RateLimitLease local, FallbackPermit? fallback)
            {
                _owner = owner;
                _ids = ids;
                _local = local;
                _fallback = fallback;
            }

            public override bool IsAcquired => true;

            public override IEnumerable<string> MetadataNames => Array.Empty<string>();

            public void Refund()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    if (_local is IAhaRefundableLease local)
                    {
                        local.Refund();
                    }
                    else
                    {
                        _local.Dispose();
                    }

                    _owner.OnLeaseRefunded(_ids, _fallback);
                }
            }

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = null;
                return false;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    _local.Dispose();
                    _owner.OnLeaseDisposed(_ids, _fallback);
                }
            }
        }

        private sealed class FailedLeaseImpl : RateLimitLease
        {
            private readonly TimeSpan? _retryAfter;

            public FailedLeaseImpl(TimeSpan? retryAfter = null) => _retryAfter = retryAfter;

            public override bool IsAcquired => false;

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
