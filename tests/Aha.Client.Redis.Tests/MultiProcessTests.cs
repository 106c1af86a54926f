using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Aha.Client.Redis.Tests.Infrastructure;

namespace Aha.Client.Redis.Tests
{
    /// <summary>
    /// Separate OS processes (Aha.Client.Redis.Worker), each with its own AhaClient and Redis connection, hammer one
    /// server that enforces Aha!'s limits per source IP; they share one budget through one Redis key. Windows are
    /// scaled down 4x on both sides (20 per 250 ms and 300 per 15 s) so each run takes about 16 s; one run at full
    /// scale is below. Bounded: every wait has a deadline, workers are killed if still running.
    /// </summary>
    [NonParallelizable]
    public class MultiProcessTests
    {
        private const double Scale = 4;
        private const int PerSecond = 20;
        private const int PerMinute = 300;

        private static (int Limit, TimeSpan Window)[] ScaledWindows(double scale) => new[]
        {
            (PerSecond, TimeSpan.FromSeconds(1 / scale)),
            (PerMinute, TimeSpan.FromSeconds(60 / scale)),
        };

        /// <summary>When the last of <paramref name="requests"/> could be accepted at the earliest, starting at 0.</summary>
        internal static TimeSpan TheoreticalMinimum(int requests, (int Limit, TimeSpan Window)[] windows)
        {
            var at = new double[requests];
            for (var k = 0; k < requests; k++)
            {
                foreach (var (limit, window) in windows)
                {
                    if (k >= limit)
                    {
                        at[k] = Math.Max(at[k], at[k - limit] + window.TotalSeconds);
                    }
                }
            }

            return TimeSpan.FromSeconds(at[requests - 1]);
        }

        private static async Task<(List<WorkerProcess> Workers, TimeSpan Elapsed)> RunWorkersAsync(
            PerIpLimitServer server, string redis, string key, int processes, int requestsEach, double scale, TimeSpan deadline, Func<Task>? whileRunning = null)
        {
            var workers = Enumerable.Range(1, processes).Select(i => WorkerProcess.Start(
                "p" + i.ToString(CultureInfo.InvariantCulture),
                "--base-url", server.BaseUrl.ToString(),
                "--redis", redis,
                "--key", key,
                "--requests", requestsEach.ToString(CultureInfo.InvariantCulture),
                "--concurrency", "4",
                "--per-second", PerSecond.ToString(CultureInfo.InvariantCulture),
                "--per-minute", PerMinute.ToString(CultureInfo.InvariantCulture),
                "--time-scale", scale.ToString(CultureInfo.InvariantCulture),
                "--deadline-s", ((int)deadline.TotalSeconds).ToString(CultureInfo.InvariantCulture))).ToList();
            try
            {
                await Task.WhenAll(workers.Select(w => w.WaitReadyAsync(TimeSpan.FromSeconds(60))));
                var watch = Stopwatch.StartNew();
                workers.ForEach(w => w.Go());
                if (whileRunning != null)
                {
                    await whileRunning();
                }

                await Task.WhenAll(workers.Select(w => w.WaitForExitAsync(deadline)));
                return (workers, watch.Elapsed);
            }
            catch
            {
                workers.ForEach(w => w.Dispose());
                throw;
            }
        }

        private static void Report(string title, IReadOnlyList<WorkerProcess> workers, PerIpLimitServer server, TimeSpan elapsed, TimeSpan minimum)
        {
            TestContext.Out.WriteLine($"{title}: {server.Accepted} accepted, {server.RateLimited} x 429, peaks per window {string.Join(" / ", server.PeakPerWindow)}, " +
                $"server busy {server.ActiveSpan.TotalSeconds:F2} s, wall {elapsed.TotalSeconds:F2} s, theoretical minimum {minimum.TotalSeconds:F2} s " +
                $"(ratio {server.ActiveSpan.TotalSeconds / Math.Max(0.001, minimum.TotalSeconds):F3}), sources {string.Join(",", server.SourceAddresses)}");
            foreach (var w in workers)
            {
                TestContext.Out.WriteLine($"  {w.Name}: exit {w.ExitCode}, {(w.Result is null ? "no result" : string.Join(" ", w.Result.Select(kv => kv.Key + "=" + kv.Value)))}");
                if (w.Errors.Length > 0)
                {
                    TestContext.Out.WriteLine("    " + w.Errors.Replace(Environment.NewLine, Environment.NewLine + "    "));
                }
            }
        }

        private static async Task AssertOneBudgetAsync(int processes, int requestsEach, double scale, TimeSpan deadline, Func<int, TimeSpan>? arrivalDelay = null, string? title = null, Func<int, TimeSpan>? responseDelay = null)
        {
            var windows = ScaledWindows(scale);
            using var server = new PerIpLimitServer(windows) { ArrivalDelay = arrivalDelay, ResponseDelay = responseDelay };
            var key = TestRedis.NewKey($"{processes}p");
            var (workers, elapsed) = await RunWorkersAsync(server, TestRedis.Configuration, key, processes, requestsEach, scale, deadline);
            try
            {
                var total = processes * requestsEach;
                Report($"{processes} processes x {requestsEach} requests (scale 1/{scale}){title}", workers, server, elapsed, TheoreticalMinimum(total, windows));

                Assert.That(workers.Select(w => w.ExitCode), Has.All.EqualTo(0), "every process completed all its requests");
                Assert.That(workers.Select(w => w.ResultValue("ok")), Has.All.EqualTo(requestsEach));
                Assert.That(server.RateLimited, Is.Zero, "one shared budget: the server never had to reject a request");
                Assert.That(server.Accepted, Is.EqualTo(total));
                Assert.That(server.PeakPerWindow[0], Is.LessThanOrEqualTo(PerSecond), "combined rate within the per-second limit");
                Assert.That(server.PeakPerWindow[1], Is.LessThanOrEqualTo(PerMinute), "combined rate within the per-minute limit");
                Assert.That(server.PeakPerWindow[1], Is.EqualTo(PerMinute), "the run was long enough for the minute window to bind");
                Assert.That(workers.Select(w => w.ResultValue("fallback_permits")), Has.All.EqualTo(0), "Redis was up: no permit came from the fallback");
                Assert.That(workers.Select(w => w.ResultValue("rate_limited_seen")), Has.All.EqualTo(0));
            }
            finally
            {
                workers.ForEach(w => w.Dispose());
            }
        }

        [Test]
        public Task Two_processes_sharing_a_key_finish_with_no_429_within_the_limits() =>
            AssertOneBudgetAsync(processes: 2, requestsEach: 200, Scale, TimeSpan.FromMinutes(3));

        [Test]
        public Task Four_processes_sharing_a_key_finish_with_no_429_within_the_limits() =>
            AssertOneBudgetAsync(processes: 4, requestsEach: 100, Scale, TimeSpan.FromMinutes(3));

        // Requests that reach the server more than a second after their permit (a first call on a loaded machine took
        // 1.1-1.4 s): every fifth one arrives 1.2 s late, the others at once, so late and prompt requests overtake each
        // other. A permit that counted at grant + 1 s let a prompt request land within a window of a late one.
        [Test]
        public Task Four_processes_sharing_a_key_finish_with_no_429_when_some_requests_take_over_a_second_to_arrive() =>
            AssertOneBudgetAsync(processes: 4, requestsEach: 100, Scale, TimeSpan.FromMinutes(3), n => n % 5 == 0 ? TimeSpan.FromMilliseconds(1200) : TimeSpan.Zero, ", every 5th request arriving 1.2 s late");

        // Calls slower than a second: every fifth request is answered 1.2 s after the server counted it. Its permit
        // holds its place until the answer, so the budget is spent more slowly than it could be, never overspent.
        [Test]
        public Task Four_processes_sharing_a_key_finish_with_no_429_when_some_calls_take_over_a_second() =>
            AssertOneBudgetAsync(processes: 4, requestsEach: 100, Scale, TimeSpan.FromMinutes(3), title: ", every 5th call answered 1.2 s after it was counted", responseDelay: n => n % 5 == 0 ? TimeSpan.FromMilliseconds(1200) : TimeSpan.Zero);

#if NET10_0_OR_GREATER
        // Full scale, Aha!'s real limits (20/s, 300/min): about 65 s of real time, so it runs once per test command
        // (net10.0 run).
        [Test]
        public Task Four_processes_at_Aha_limits_finish_400_requests_near_the_theoretical_minimum_with_no_429() =>
            AssertOneBudgetAsync(processes: 4, requestsEach: 100, scale: 1, TimeSpan.FromMinutes(4));
#endif

        [Test]
        public async Task Killing_Redis_mid_run_degrades_to_local_limiting_without_failed_requests_and_recovers()
        {
            using var redis = await RedisServer.StartAsync(); // our own: this test kills it
            var windows = ScaledWindows(Scale);
            using var server = new PerIpLimitServer(windows);
            var key = TestRedis.NewKey("kill");
            var killedAt = 0;
            var restartedAt = 0;

            var (workers, elapsed) = await RunWorkersAsync(server, redis.Configuration, key, processes: 2, requestsEach: 300, Scale, TimeSpan.FromMinutes(3), async () =>
            {
                await Bounded(server.WhenAccepted(60), "60 requests accepted before the kill");
                redis.Kill();
                killedAt = server.Accepted;
                await Bounded(server.WhenAccepted(killedAt + 60), "60 more requests accepted while Redis is down");
                await redis.RestartAsync();
                restartedAt = server.Accepted;
            });
            try
            {
                Report($"2 processes x 300 requests, Redis killed after {killedAt} and restarted after {restartedAt} accepted requests", workers, server, elapsed, TheoreticalMinimum(600, windows));

                Assert.That(workers.Select(w => w.ExitCode), Has.All.EqualTo(0), "no request failed because the coordinator went away");
                Assert.That(workers.Select(w => w.ResultValue("ok")), Has.All.EqualTo(300));
                Assert.That(workers.Select(w => w.ResultValue("unavailable_warnings")), Has.All.GreaterThanOrEqualTo(1), "each process logged the fallback");
                Assert.That(workers.Select(w => w.ResultValue("outages")), Has.All.GreaterThanOrEqualTo(1), "and counted it");
                Assert.That(workers.Select(w => w.ResultValue("fallback_permits")), Has.All.GreaterThan(0), "requests went on, paced in-process");
                Assert.That(workers.Select(w => w.ResultValue("recovered_events")), Has.All.GreaterThanOrEqualTo(1), "each process used Redis again after the restart");
                Assert.That(server.PeakPerWindow[1], Is.LessThanOrEqualTo(PerMinute), "the server enforced its limits throughout");
            }
            finally
            {
                workers.ForEach(w => w.Dispose());
            }
        }

        private static async Task Bounded(Task task, string what)
        {
            if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60))) != task)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }
        }
    }
}
