using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Contract
{
    /// <summary>
    /// openapi/aha.yaml passes Redocly CLI (pinned in build/openapi-tools/package-lock.json) with zero errors under
    /// openapi/redocly.yaml, which makes an example that breaks its schema an error. No ignore file is allowed.
    /// </summary>
    [TestFixture]
    public class SpecLintTests
    {
        [Test]
        public void Spec_passes_Redocly_lint_with_zero_errors()
        {
            Assert.That(File.Exists(Repo.PathOf("openapi", ".redocly.lint-ignore.yaml")), Is.False, "no lint ignore file");
            var redocly = NpmTools.Ensure("@redocly/cli", Path.Combine("node_modules", "@redocly", "cli", "bin", "cli.js"));

            var (exitCode, output) = NpmTools.RunNode(redocly, $"lint \"{Repo.SpecPath}\" --config \"{Repo.PathOf("openapi", "redocly.yaml")}\" --format=stylish");

            Assert.That(exitCode, Is.Zero, "redocly lint reported errors:" + Environment.NewLine + output);
        }
    }

    /// <summary>Runs the repository's pinned npm tools, installing them with 'npm ci' on first use.</summary>
    internal static class NpmTools
    {
        private static readonly string ToolsDir = Repo.PathOf("build", "openapi-tools");

        public static string Ensure(string package, string relativeEntryPoint)
        {
            var entry = Path.Combine(ToolsDir, relativeEntryPoint);
            if (File.Exists(entry))
            {
                return entry;
            }

            // Two test processes (net8.0 and net10.0) may start at once: install under a machine-wide lock.
            using var mutex = new Mutex(false, "aha-client-npm-tools");
            mutex.WaitOne(TimeSpan.FromMinutes(5));
            try
            {
                if (!File.Exists(entry))
                {
                    var (code, output) = Run("npm", "ci --no-audit --no-fund", ToolsDir);
                    Assert.That(code, Is.Zero, $"npm ci in build/openapi-tools failed (needed for {package}):{Environment.NewLine}{output}");
                }
            }
            finally
            {
                mutex.ReleaseMutex();
            }

            Assert.That(File.Exists(entry), $"{package} is not installed at {entry}");
            return entry;
        }

        public static (int ExitCode, string Output) RunNode(string script, string arguments) =>
            Run("node", $"\"{script}\" {arguments}", Repo.Root);

        private static (int ExitCode, string Output) Run(string fileName, string arguments, string workingDirectory)
        {
            var start = new ProcessStartInfo(fileName, arguments)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["NO_UPDATE_NOTIFIER"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(300_000))
            {
                process.Kill();
                Assert.Fail($"{fileName} {arguments} did not finish within 5 minutes");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
