using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;

namespace Aha.Client.Redis.Tests.Infrastructure
{
    /// <summary>
    /// One Aha.Client.Redis.Worker process (a separate OS process with its own AhaClient and Redis connection). It
    /// prints READY once built and waiting; <see cref="Go"/> starts it; its RESULT line is parsed into
    /// <see cref="Result"/>. Killed if still running when disposed.
    /// </summary>
    internal sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<bool> _ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<string> _errors = new ConcurrentQueue<string>();

        private WorkerProcess(string name, IEnumerable<string> args)
        {
            Name = name;
            var info = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(WorkerAssembly());
            foreach (var arg in args.Concat(new[] { "--name", name, "--wait-for-go" }))
            {
                info.ArgumentList.Add(arg);
            }

            _process = new Process { StartInfo = info, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                if (e.Data == "READY")
                {
                    _ready.TrySetResult(true);
                }
                else if (e.Data.StartsWith("RESULT ", StringComparison.Ordinal))
                {
                    Result = e.Data.Substring(7).Split(' ').Select(kv => kv.Split(new[] { '=' }, 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty);
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    _errors.Enqueue(e.Data);
                }
            };
            _process.Exited += (_, _) =>
            {
                _ready.TrySetResult(false);
                _exited.TrySetResult(true);
            };
        }

        public string Name { get; }

        public Dictionary<string, string>? Result { get; private set; }

        public int ExitCode => _process.ExitCode;

        public string Errors => string.Join(Environment.NewLine, _errors);

        public long ResultValue(string key) => Result != null && Result.TryGetValue(key, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : -1;

        /// <summary>Starts the process; it waits for <see cref="Go"/> once connected.</summary>
        public static WorkerProcess Start(string name, params string[] args)
        {
            var worker = new WorkerProcess(name, args);
            worker._process.Start();
            worker._process.BeginOutputReadLine();
            worker._process.BeginErrorReadLine();
            return worker;
        }

        /// <summary>Completes when the worker printed READY; fails if it exited first.</summary>
        public async Task WaitReadyAsync(TimeSpan timeout)
        {
            var done = await Task.WhenAny(_ready.Task, Task.Delay(timeout)).ConfigureAwait(false);
            if (done != _ready.Task || !_ready.Task.Result)
            {
                throw new InvalidOperationException($"{Name} did not get ready within {timeout}:{Environment.NewLine}{Errors}");
            }
        }

        public void Go()
        {
            _process.StandardInput.WriteLine("GO");
            _process.StandardInput.Flush();
        }

        /// <summary>Completes when the process has exited and its output has been read; fails after the timeout.</summary>
        public async Task WaitForExitAsync(TimeSpan timeout)
        {
            var done = await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false);
            if (done != _exited.Task)
            {
                throw new TimeoutException($"{Name} did not finish within {timeout}:{Environment.NewLine}{Errors}");
            }

            _process.WaitForExit(); // flushes the redirected output
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        private static string WorkerAssembly()
        {
            var path = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerAssembly").Value!;
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"The worker is not built at {path}; build the solution (dotnet build Aha.Generated.sln) first.");
            }

            return path;
        }

        // The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.
        private static string DotnetHost()
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host! : "dotnet";
        }
    }
}
