using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;
using Aha.Client.Configuration;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Redis.Worker
{
    /// <summary>
    /// One client process: sends --requests requests (two reads, then one write, repeated) over --concurrency tasks
    /// through AhaClient with RateLimit.UseRedis, then prints one line "RESULT key=value ...". With --wait-for-go it
    /// prints "READY" once connected and starts when a line arrives on standard input, so that a test can start
    /// several processes at the same moment without sleeping.
    /// </summary>
    /// <example>
    /// dotnet run --project tests/Aha.Client.Redis.Worker -f net10.0 -- --base-url http://127.0.0.1:5000/api/v1/
    ///   --redis 127.0.0.1:6379 --key aha:egress-1 --requests 400 --concurrency 4
    /// </example>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            var a = Args.Parse(args);
            var baseUrl = new Uri(a.Required("base-url"));
            var requests = a.Int("requests", 100);
            var concurrency = a.Int("concurrency", 4);
            var name = a.Get("name") ?? "worker-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            var scale = a.Double("time-scale", 1);

            var events = new ConcurrentDictionary<int, int>();
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new StderrLogger(name, events)));

            long fallbackPermits = 0, outages = 0;
            using var meters = new MeterListener();
            meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Aha.Client" && instrument.Name.StartsWith("aha.client.rate_limit.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            meters.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
            {
                if (instrument.Name == "aha.client.rate_limit.fallback")
                {
                    Interlocked.Add(ref fallbackPermits, value);
                }
                else if (instrument.Name == "aha.client.rate_limit.coordinator.outages")
                {
                    Interlocked.Add(ref outages, value);
                }
            });
            meters.Start();

            var options = new AhaClientOptions
            {
                BaseUrl = baseUrl,
                Token = "worker-token",
                UserAgent = "Aha.Client.Redis worker (dev@example.com)",
            };
            options.RateLimit.RequestsPerSecond = a.Int("per-second", 20);
            options.RateLimit.RequestsPerMinute = a.Int("per-minute", 300);
            options.RateLimit.SafetyMargin = TimeSpan.FromMilliseconds(a.Int("margin-ms", 50));
            options.Resilience.MaxRetryAttempts = a.Int("max-retries", 20);
            options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(200);
            options.Resilience.TotalTimeout = TimeSpan.FromSeconds(a.Int("total-timeout-s", 300));
            options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(30);
            if (a.Get("redis") is { } redis)
            {
                options.RateLimit.UseRedis(redis, a.Required("key"), o => o.TimeScale = scale);
            }

            var aha = new AhaClient(options, loggerFactory: loggers);

            if (a.Flag("wait-for-go"))
            {
                Console.Out.WriteLine("READY");
                Console.Out.Flush();
                if (Console.In.ReadLine() is null)
                {
                    return 3; // the test went away
                }
            }

            var statuses = new ConcurrentDictionary<string, int>();
            var next = -1;
            var watch = Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(a.Int("deadline-s", 600)));
            var tasks = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests)
                {
                    string outcome;
                    try
                    {
                        using var response = i % 3 == 2
                            ? await aha.HttpClient.PostAsync("products/PRJ/features", new StringContent("{\"feature\":{\"name\":\"" + name + "-" + i.ToString(CultureInfo.InvariantCulture) + "\"}}", Encoding.UTF8, "application/json"), deadline.Token)
                            : await aha.HttpClient.GetAsync("features?per_page=200&page=" + (i + 1).ToString(CultureInfo.InvariantCulture), deadline.Token);
                        outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                    }
                    catch (Exception ex)
                    {
                        outcome = ex.GetType().Name;
                        Console.Error.WriteLine($"[{name}] request {i} failed: {ex.GetType().Name}: {ex.Message}");
                    }

                    statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                }
            })).ToArray();
            await Task.WhenAll(tasks);
            watch.Stop();
            meters.RecordObservableInstruments();

            var ok = statuses.TryGetValue("200", out var n200) ? n200 : 0;
            var result = new Dictionary<string, string>
            {
                ["name"] = name,
                ["ok"] = ok.ToString(CultureInfo.InvariantCulture),
                ["failed"] = (requests - ok).ToString(CultureInfo.InvariantCulture),
                ["statuses"] = string.Join(";", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + ":" + s.Value.ToString(CultureInfo.InvariantCulture))),
                ["rate_limited_seen"] = aha.RateLimit.RateLimitedResponses.ToString(CultureInfo.InvariantCulture),
                ["fallback_permits"] = Interlocked.Read(ref fallbackPermits).ToString(CultureInfo.InvariantCulture),
                ["outages"] = Interlocked.Read(ref outages).ToString(CultureInfo.InvariantCulture),
                ["unavailable_warnings"] = events.GetValueOrDefault(3101).ToString(CultureInfo.InvariantCulture),
                ["recovered_events"] = events.GetValueOrDefault(3102).ToString(CultureInfo.InvariantCulture),
                ["server_pauses"] = events.GetValueOrDefault(3002).ToString(CultureInfo.InvariantCulture),
                ["elapsed_ms"] = watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture),
            };
            Console.Out.WriteLine("RESULT " + string.Join(" ", result.Select(kv => kv.Key + "=" + kv.Value)));
            Console.Out.Flush();
            return ok == requests ? 0 : 1;
        }

        private sealed class Args
        {
            private readonly Dictionary<string, string?> _values = new Dictionary<string, string?>(StringComparer.Ordinal);

            public static Args Parse(string[] args)
            {
                var parsed = new Args();
                for (var i = 0; i < args.Length; i++)
                {
                    if (!args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"Unexpected argument '{args[i]}'.");
                    }

                    var key = args[i].Substring(2);
                    var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
                    parsed._values[key] = value;
                }

                return parsed;
            }

            public string? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

            public bool Flag(string key) => _values.ContainsKey(key);

            public string Required(string key) => Get(key) ?? throw new ArgumentException($"--{key} is required.");

            public int Int(string key, int fallback) => Get(key) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

            public double Double(string key, double fallback) => Get(key) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        }

        /// <summary>Warnings and above to standard error (diagnostics in the test output); counts every event id.</summary>
        private sealed class StderrLogger : ILoggerProvider, ILogger
        {
            private readonly string _name;
            private readonly ConcurrentDictionary<int, int> _events;

            public StderrLogger(string name, ConcurrentDictionary<int, int> events)
            {
                _name = name;
                _events = events;
            }

            public ILogger CreateLogger(string categoryName) => this;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                _events.AddOrUpdate(eventId.Id, 1, (_, n) => n + 1);
                if (logLevel >= LogLevel.Warning || eventId.Id == 3102)
                {
                    Console.Error.WriteLine($"[{_name}] {logLevel} {eventId.Id} {formatter(state, exception)}");
                }
            }

            public void Dispose()
            {
            }
        }
    }
}
