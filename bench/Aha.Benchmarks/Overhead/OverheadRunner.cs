using System.IO;
using Aha.Benchmarks.Infrastructure;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Aha.Benchmarks.Overhead
{
    /// <summary>Runs the overhead benchmarks with BenchmarkDotNet (arguments pass through: --filter, --job, ...).</summary>
    internal static class OverheadRunner
    {
        public static void Run(string[] args)
        {
            // In-process: no second build of the solution by BenchmarkDotNet (minutes on a busy 2-core machine); both
            // sides of each ratio run in the same process, same GC settings, same JIT state.
            var config = DefaultConfig.Instance
                .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
                .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
                .AddExporter(MarkdownExporter.GitHub)
                .WithArtifactsPath(Path.Combine(RepoPaths.BenchProject, "BenchmarkDotNet.Artifacts"))
                .WithOptions(ConfigOptions.DisableLogFile);
            var switcher = BenchmarkSwitcher.FromTypes(new[] { typeof(FeaturePage), typeof(SingleFeature), typeof(CustomFieldUpdateRequest) });
            switcher.Run(args.Length == 0 ? new[] { "--filter", "*" } : args, config);
        }
    }
}
