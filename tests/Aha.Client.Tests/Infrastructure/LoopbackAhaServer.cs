using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>
    /// A real HTTP server on 127.0.0.1 (random port) that enforces Aha!-style limits exactly (at most N accepted
    /// requests in any window, several windows at once, counted at arrival) and answers 429 with <c>Retry-After</c> and
    /// <c>X-Ratelimit-*</c> beyond them. Paths inject faults:
    /// <list type="bullet">
    /// <item><c>POST features</c> records the record name of the body (to detect duplicated writes);</item>
    /// <item><c>flaky/*</c>: 500 the first time; <c>html/*</c>: an HTML 502 page the first time;
    /// <c>reset/*</c>: the connection is aborted the first time; <c>limited/{form}</c>: one 429 in the given form;</item>
    /// <item><c>POST fail</c>: always 500; <c>POST abort</c>: always aborts the connection.</item>
    /// </list>
    /// It stops when disposed; nothing leaves the loopback interface.
    /// </summary>
    internal sealed class LoopbackAhaServer : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly (int Limit, long Ticks)[] _windows;
        private readonly List<long> _accepted = new List<long>();
        private readonly object _gate = new object();
        private readonly ConcurrentDictionary<string, int> _firstTimes = new ConcurrentDictionary<string, int>();
        private readonly Task _loop;
        private readonly long _started = Stopwatch.GetTimestamp();
        private int _rateLimited;
        private int _received;

        public LoopbackAhaServer(params (int Limit, TimeSpan Window)[] windows)
        {
            _windows = windows.Select(w => (w.Limit, (long)(w.Window.TotalSeconds * Stopwatch.Frequency))).ToArray();
            Port = StartOnFreePort();
            _loop = Task.Run(LoopAsync);
        }

        public int Port { get; }

        public Uri BaseUrl => new Uri($"http://127.0.0.1:{Port}/api/v1/");

        /// <summary>429s the server sent because a limit was exceeded (injected ones not counted).</summary>
        public int RateLimited => Volatile.Read(ref _rateLimited);

        /// <summary>What was rejected with 429 and when (ms since start), for diagnostics.</summary>
        public ConcurrentQueue<string> RateLimitedPaths { get; } = new ConcurrentQueue<string>();

        /// <summary>Requests that reached the server, 429s included.</summary>
        public int Received => Volatile.Read(ref _received);

        /// <summary>How many times each POSTed record name reached the server (rate-limited attempts excluded).</summary>
        public ConcurrentDictionary<string, int> ProcessedWrites { get; } = new ConcurrentDictionary<string, int>();

        /// <summary>How many requests reached each path (rate-limited attempts excluded).</summary>
        public ConcurrentDictionary<string, int> ProcessedByPath { get; } = new ConcurrentDictionary<string, int>();

        /// <summary>The largest number of accepted requests seen in any window, per window.</summary>
        public int[] PeakPerWindow { get; private set; } = Array.Empty<int>();

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
            Interlocked.Increment(ref _received);
            var request = context.Request;
            var response = context.Response;
            try
            {
                var body = request.HasEntityBody ? await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync().ConfigureAwait(false) : string.Empty;
                var path = request.Url!.AbsolutePath;

                if (!TryAccept(arrival, out var retryAfterSeconds, out var remaining, out var resetSeconds))
                {
                    Interlocked.Increment(ref _rateLimited);
                    RateLimitedPaths.Enqueue($"{request.HttpMethod} {path} +{(arrival - _started) * 1000 / Stopwatch.Frequency} ms");
                    response.StatusCode = 429;
                    response.AddHeader("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture));
                    AddRateHeaders(response, 0, retryAfterSeconds);
                    await WriteAsync(response, "application/json", "{\"error\":\"Rate limit exceeded\",\"message\":\"Too many requests\"}").ConfigureAwait(false);
                    return;
                }

                ProcessedByPath.AddOrUpdate(request.HttpMethod + " " + path, 1, (_, n) => n + 1);
                var first = _firstTimes.AddOrUpdate(request.HttpMethod + " " + path, 1, (_, n) => n + 1) == 1;
                AddRateHeaders(response, remaining, resetSeconds);

                if (request.HttpMethod == "POST" && path.EndsWith("/features", StringComparison.Ordinal))
                {
                    var name = Regex.Match(body, "\"name\"\\s*:\\s*\"([^\"]+)\"").Groups[1].Value;
                    ProcessedWrites.AddOrUpdate(name, 1, (_, n) => n + 1);
                    await WriteAsync(response, "application/json", "{\"feature\":{\"id\":\"" + name + "\",\"name\":\"" + name + "\"}}").ConfigureAwait(false);
                }
                else if (request.HttpMethod == "POST" && path.EndsWith("/fail", StringComparison.Ordinal))
                {
                    response.StatusCode = 500;
                    await WriteAsync(response, "application/json", "{\"error\":\"Internal Server Error\"}").ConfigureAwait(false);
                }
                else if (request.HttpMethod == "POST" && path.EndsWith("/abort", StringComparison.Ordinal))
                {
                    await CutAsync(response).ConfigureAwait(false);
                }
                else if (path.Contains("/flaky/") && first)
                {
                    response.StatusCode = 500;
                    await WriteAsync(response, "application/json", "{\"error\":\"Internal Server Error\"}").ConfigureAwait(false);
                }
                else if (path.Contains("/html/") && first)
                {
                    response.StatusCode = 502;
                    await WriteAsync(response, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>").ConfigureAwait(false);
                }
                else if (path.Contains("/reset/") && first)
                {
                    await CutAsync(response).ConfigureAwait(false);
                }
                else if (path.Contains("/limited/") && first)
                {
                    response.StatusCode = 429;
                    var form = path.Substring(path.LastIndexOf('/') + 1);
                    var json = "{\"error\":\"Rate limit exceeded\"}";
                    switch (form)
                    {
                        case "retry-after": response.AddHeader("Retry-After", "1"); break;
                        case "retry-after-date": response.AddHeader("Retry-After", DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", CultureInfo.InvariantCulture)); break;
                        case "underscore-header": response.AddHeader("retry_after", "1"); break;
                        case "body": json = "{\"error\":\"Rate limit exceeded\",\"message\":\"Too many requests\",\"retry_after\":1}"; break;
                        case "reset":
                            response.Headers.Set("X-Ratelimit-Remaining", "0");
                            response.Headers.Set("X-Ratelimit-Reset", DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                            break;
                    }

                    await WriteAsync(response, "application/json", json).ConfigureAwait(false);
                }
                else
                {
                    await WriteAsync(response, "application/json", "{\"features\":[],\"pagination\":{\"total_records\":0,\"total_pages\":1,\"current_page\":1}}").ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is HttpListenerException || ex is IOException || ex is ObjectDisposedException || ex is InvalidOperationException)
            {
                // the client went away
            }
        }

        private bool TryAccept(long arrival, out int retryAfterSeconds, out int remainingInLongest, out int resetSeconds)
        {
            lock (_gate)
            {
                var waitTicks = 0L;
                foreach (var (limit, ticks) in _windows)
                {
                    var inWindow = _accepted.Where(t => t > arrival - ticks).OrderBy(t => t).ToList();
                    if (inWindow.Count >= limit)
                    {
                        waitTicks = Math.Max(waitTicks, inWindow[inWindow.Count - limit] + ticks - arrival);
                    }
                }

                if (waitTicks > 0)
                {
                    retryAfterSeconds = (int)Math.Ceiling(waitTicks / (double)Stopwatch.Frequency);
                    remainingInLongest = 0;
                    resetSeconds = retryAfterSeconds;
                    return false;
                }

                _accepted.Add(arrival);
                var peaks = new int[_windows.Length];
                for (var i = 0; i < _windows.Length; i++)
                {
                    peaks[i] = Math.Max(PeakPerWindow.Length > i ? PeakPerWindow[i] : 0, _accepted.Count(t => t > arrival - _windows[i].Ticks));
                }

                PeakPerWindow = peaks;
                var longest = _windows.OrderByDescending(w => w.Ticks).First();
                var inLongest = _accepted.Where(t => t > arrival - longest.Ticks).OrderBy(t => t).ToList();
                remainingInLongest = longest.Limit - inLongest.Count;
                resetSeconds = (int)Math.Ceiling((inLongest[0] + longest.Ticks - arrival) / (double)Stopwatch.Frequency);
                retryAfterSeconds = 0;
                return true;
            }
        }

        private void AddRateHeaders(HttpListenerResponse response, int remaining, int resetInSeconds)
        {
            var longest = _windows.OrderByDescending(w => w.Ticks).First();
            response.Headers.Set("X-Ratelimit-Limit", longest.Limit.ToString(CultureInfo.InvariantCulture));
            if (response.Headers["X-Ratelimit-Remaining"] is null)
            {
                response.Headers.Set("X-Ratelimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
                response.Headers.Set("X-Ratelimit-Reset", DateTimeOffset.UtcNow.AddSeconds(resetInSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            }
        }

        // The connection drops in the middle of the body: the request was processed, the answer never fully arrives.
        private static async Task CutAsync(HttpListenerResponse response)
        {
            response.ContentType = "application/json";
            response.ContentLength64 = 1000;
            var partial = Encoding.UTF8.GetBytes("{\"feature\":");
            await response.OutputStream.WriteAsync(partial, 0, partial.Length).ConfigureAwait(false);
            await response.OutputStream.FlushAsync().ConfigureAwait(false);
            response.Abort();
        }

        private static async Task WriteAsync(HttpListenerResponse response, string contentType, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            response.ContentType = contentType + "; charset=utf-8";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
            response.Close();
        }
    }
}
