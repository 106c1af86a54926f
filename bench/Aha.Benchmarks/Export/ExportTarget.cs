using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;
using Aha.Sandbox;

namespace Aha.Benchmarks.Export
{
    /// <summary>What the server itself counted during a run, when it can tell (null fields: it cannot).</summary>
    internal sealed record ServerCounts(int? RateLimited, int? PeakPerSecond, int? PeakPerMinute);

    /// <summary>
    /// The rate-limited server one export run talks to: a fresh one per run (empty windows, as the theoretical minimum
    /// assumes), or a server given by URL that the run waits for until its windows are empty.
    /// </summary>
    internal abstract class ExportTarget : IAsyncDisposable
    {
        public abstract string Name { get; }

        public abstract Uri BaseUrl { get; }

        public abstract string Token { get; }

        /// <summary>Records the server holds, or null when it does not say.</summary>
        public abstract int? ExpectedRecords { get; }

        public abstract Task<ServerCounts> CountsAsync();

        public abstract ValueTask DisposeAsync();

        /// <summary>Checks the options before anything starts; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
        public static void Validate(string server, string? token, double scale)
        {
            if (server == "sandbox")
            {
                return;
            }

            if (scale != 1.0)
            {
                throw new ArgumentException($"--server {server} runs in real time only (drop --time-scale).");
            }

            if (server == "independent")
            {
                return;
            }

            if (!Uri.TryCreate(server, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            {
                throw new ArgumentException($"--server must be sandbox, independent or an http(s) URL of the API root (was '{server}').");
            }

            if (string.IsNullOrEmpty(token))
            {
                throw new ArgumentException("--server <url> needs the server's bearer token in the AHA_TOKEN environment variable.");
            }
        }

        /// <summary>Which server: "sandbox" (in process), "independent" (bench/rate-limited-server, Node.js, own process), or a URL.</summary>
        public static async Task<ExportTarget> StartAsync(string server, int pages, TimeProvider clock, string? token, double freshWaitSeconds, bool ahaHeaders = false, double latencyMs = 0)
        {
            switch (server)
            {
                case "sandbox":
                    return await SandboxTarget.StartAsync(pages, clock).ConfigureAwait(false);
                case "independent":
                    Validate(server, token, clock == TimeProvider.System ? 1.0 : 0);
                    return await NodeServerTarget.StartAsync(pages * 200, ahaHeaders, latencyMs).ConfigureAwait(false);
                default:
                    Validate(server, token, clock == TimeProvider.System ? 1.0 : 0);
                    var url = new Uri(server);

                    // Its windows may still hold an earlier run's requests: wait until the longest window is over.
                    Console.WriteLine($"  waiting {freshWaitSeconds:F0} s so that {url.Host}'s windows are empty (--fresh-wait to change)");
                    await Task.Delay(TimeSpan.FromSeconds(freshWaitSeconds)).ConfigureAwait(false);
                    return new UrlTarget(url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"), token!);
            }
        }
    }

    /// <summary>A fresh in-process sandbox seeded with exactly pages x 200 features, enforcing 20/s and 300/min.</summary>
    internal sealed class SandboxTarget : ExportTarget
    {
        private readonly AhaSandbox _sandbox;

        private SandboxTarget(AhaSandbox sandbox) => _sandbox = sandbox;

        public override string Name => "sandbox";

        public override Uri BaseUrl => _sandbox.BaseAddress;

        public override string Token => _sandbox.Token;

        public override int? ExpectedRecords => _sandbox.Count("features");

        public static async Task<SandboxTarget> StartAsync(int pages, TimeProvider clock)
            => new SandboxTarget(await AhaSandbox.StartAsync(SandboxOptions(pages, clock, rateLimited: true)).ConfigureAwait(false));

        internal static AhaSandboxOptions SandboxOptions(int pages, TimeProvider clock, bool rateLimited) => new AhaSandboxOptions
        {
            Products = 1,
            FeaturesPerProduct = pages * 200,
            IdeasPerProduct = 0,
            ReleasesPerProduct = 5,
            SeedSpecExamples = false,
            TimeProvider = clock,
            RateLimit = { Enabled = rateLimited },
        };

        public override Task<ServerCounts> CountsAsync()
        {
            var s = _sandbox.Statistics;
            return Task.FromResult(new ServerCounts(s.RateLimitedResponses, s.PeakRequestsPerShortWindow, s.PeakRequestsPerLongWindow));
        }

        public override ValueTask DisposeAsync() => _sandbox.DisposeAsync();
    }

    /// <summary>
    /// bench/rate-limited-server/server.mjs in its own Node.js process: written independently of the sandbox and the
    /// client, exact sliding log per source IP counted at arrival, 429 with Retry-After, pages served from prebuilt bytes.
    /// </summary>
    internal sealed class NodeServerTarget : ExportTarget
    {
        private static readonly HttpClient Plain = new HttpClient();
        private readonly Process _process;
        private readonly Uri _root;

        private NodeServerTarget(Process process, Uri baseUrl, int records, bool ahaHeaders)
        {
            Name = ahaHeaders ? "independent+headers" : "independent";
            _process = process;
            BaseUrl = baseUrl;
            _root = new Uri(baseUrl, "/");
            ExpectedRecords = records;
        }

        public override string Name { get; }

        public override Uri BaseUrl { get; }

        public override string Token => "independent-server-accepts-any-bearer";

        public override int? ExpectedRecords { get; }

        public static string Script => Path.Combine(RepoPaths.Root, "bench", "rate-limited-server", "server.mjs");

        /// <summary>Starts the server with <paramref name="records"/> features; with Aha!'s X-Ratelimit-* headers on every answer when asked.</summary>
        public static async Task<NodeServerTarget> StartAsync(int records, bool ahaHeaders, double latencyMs = 0)
        {
            var start = new ProcessStartInfo("node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { Script, "--port", "0", "--records", records.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(a);
            }

            if (ahaHeaders)
            {
                start.ArgumentList.Add("--aha-headers");
            }

            if (latencyMs > 0)
            {
                start.ArgumentList.Add("--latency-ms");
                start.ArgumentList.Add(latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new InvalidOperationException("--server independent needs Node.js ('node' on PATH): " + ex.Message, ex);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            {
                var error = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
                process.Kill(true);
                throw new InvalidOperationException($"the independent server did not start: {line} {error}".Trim());
            }

            return new NodeServerTarget(process, new Uri(line.Substring("listening ".Length)), records, ahaHeaders);
        }

        public override async Task<ServerCounts> CountsAsync()
        {
            using var doc = JsonDocument.Parse(await Plain.GetStringAsync(new Uri(_root, "_stats")).ConfigureAwait(false));
            var r = doc.RootElement;
            return new ServerCounts(r.GetProperty("rejected").GetInt32(), r.GetProperty("peakPerSecond").GetInt32(), r.GetProperty("peakPerMinute").GetInt32());
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }

            _process.Dispose();
        }
    }

    /// <summary>Any server given by URL (API root) and token: the server's own counts are unknown, the client's log tells.</summary>
    internal sealed class UrlTarget : ExportTarget
    {
        public UrlTarget(Uri baseUrl, string token)
        {
            BaseUrl = baseUrl;
            Token = token;
        }

        public override string Name => BaseUrl.Host;

        public override Uri BaseUrl { get; }

        public override string Token { get; }

        public override int? ExpectedRecords => null;

        public override Task<ServerCounts> CountsAsync() => Task.FromResult(new ServerCounts(null, null, null));

        public override ValueTask DisposeAsync() => default;
    }
}
