using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;

namespace Aha.Benchmarks
{
    /// <summary>Entry point: one command per benchmark of issue 8 (see docs/benchmarks.md).</summary>
    public static class Program
    {
        private const string Usage = @"Aha.Benchmarks: dotnet run -c Release --project bench/Aha.Benchmarks -- <command> [options]

  overhead [BenchmarkDotNet args]   client overhead per call vs plain Newtonsoft.Json (BenchmarkDotNet, MemoryDiagnoser)
                                    e.g. overhead --filter '*'   (add --job short for a quick look)
  paired [--rounds 40] [--batch-ms 100] [--scenario page|single|update]
                                    the same three ratios, baseline and client in alternating batches (robust to load)
  export [--server sandbox|independent|URL] [--pages 100,400] [--modes sequential,parallel] [--parallelism 4]
         [--aha-headers] [--repeats 1] [--time-scale 1] [--fields F] [--margin-ms M] [--log DIR] [--chart FILE|none] [--fresh-wait 61]
                                    bulk export from a server enforcing 20/s + 300/min: the in-process sandbox (default;
                                    writes docs/benchmarks-export.png), the independent Node.js server in
                                    bench/rate-limited-server (needs node; --aha-headers: it also sends X-Ratelimit-*), or any API root URL (token in AHA_TOKEN; the
                                    run waits --fresh-wait seconds first so the server's windows are empty)
         [--fresh-process] [--child PATH] [--ready-to-run] [--warm-up [none]] [--latency-ms 0,3,200] [--clients aha,reference] [--max-arrival-ms M]
                                    --fresh-process: one child process per run (timed from its Main: client construction,
                                    JIT and first connection included; --child: another build of this program, e.g. a
                                    ReadyToRun publish; --ready-to-run: publish this program ReadyToRun and use it as
                                    the child, for both clients; --warm-up: the child calls AhaClient.WarmUpAsync; --warm-up none:
                                    no warm-up at all, not even the paging loop's own);
                                    --latency-ms: the independent server answers each page that long after it arrived;
                                    --clients reference: a minimal client with an exact sliding log counted at send;
                                    --max-arrival-ms: the client's RateLimit.MaxArrivalDelay assumption (fresh only)
  startup [--runs 7] [--clients aha,aha-steps,reference] [--warm-up auto|main|none] [--child A,B] [--ready-to-run]
                                    a fresh process per run: wall time, process CPU time and JIT work of each step of
                                    building the client (aha-steps: validation, limiter, Polly pipelines, handlers,
                                    resource client one by one) and of its first two page requests; medians
  memory [--records 1000,10000,100000] [--parallelism 1]
                                    peak managed memory while streaming records
  build [--repeats 2]               time a no-change build and a spec-change build (regeneration) of the solution and the library
  sync [--features 20000] [--changes 100] [--time-scale 1]
                                    aha sync into SQLite: a first sync of N features, then K changed records; requests
                                    and time of both (issue 17: the second is proportional to K, not N)
  smoke                             every benchmark once at tiny sizes (seconds); exit code 1 on a failure
  record [dir]                      re-record the overhead payloads from the sandbox into Payloads/
";

        /// <summary>When Main started: a fresh-process export measures from here (client construction and JIT included).</summary>
        internal static long MainStarted { get; private set; }

        public static async Task<int> Main(string[] args)
        {
            MainStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return await RunAsync(args).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                // Bad options (an unknown --server, a missing token, ...): say what was wrong, no stack trace.
                Console.Error.WriteLine("Aha.Benchmarks: " + ex.Message);
                return 2;
            }
        }

        private static async Task<int> RunAsync(string[] args)
        {
            var command = args.Length == 0 ? "help" : args[0];
            var rest = args.Skip(1).ToArray();
            switch (command)
            {
                case "overhead":
                    Overhead.OverheadRunner.Run(rest);
                    return 0;
                case "paired":
                    await Overhead.PairedRunner.RunAsync(Options.Parse(rest)).ConfigureAwait(false);
                    return 0;
                case "export":
                    return await Export.ExportBenchmark.RunAsync(Options.Parse(rest)).ConfigureAwait(false);
                case "export-child":
                    return await Export.ExportChild.RunAsync(Options.Parse(rest), MainStarted).ConfigureAwait(false);
                case "startup":
                    return await Startup.StartupBenchmark.RunAsync(Options.Parse(rest)).ConfigureAwait(false);
                case "startup-child":
                    return await Startup.StartupBenchmark.RunChildAsync(Options.Parse(rest), MainStarted).ConfigureAwait(false);
                case "memory":
                    return await Memory.MemoryBenchmark.RunAsync(Options.Parse(rest)).ConfigureAwait(false);
                case "build":
                    return await Build.BuildTimes.RunAsync(Options.Parse(rest)).ConfigureAwait(false);
                case "sync":
                    return await Sync.SyncBenchmark.RunAsync(Options.Parse(rest)).ConfigureAwait(false);
                case "smoke":
                    return await Smoke.RunAsync().ConfigureAwait(false);
                case "record":
                    await Payloads.RecordAsync(rest.Length > 0 ? rest[0] : Path.Combine(RepoPaths.BenchProject, "Payloads")).ConfigureAwait(false);
                    return 0;
                default:
                    Console.WriteLine(Usage);
                    return command == "help" || command == "--help" ? 0 : 2;
            }
        }
    }
}
