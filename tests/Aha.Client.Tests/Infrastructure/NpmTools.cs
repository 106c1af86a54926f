using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>
    /// Runs the repository's pinned npm tools (build/openapi-tools/package-lock.json: Redocly, Prism, api-smart-diff).
    /// .ci/run installs them with 'npm ci'; a developer's first test run does the same here, under a machine-wide lock.
    /// </summary>
    internal static class NpmTools
    {
        public static readonly string ToolsDir = Repo.PathOf("build", "openapi-tools");

        /// <summary>The installed entry point of a package (installing the lock file's tools first if it is missing).</summary>
        public static string Ensure(string package, string relativeEntryPoint)
        {
            var entry = Path.Combine(ToolsDir, relativeEntryPoint);
            if (File.Exists(entry) && !LockFileChanged())
            {
                return entry;
            }

            // Two test processes (net8.0 and net10.0) may start at once: install under a machine-wide lock.
            using var mutex = new Mutex(false, "aha-client-npm-tools");
            var owned = false;
            try
            {
                try
                {
                    owned = mutex.WaitOne(TimeSpan.FromMinutes(5));
                }
                catch (AbandonedMutexException)
                {
                    owned = true;
                }

                if (!File.Exists(entry) || LockFileChanged())
                {
                    var result = Run("npm", new[] { "ci", "--no-audit", "--no-fund" }, ToolsDir, TimeSpan.FromMinutes(5));
                    Assert.That(result.ExitCode, Is.Zero, $"npm ci in build/openapi-tools failed (needed for {package}):{Environment.NewLine}{result.Output}");
                }
            }
            finally
            {
                if (owned)
                {
                    mutex.ReleaseMutex();
                }
            }

            Assert.That(File.Exists(entry), $"{package} is not installed at {entry}");
            return entry;
        }

        /// <summary>
        /// package-lock.json is newer than the last install (npm writes node_modules/.package-lock.json): a pull changed a
        /// pinned tool, so install again rather than run a stale version.
        /// </summary>
        private static bool LockFileChanged()
        {
            var installed = Path.Combine(ToolsDir, "node_modules", ".package-lock.json");
            return !File.Exists(installed) || File.GetLastWriteTimeUtc(Path.Combine(ToolsDir, "package-lock.json")) > File.GetLastWriteTimeUtc(installed);
        }

        /// <summary>Runs a node script with separate stdout/stderr, bounded in time.</summary>
        public static ProcessResult RunNode(string script, IEnumerable<string> arguments, TimeSpan timeout)
        {
            var args = new List<string> { script };
            args.AddRange(arguments);
            return Run("node", args, Repo.Root, timeout);
        }

        /// <summary>A start description for a long-running node process (Prism), with the tools' environment and a bounded lifetime.</summary>
        public static ProcessStartInfo NodeStartInfo(string script, IEnumerable<string> arguments, TimeSpan lifetime)
        {
            // Where coreutils' timeout exists, it bounds the server's life even if the test host is killed before it
            // can stop the server (a normal run stops it long before, by killing the process tree).
            const string Timeout = "/usr/bin/timeout";
            var bounded = File.Exists(Timeout);
            var start = StartInfo(bounded ? Timeout : "node", Repo.Root);
            if (bounded)
            {
                start.ArgumentList.Add(((int)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
                start.ArgumentList.Add("node");
            }

            start.ArgumentList.Add(script);
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            return start;
        }

        private static ProcessStartInfo StartInfo(string fileName, string workingDirectory)
        {
            var start = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };

            // No telemetry, no update checks: the tools run offline (see ../shared/npm-openapi-tools.md).
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["NO_UPDATE_NOTIFIER"] = "1";
            start.Environment["OPTIC_TELEMETRY_LEVEL"] = "off";
            return start;
        }

        private static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
        {
            var start = StartInfo(fileName, workingDirectory);
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{fileName} {string.Join(" ", start.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s");
            }

            process.WaitForExit();
            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, stopwatch.Elapsed);
        }
    }

    /// <summary>What a finished tool process printed.</summary>
    internal sealed class ProcessResult
    {
        public ProcessResult(int exitCode, string stdout, string stderr, TimeSpan elapsed)
        {
            Elapsed = elapsed;
            ExitCode = exitCode;
            Stdout = stdout;
            Stderr = stderr;
        }

        public int ExitCode { get; }

        public TimeSpan Elapsed { get; }

        public string Stdout { get; }

        public string Stderr { get; }

        public string Output => Stdout + Stderr;
    }
}
