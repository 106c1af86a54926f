using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Redis.Tests.Infrastructure
{
    /// <summary>
    /// A real HTTP server on 127.0.0.1 (random port) that enforces Aha!-style limits per source IP address, as Aha!
    /// does: at most N accepted requests in any window, several windows at once, counted at arrival; beyond them 429
    /// with <c>Retry-After</c> (whole seconds) and <c>X-Ratelimit-*</c>. Same approach as Aha.Client.Tests'
    /// LoopbackAhaServer, without its fault injection, plus statistics: 429s, peak count per window, arrival times,
    /// and awaitable thresholds so that a test can act "after N accepted requests" without sleeping.
    /// </summary>
    internal sealed class PerIpLimitServer : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly (int Limit, long Ticks)[] _windows;
        private readonly Dictionary<string, List<long>> _acceptedByIp = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        private readonly List<(int Count, TaskCompletionSource<bool> Reached)> _thresholds = new List<(int, TaskCompletionSource<bool>)>();
        private readonly object _gate = new object();
        private readonly Task _loop;
        private readonly long _started = Stopwatch.GetTimestamp();
        private int _accepted;
        private int _rateLimited;
        private int _received;

        public PerIpLimitServer(params (int Limit, TimeSpan Window)[] windows)
        {
            _windows = windows.Select(w => (w.Limit, (long)(w.Window.TotalSeconds * Stopwatch.Frequency))).ToArray();
            PeakPerWindow = new int[_windows.Length];
            Port = StartOnFreePort();
            _loop = Task.Run(LoopAsync);
        }

        public int Port { get; }

        /// <summary>
        /// How long the n-th request received (1-based) takes to "arrive": the server holds it that long before it
        /// counts it, as a slow network path, connection set-up or busy machine would. Null: every request arrives at once.
        /// </summary>
        public Func<int, TimeSpan>? ArrivalDelay { get; set; }

        /// <summary>
        /// How long the server takes to answer the n-th request received (1-based) after it counted it: a slow call.
        /// 429s are answered at once. Null: every request is answered at once.
        /// </summary>
        public Func<int, TimeSpan>? ResponseDelay { get; set; }

        public Uri BaseUrl => new Uri($"http://127.0.0.1:{Port}/api/v1/");

        /// <summary>Requests answered 429 because a limit was exceeded.</summary>
        public int RateLimited => Volatile.Read(ref _rateLimited);

        /// <summary>Requests accepted (answered 200).</summary>
        public int Accepted => Volatile.Read(ref _accepted);

        /// <summary>The largest number of requests accepted from one IP address in any window, per window.</summary>
        public int[] PeakPerWindow { get; }

        /// <summary>Source addresses seen.</summary>
        public IReadOnlyCollection<string> SourceAddresses
        {
            get
            {
                lock (_gate)
                {
                    return _acceptedByIp.Keys.ToList();
                }
            }
        }

        /// <summary>Time from the first accepted request to the last.</summary>
        public TimeSpan ActiveSpan
        {
            get
            {
                lock (_gate)
                {
                    var all = _acceptedByIp.Values.SelectMany(v => v).ToList();
                    return all.Count < 2 ? TimeSpan.Zero : TimeSpan.FromSeconds((all.Max() - all.Min()) / (double)Stopwatch.Frequency);
                }
            }
        }

        /// <summary>Completes once at least <paramref name="count"/> requests have been accepted.</summary>
        public Task WhenAccepted(int count)
        {
            lock (_gate)
            {
                if (_accepted >= count)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _thresholds.Add((count, reached));
                return reached.Task;
            }
        }

        public void Dispose()
        {
            try
            {
                _listener.Stop();
                _listener.Close();
            }
            catch (ObjectDisposedException)
            {
            }

            _loop.Wait(TimeSpan.FromSeconds(5));
        }

        private int StartOnFreePort()
        {
            for (var attempt = 0; ; attempt++)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                try
                {
                    _listener.Prefixes.Clear();
                    _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                    _listener.Start();
                    return port;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                }
            }
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpListenerException || ex is ObjectDisposedException || ex is InvalidOperationException)
                {
                    return;
                }

                var arrival = Stopwatch.GetTimestamp();
                _ = Task.Run(() => HandleAsync(context, arrival));
            }
        }

        private async Task HandleAsync(HttpListenerContext context, long arrival)
        {
            var request = context.Request;
            var response = context.Response;
            try
            {
                if (request.HasEntityBody)
                {
                    using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                    await reader.ReadToEndAsync().ConfigureAwait(false);
                }

                var number = Interlocked.Increment(ref _received);
                if (ArrivalDelay?.Invoke(number) is { } delay && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay).ConfigureAwait(false);
                    arrival = Stopwatch.GetTimestamp();
                }

                var ip = request.RemoteEndPoint?.Address.ToString() ?? "unknown";
                var longest = _windows.OrderByDescending(w => w.Ticks).First();
                if (!TryAccept(ip, arrival, out var retryAfterSeconds, out var remaining, out var resetSeconds))
                {
                    response.StatusCode = 429;
                    response.AddHeader("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture));
                    SetRateHeaders(response, longest.Limit, 0, retryAfterSeconds);
                    await WriteAsync(response, "{\"error\":\"Rate limit exceeded\",\"message\":\"Too many requests\"}").ConfigureAwait(false);
                    return;
                }

                if (ResponseDelay?.Invoke(number) is { } slow && slow > TimeSpan.Zero)
                {
                    await Task.Delay(slow).ConfigureAwait(false);
                }

                SetRateHeaders(response, longest.Limit, remaining, resetSeconds);
                var body = request.HttpMethod == "POST"
                    ? "{\"feature\":{\"id\":\"1\",\"name\":\"x\"}}"
                    : "{\"features\":[],\"pagination\":{\"total_records\":0,\"total_pages\":1,\"current_page\":1}}";
                await WriteAsync(response, body).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException || ex is IOException || ex is ObjectDisposedException || ex is InvalidOperationException)
            {
                // the client went away
            }
        }

        private bool TryAccept(string ip, long arrival, out int retryAfterSeconds, out int remainingInLongest, out int resetSeconds)
        {
            List<TaskCompletionSource<bool>>? reached = null;
            try
            {
                lock (_gate)
                {
                    if (!_acceptedByIp.TryGetValue(ip, out var accepted))
                    {
                        accepted = new List<long>();
                        _acceptedByIp[ip] = accepted;
                    }

                    var waitTicks = 0L;
                    foreach (var (limit, ticks) in _windows)
                    {
                        var inWindow = accepted.Where(t => t > arrival - ticks).OrderBy(t => t).ToList();
                        if (inWindow.Count >= limit)
                        {
                            waitTicks = Math.Max(waitTicks, inWindow[inWindow.Count - limit] + ticks - arrival);
                        }
                    }

                    if (waitTicks > 0)
                    {
                        _rateLimited++;
                        retryAfterSeconds = (int)Math.Ceiling(waitTicks / (double)Stopwatch.Frequency);
                        remainingInLongest = 0;
                        resetSeconds = retryAfterSeconds;
                        return false;
                    }

                    accepted.Add(arrival);
                    _accepted++;
                    for (var i = 0; i < _windows.Length; i++)
                    {
                        PeakPerWindow[i] = Math.Max(PeakPerWindow[i], accepted.Count(t => t > arrival - _windows[i].Ticks));
                    }

                    var longest = _windows.OrderByDescending(w => w.Ticks).First();
                    var inLongest = accepted.Where(t => t > arrival - longest.Ticks).OrderBy(t => t).ToList();
                    remainingInLongest = longest.Limit - inLongest.Count;
                    resetSeconds = (int)Math.Ceiling((inLongest[0] + longest.Ticks - arrival) / (double)Stopwatch.Frequency);
                    retryAfterSeconds = 0;

                    foreach (var t in _thresholds.Where(t => _accepted >= t.Count).ToList())
                    {
                        _thresholds.Remove(t);
                        (reached ??= new List<TaskCompletionSource<bool>>()).Add(t.Reached);
                    }

                    return true;
                }
            }
            finally
            {
                reached?.ForEach(r => r.TrySetResult(true));
            }
        }

        private static void SetRateHeaders(HttpListenerResponse response, int limit, int remaining, int resetInSeconds)
        {
            response.Headers.Set("X-Ratelimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
            response.Headers.Set("X-Ratelimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
            response.Headers.Set("X-Ratelimit-Reset", DateTimeOffset.UtcNow.AddSeconds(resetInSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        private static async Task WriteAsync(HttpListenerResponse response, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
            response.Close();
        }
    }
}
