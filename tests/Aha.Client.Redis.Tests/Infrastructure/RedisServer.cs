using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Aha.Client.Redis.Tests.Infrastructure
{
    /// <summary>
    /// A real redis-server on 127.0.0.1, started by the test (no persistence), that can be killed and started again on
    /// the same port. Readiness is its own "Ready to accept connections" line, not a sleep.
    /// </summary>
    internal sealed class RedisServer : IDisposable
    {
        /// <summary>The port of a redis-server started by .ci/run (or by a developer); when unset, tests start their own.</summary>
        internal const string PortVariable = "AHA_TEST_REDIS_PORT";

        /// <summary>The redis-server binary to start when tests need their own server; when unset, PATH is searched.</summary>
        internal const string BinaryVariable = "AHA_TEST_REDIS_SERVER";

        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

        private readonly string _binary;
        private readonly ConcurrentQueue<string> _output = new ConcurrentQueue<string>();
        private Process? _process;

        private RedisServer(string binary, int port)
        {
            _binary = binary;
            Port = port;
        }

        public int Port { get; }

        public string Configuration => $"127.0.0.1:{Port}";

        public bool IsRunning => _process is { HasExited: false };

        /// <summary>Starts a private redis-server on a free loopback port.</summary>
        public static async Task<RedisServer> StartAsync()
        {
            var binary = FindBinary();
            for (var attempt = 1; ; attempt++)
            {
                var server = new RedisServer(binary, FreePort());
                try
                {
                    await server.StartProcessAsync().ConfigureAwait(false);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    server.Dispose(); // the port was taken in between: try another
                }
            }
        }

        /// <summary>Kills the server abruptly (SIGKILL), as a crash or a lost node would.</summary>
        public void Kill()
        {
            if (_process is { } p && !p.HasExited)
            {
                p.Kill();
                if (!p.WaitForExit(10_000))
                {
                    throw new InvalidOperationException("redis-server did not exit after SIGKILL.");
                }
            }
        }

        /// <summary>Starts the server again on the same port, empty.</summary>
        public Task RestartAsync()
        {
            Kill();
            return StartProcessAsync();
        }

        public void Dispose()
        {
            try
            {
                Kill();
            }
            catch (InvalidOperationException)
            {
            }

            _process?.Dispose();
        }

        public string Output => string.Join(Environment.NewLine, _output);

        /// <summary>The redis-server binary: <see cref="BinaryVariable"/>, else PATH, else a clear failure.</summary>
        public static string FindBinary()
        {
            var configured = Environment.GetEnvironmentVariable(BinaryVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                if (!File.Exists(configured))
                {
                    throw new InvalidOperationException($"{BinaryVariable}={configured} does not exist.");
                }

                return configured!;
            }

            return FindOnPath() ?? throw new InvalidOperationException(MissingServerMessage);
        }

        /// <summary>redis-server on PATH, or null.</summary>
        public static string? FindOnPath()
            => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator)
                .Where(d => d.Length > 0)
                .Select(d => Path.Combine(d, "redis-server"))
                .FirstOrDefault(File.Exists);

        /// <summary>The one line a run without Redis ends with: what is missing and the command that installs it.</summary>
        internal static string MissingServerMessage =>
            "The Redis tests need redis-server, which is not installed: run `sudo apt-get install -y redis-server` " +
            $"(macOS: `brew install redis`), or set {PortVariable} to the port of a running Redis. .ci/run installs it.";

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task StartProcessAsync()
        {
            var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var info = new ProcessStartInfo(_binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "notice" })
            {
                info.ArgumentList.Add(arg);
            }

            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                _output.Enqueue(e.Data);
                if (e.Data.Contains("Ready to accept connections"))
                {
                    ready.TrySetResult(true);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    _output.Enqueue(e.Data);
                }
            };
            process.Exited += (_, _) => ready.TrySetResult(false);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process?.Dispose();
            _process = process;

            var done = await Task.WhenAny(ready.Task, Task.Delay(StartTimeout)).ConfigureAwait(false);
            if (done != ready.Task || !ready.Task.Result)
            {
                Kill();
                throw new InvalidOperationException($"redis-server did not start on port {Port}:{Environment.NewLine}{Output}");
            }
        }
    }
}
