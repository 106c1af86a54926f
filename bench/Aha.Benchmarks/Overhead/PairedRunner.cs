using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;

namespace Aha.Benchmarks.Overhead
{
    /// <summary>One scenario's paired result: client / baseline, measured in alternating batches.</summary>
    internal sealed record PairedResult(string Scenario, double BaselineMicros, double ClientMicros, double RatioMedian, double RatioP25, double RatioP75, double WallRatioMedian, double MinRatio, long BaselineBytes, long ClientBytes, int Rounds, int OpsPerBatch)
    {
        public double AllocRatio => (double)ClientBytes / BaselineBytes;
    }

    /// <summary>
    /// The ratios measured so that the other engineers' builds on this 2-core machine cancel out: baseline and client run
    /// in alternating batches (ABBA order) in one process, a full GC before each batch so each side pays for its own
    /// garbage, and the ratio is the median of the per-round ratios. Time is the process's CPU time
    /// (<c>CLOCK_PROCESS_CPUTIME_ID</c>: every thread, background GC and JIT included), which other processes' load
    /// disturbs far less than wall-clock time; the wall-clock ratio is reported next to it. BenchmarkDotNet runs one
    /// benchmark after the other, minutes apart, so a build that starts in between moves its ratio by 20% or more.
    /// Allocations are exact (bytes allocated by all threads during the batch / operations).
    /// </summary>
    internal static class PairedRunner
    {
        public static async Task<IReadOnlyList<PairedResult>> RunAsync(Options options)
        {
            var rounds = options.GetInt("rounds", 120);
            var batchMs = options.GetDouble("batch-ms", 25);
            var only = options.Get("scenario");
            Console.WriteLine($"overhead (paired): {rounds} rounds, batches of ~{batchMs} ms; machine: {Machine.Describe()}");

            var results = new List<PairedResult>();
            var page = new FeaturePage();
            page.Setup();
            var single = new SingleFeature();
            single.Setup();
            var update = new CustomFieldUpdateRequest();
            update.Setup();
            var scenarios = new (string Name, Func<object> Baseline, Func<Task> Client)[]
            {
                ("page of 200 full features (GET /features, fields=*)", () => page.Baseline(), () => page.Client()),
                ("single record (GET /features/{id})", () => single.Baseline(), () => single.Client()),
                ("custom-field update (PUT /features/{id})", () => update.Baseline(), () => update.Client()),

                // Where the fixed cost of a small call goes: the same generated client over a bare HttpClient (no
                // handler at all), so "single record" minus this row is what the pipeline itself costs.
                ("single record, generated client over a bare HttpClient (no pipeline: for comparison)", () => single.Baseline(), () => single.Bare()),
            };

            foreach (var (name, baseline, client) in scenarios)
            {
                if (only != null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var r = await MeasureAsync(name, baseline, client, rounds, batchMs).ConfigureAwait(false);
                results.Add(r);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: CPU-time ratio {r.RatioMedian:F3} (p25 {r.RatioP25:F3}, p75 {r.RatioP75:F3}), wall-time ratio {r.WallRatioMedian:F3}, ratio of best batches {r.MinRatio:F3}; alloc ratio {r.AllocRatio:F3} ({r.ClientBytes:N0} B vs {r.BaselineBytes:N0} B per call); CPU per call {r.ClientMicros:F1} us vs {r.BaselineMicros:F1} us"));
            }

            Console.WriteLine();
            Console.WriteLine(Table(results));
            return results;
        }

        private static async Task<PairedResult> MeasureAsync(string name, Func<object> baseline, Func<Task> client, int rounds, double batchMs)
        {
            // Warm-up (tiered JIT reaches its optimized code after ~30 calls and a background recompile) and batch sizing.
            var warm = Stopwatch.StartNew();
            var calls = 0;
            while (warm.ElapsedMilliseconds < 1500 || calls < 200)
            {
                baseline();
                await client().ConfigureAwait(false);
                calls++;
            }

            var perCallMs = warm.Elapsed.TotalMilliseconds / calls / 2;
            var ops = Math.Max(1, (int)(batchMs / perCallMs));

            var ratios = new List<double>();
            var wallRatios = new List<double>();
            var baseTimes = new List<double>();
            var clientTimes = new List<double>();
            long baseBytes = 0, clientBytes = 0;
            for (var round = 0; round < rounds; round++)
            {
                var clientFirst = round % 2 == 1;
                double b = 0, c = 0, bw = 0, cw = 0;
                for (var half = 0; half < 2; half++)
                {
                    var runClient = (half == 0) == clientFirst;
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var allocated = GC.GetTotalAllocatedBytes(true);
                    var cpu = CpuTime.Process();
                    var watch = Stopwatch.StartNew();
                    if (runClient)
                    {
                        for (var i = 0; i < ops; i++)
                        {
                            await client().ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        for (var i = 0; i < ops; i++)
                        {
                            baseline();
                        }
                    }

                    var wall = watch.Elapsed.TotalMilliseconds * 1000 / ops;
                    var elapsed = (CpuTime.Process() - cpu).TotalMilliseconds * 1000 / ops;
                    var bytes = GC.GetTotalAllocatedBytes(true) - allocated;
                    if (runClient)
                    {
                        c = elapsed;
                        cw = wall;
                        clientBytes += bytes;
                    }
                    else
                    {
                        b = elapsed;
                        bw = wall;
                        baseBytes += bytes;
                    }
                }

                ratios.Add(c / b);
                wallRatios.Add(cw / bw);
                baseTimes.Add(b);
                clientTimes.Add(c);
            }

            ratios.Sort();
            wallRatios.Sort();
            baseTimes.Sort();
            clientTimes.Sort();
            var totalOps = (long)rounds * ops;
            return new PairedResult(name, baseTimes[baseTimes.Count / 2], clientTimes[clientTimes.Count / 2], ratios[ratios.Count / 2], ratios[ratios.Count / 4], ratios[ratios.Count * 3 / 4],
                wallRatios[wallRatios.Count / 2], clientTimes[0] / baseTimes[0], baseBytes / totalOps, clientBytes / totalOps, rounds, ops);
        }

        internal static string Table(IReadOnlyList<PairedResult> results)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| scenario | baseline, CPU per call | client, CPU per call | time ratio client/baseline: CPU (median of rounds, p25-p75) | wall-clock ratio (median) | ratio of the best batches | allocated baseline | allocated client | alloc ratio |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Scenario} | {Format(r.BaselineMicros)} | {Format(r.ClientMicros)} | **{r.RatioMedian:F3}x** ({r.RatioP25:F3}-{r.RatioP75:F3}) | {r.WallRatioMedian:F3}x | {r.MinRatio:F3}x | {Bytes(r.BaselineBytes)} | {Bytes(r.ClientBytes)} | **{r.AllocRatio:F3}x** |"));
            }

            return sb.ToString();
        }

        private static string Format(double micros) => micros >= 1000 ? (micros / 1000).ToString("F2", CultureInfo.InvariantCulture) + " ms" : micros.ToString("F1", CultureInfo.InvariantCulture) + " us";

        private static string Bytes(long bytes) => bytes >= 1024 * 1024 ? (bytes / 1024.0 / 1024.0).ToString("F2", CultureInfo.InvariantCulture) + " MB" : (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KB";
    }
}
