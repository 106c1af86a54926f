using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;

namespace Aha.Benchmarks.Build
{
    /// <summary>
    /// The regenerate-on-change workflow, timed: <c>dotnet build</c> of the solution (and of the library alone) with no
    /// change, and after an edit of <c>openapi/aha.yaml</c> (NSwag regenerates, the library recompiles for its three
    /// target frameworks, everything that references it recompiles). The spec is restored byte for byte afterwards,
    /// also on failure. Wall-clock times of whole <c>dotnet build</c> processes, so they include MSBuild start-up.
    /// </summary>
    internal static class BuildTimes
    {
        public static async Task<int> RunAsync(Options options)
        {
            var repeats = options.GetInt("repeats", 2);
            var root = RepoPaths.Root;
            var spec = Path.Combine(root, "openapi", "aha.yaml");
            Console.WriteLine($"build: repository {root}; machine: {Machine.Describe()}");

            var targets = new[] { ("solution", "Aha.Generated.sln"), ("library", "src/Aha.Client/Aha.Client.csproj") };
            var rows = new List<(string What, string Target, double Seconds, bool Regenerated, int ExitCode)>();

            // Up to date first (whatever state the tree was in).
            var (prepCode, _, _) = await BuildAsync(root, "Aha.Generated.sln").ConfigureAwait(false);
            if (prepCode != 0)
            {
                Console.WriteLine("the solution does not build; fix that first");
                return 1;
            }

            var original = await File.ReadAllBytesAsync(spec).ConfigureAwait(false);
            try
            {
                foreach (var (name, target) in targets)
                {
                    for (var i = 0; i < repeats; i++)
                    {
                        var (code, seconds, regenerated) = await BuildAsync(root, target).ConfigureAwait(false);
                        rows.Add(("no change", name, seconds, regenerated, code));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no change, {name}: {seconds:F1} s, regenerated: {regenerated}, exit {code}"));
                    }

                    for (var i = 0; i < repeats; i++)
                    {
                        // An edit of the spec's content (a comment line, different every time): NSwag must run; the library
                        // then recompiles for its three target frameworks (the output is touched, see build/Aha.NSwag.targets).
                        var edited = Encoding.UTF8.GetString(original) + $"\n# edited by the build benchmark, run {DateTime.UtcNow:O} {i}\n";
                        await File.WriteAllTextAsync(spec, edited, new UTF8Encoding(false)).ConfigureAwait(false);
                        var (code, seconds, regenerated) = await BuildAsync(root, target).ConfigureAwait(false);
                        rows.Add(("spec changed", name, seconds, regenerated, code));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spec changed, {name}: {seconds:F1} s, regenerated: {regenerated}, exit {code}"));
                    }

                    await File.WriteAllBytesAsync(spec, original).ConfigureAwait(false);
                    await BuildAsync(root, "Aha.Generated.sln").ConfigureAwait(false);
                }
            }
            finally
            {
                await File.WriteAllBytesAsync(spec, original).ConfigureAwait(false);
            }

            await BuildAsync(root, "Aha.Generated.sln").ConfigureAwait(false);
            Console.WriteLine();
            var sb = new StringBuilder();
            sb.AppendLine("| build | target | wall time | NSwag ran |");
            sb.AppendLine("|---|---|---:|---|");
            foreach (var r in rows)
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.What} | `dotnet build {(r.Target == "solution" ? "Aha.Generated.sln" : "src/Aha.Client")}` | {r.Seconds:F1} s | {(r.Regenerated ? "yes" : "no")}{(r.ExitCode == 0 ? string.Empty : " (FAILED)")} |"));
            }

            Console.WriteLine(sb.ToString());
            return rows.TrueForAll(r => r.ExitCode == 0) ? 0 : 1;
        }

        private static async Task<(int Code, double Seconds, bool Regenerated)> BuildAsync(string root, string target)
        {
            var start = new ProcessStartInfo("dotnet", $"build \"{target}\" -nologo")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            watch.Stop();
            var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                Console.WriteLine(output);
            }

            return (process.ExitCode, watch.Elapsed.TotalSeconds, output.Contains("generating the client from", StringComparison.Ordinal));
        }
    }
}
