using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;
using Aha.Benchmarks.Overhead;
using Aha.Client;

namespace Aha.Benchmarks.Memory
{
    /// <summary>What one streaming run used.</summary>
    internal sealed record MemoryResult(int Records, int Parallelism, long PeakLiveBytes, long PeakHeapBytes, long AllocatedBytes, int Gen0, int Gen1, int Gen2, double Seconds);

    /// <summary>
    /// Memory stays flat: streams N full features (<c>await foreach</c> over <c>ListAllAsync</c>, the loop keeps
    /// nothing) from <see cref="SyntheticPagesHandler"/> and records two peaks above the managed heap before the run:
    /// <list type="bullet">
    /// <item><b>live</b>: after a full blocking GC at every page boundary (what the client holds: pages in flight, the
    /// enumeration's state);</item>
    /// <item><b>heap</b>: <see cref="GC.GetTotalMemory(bool)"/> without collecting, sampled every millisecond by another
    /// thread (includes garbage not yet collected, so it depends on the GC's gen0 budget, not on N).</item>
    /// </list>
    /// </summary>
    internal static class MemoryBenchmark
    {
        public static async Task<int> RunAsync(Options options)
        {
            var sizes = options.GetInts("records", 1_000, 10_000, 100_000);
            var parallelism = options.GetInt("parallelism", 1);
            var page = Payloads.Load(Payloads.FeaturePage);
            Console.WriteLine($"memory: records {string.Join(",", sizes)}, parallelism {parallelism}, page {page.Length:N0} bytes / 200 features");
            Console.WriteLine($"machine: {Machine.Describe()}; GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, concurrent {System.Runtime.GCSettings.LatencyMode}");

            await RunOnceAsync(page, 1_000, parallelism).ConfigureAwait(false); // warm-up (JIT, contract caches)
            var results = new List<MemoryResult>();
            foreach (var n in sizes)
            {
                var r = await RunOnceAsync(page, n, parallelism).ConfigureAwait(false);
                results.Add(r);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n:N0} records: peak live {Mb(r.PeakLiveBytes)}, peak heap {Mb(r.PeakHeapBytes)}, allocated {Mb(r.AllocatedBytes)} ({r.AllocatedBytes / Math.Max(1, n):N0} B/record), GCs {r.Gen0}/{r.Gen1}/{r.Gen2}, {r.Seconds:F1} s"));
            }

            Console.WriteLine();
            Console.WriteLine(Table(results));
            return 0;
        }

        internal static async Task<MemoryResult> RunOnceAsync(byte[] page, int records, int parallelism)
        {
            var handler = new SyntheticPagesHandler(page, records);
            var aha = BenchClients.Create(handler);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(true);
            var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

            long peakHeap = 0;
            using var stop = new CancellationTokenSource();
            var sampler = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "heap sampler" };
            sampler.Start();

            long peakLive = 0;
            var seen = 0;
            var watch = Stopwatch.StartNew();
            var pageable = aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "*" }).WithPerPage(200);
            if (parallelism > 1)
            {
                pageable = pageable.WithParallelism(parallelism);
            }

            await foreach (var feature in pageable)
            {
                if (feature.Id is null)
                {
                    throw new InvalidOperationException("A record without an id.");
                }

                if (++seen % 200 == 0)
                {
                    peakLive = Math.Max(peakLive, GC.GetTotalMemory(true));
                }
            }

            watch.Stop();
            stop.Cancel();
            sampler.Join();
            if (seen != records)
            {
                throw new InvalidOperationException($"Streamed {seen} records, expected {records}.");
            }

            GC.KeepAlive(aha);
            return new MemoryResult(
                records,
                parallelism,
                peakLive - before,
                Math.Max(0, peakHeap - before),
                GC.GetTotalAllocatedBytes(true) - allocatedBefore,
                GC.CollectionCount(0) - g0,
                GC.CollectionCount(1) - g1,
                GC.CollectionCount(2) - g2,
                watch.Elapsed.TotalSeconds);
        }

        internal static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";

        internal static string Table(IReadOnlyList<MemoryResult> results)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| records streamed | pages | peak live managed memory | peak managed heap (incl. garbage) | allocated in total | allocated per record | GCs gen0/1/2 (forced ones included) |");
            sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Records:N0} | {r.Records / 200:N0} | **{Mb(r.PeakLiveBytes)}** | {Mb(r.PeakHeapBytes)} | {Mb(r.AllocatedBytes)} | {r.AllocatedBytes / Math.Max(1, r.Records):N0} B | {r.Gen0}/{r.Gen1}/{r.Gen2} |"));
            }

            return sb.ToString();
        }
    }
}
