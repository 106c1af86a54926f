using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Contract.Prism
{
    /// <summary>
    /// A Prism mock server (the pinned <c>@stoplight/prism-cli</c>) serving a spec on loopback in validating mode:
    /// <c>node …/prism-cli/dist/index.js mock &lt;spec&gt; --host 127.0.0.1 --port &lt;free&gt; --errors</c>.
    /// Started with a bounded wait for its "Prism is listening" line and a first answer, stopped (process tree killed) on dispose, on a failed start,
    /// and when the test process exits.
    /// </summary>
    internal sealed class PrismServer : IDisposable
    {
        public const string PrismEntryPoint = "node_modules/@stoplight/prism-cli/dist/index.js";

        /// <summary>Upper bound on a server's life, should the test host die without stopping it.</summary>
        private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(20);

        private readonly Process _process;
        private readonly StringBuilder _log = new();
        private readonly EventHandler _onExit;

        // Completed by Prism's "Prism is listening on …" line, printed once its port is open and the spec loaded
        // (createServer.js logs it after server.listen resolves); failed if the process exits first.
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _disposed;

        private PrismServer(Process process, int port)
        {
            _process = process;
            Port = port;
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            _onExit = (_, _) => Kill();
            AppDomain.CurrentDomain.ProcessExit += _onExit;
        }

        public int Port { get; }

        /// <summary>The API root on the mock (paths of the spec are relative to it).</summary>
        public Uri BaseAddress { get; }

        public TimeSpan StartupTime { get; private set; }

        /// <summary>The last lines Prism printed (for failure messages).</summary>
        public string RecentLog
        {
            get
            {
                lock (_log)
                {
                    return _log.Length <= 4000 ? _log.ToString() : _log.ToString(_log.Length - 4000, 4000);
                }
            }
        }

        public static async Task<PrismServer> StartAsync(string specPath, TimeSpan startupTimeout)
        {
            var prism = NpmTools.Ensure("@stoplight/prism-cli", PrismEntryPoint);
            var port = FreeLoopbackPort();
            var start = NpmTools.NodeStartInfo(prism, new[] { "mock", specPath, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--errors" }, MaxLifetime);
            var stopwatch = Stopwatch.StartNew();
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
            var server = new PrismServer(process, port);
            try
            {
                process.EnableRaisingEvents = true;
                process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException($"Prism exited with code {process.ExitCode} before it was listening:{Environment.NewLine}{server.RecentLog}"));
                if (process.HasExited)
                {
                    server._listening.TrySetException(new InvalidOperationException($"Prism exited with code {process.ExitCode} at start-up."));
                }

                process.OutputDataReceived += (_, e) => server.Append(e.Data);
                process.ErrorDataReceived += (_, e) => server.Append(e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                process.StandardInput.Close();

                await server.WaitUntilAnsweringAsync(startupTimeout).ConfigureAwait(false);
                server.StartupTime = stopwatch.Elapsed;
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            AppDomain.CurrentDomain.ProcessExit -= _onExit;
            Kill();
            _process.Dispose();
        }

        private void Kill()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.Contains("Prism is listening on", StringComparison.Ordinal))
            {
                _listening.TrySetResult();
            }

            lock (_log)
            {
                _log.AppendLine(line);
                if (_log.Length > 200_000)
                {
                    _log.Remove(0, _log.Length - 100_000);
                }
            }
        }

        /// <summary>
        /// Waits for Prism's "listening" line (or its exit), then confirms with one request: any HTTP answer, even a 404
        /// for the probe path, means it serves the spec. No polling: the port is open once the line is printed.
        /// </summary>
        private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
        {
            var started = Stopwatch.StartNew();
            try
            {
                await _listening.Task.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Prism did not report listening on {BaseAddress} within {timeout.TotalSeconds:0} s:{Environment.NewLine}{RecentLog}");
            }

            var remaining = timeout - started.Elapsed;
            using var probe = new HttpClient { Timeout = remaining > TimeSpan.FromSeconds(5) ? remaining : TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await probe.GetAsync(new Uri(BaseAddress, "__prism_probe")).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new InvalidOperationException($"Prism reported listening on {BaseAddress} but did not answer: {ex.Message}{Environment.NewLine}{RecentLog}", ex);
            }
        }

        private static int FreeLoopbackPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }
        }
    }

    /// <summary>One request/answer pair as it crossed the wire, recorded by <see cref="RecordingHandler"/>.</summary>
    internal sealed class Exchange
    {
        public string Method { get; set; } = string.Empty;

        public string Url { get; set; } = string.Empty;

        public string? RequestBody { get; set; }

        public int Status { get; set; }

        public string? ContentType { get; set; }

        public string? Violations { get; set; }

        public string ResponseBody { get; set; } = string.Empty;

        /// <summary>
        /// Why Prism did not accept this exchange, or null when it did: a 2xx without <c>sl-violations</c>. Anything else
        /// is a validation failure: 400/422 with <c>sl-violations</c> or problem+json (request breaks the spec),
        /// 404 (no path matched), 405 (no method matched), 401 (security), 500 #VIOLATIONS (the answer breaks the spec).
        /// </summary>
        public string? Problem()
        {
            if (Status is >= 200 and < 300 && Violations is null)
            {
                return null;
            }

            var kind = Status switch
            {
                400 or 422 => "Prism rejected the request",
                404 => "no path matched (or an undocumented status)",
                405 => "no method matched",
                401 => "security requirement not met",
                500 => "the answer breaks the spec (#VIOLATIONS)",
                _ when Status is >= 200 and < 300 => "answered with validation warnings",
                _ => "unexpected status",
            };
            return $"{Method} {Url} -> {Status} ({kind})"
                   + (Violations is null ? string.Empty : $"{Environment.NewLine}    sl-violations: {Violations}")
                   + $"{Environment.NewLine}    body: {Truncate(ResponseBody, 1500)}"
                   + (RequestBody is null ? string.Empty : $"{Environment.NewLine}    sent: {Truncate(RequestBody, 600)}");
        }

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "…";
    }

    /// <summary>Records every exchange and adds the test's per-call headers (Authorization, Prefer).</summary>
    internal sealed class RecordingHandler : DelegatingHandler
    {
        public RecordingHandler()
            : base(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
        }

        public List<Exchange> Exchanges { get; } = new();

        /// <summary>Sent as <c>Prefer</c> on the next requests (for example <c>example=custom_fields</c>), when set.</summary>
        public string? Prefer { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // A fake token: Prism checks the spec's bearerAuth requirement, not the value.
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer contract-test-token");
            if (Prefer != null)
            {
                request.Headers.TryAddWithoutValidation("Prefer", Prefer);
            }

            var exchange = new Exchange
            {
                Method = request.Method.Method,
                Url = request.RequestUri!.PathAndQuery,
                // a multipart upload's file part is a one-shot stream: read, it could not be sent any more
                RequestBody = request.Content is null ? null
                    : request.Content is MultipartContent ? "(multipart/form-data)"
                    : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false),
            };
            lock (Exchanges)
            {
                Exchanges.Add(exchange);
            }

            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                exchange.ResponseBody = "(no answer: " + ex.GetType().Name + ": " + ex.Message + (ex.InnerException is { } inner ? " <- " + inner.Message : string.Empty) + ")";
                throw;
            }

            exchange.Status = (int)response.StatusCode;
            exchange.ContentType = response.Content.Headers.ContentType?.MediaType;
            exchange.Violations = response.Headers.TryGetValues("sl-violations", out var v) ? string.Join(" ", v) : null;
            await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            exchange.ResponseBody = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
    }
}
