using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Redis.Tests.Infrastructure
{
    /// <summary>Sums the Redis budget's counters for one key (tests use unique keys, so parallel runs never mix).</summary>
    internal sealed class RedisMetrics : IDisposable
    {
        private readonly MeterListener _listener = new MeterListener();
        private readonly ConcurrentDictionary<string, long> _totals = new ConcurrentDictionary<string, long>();

        public RedisMetrics(string key)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Aha.Client" && instrument.Name.StartsWith("aha.client.rate_limit.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == RedisTelemetry.KeyTag && (string?)tag.Value == key)
                    {
                        _totals.AddOrUpdate(instrument.Name, value, (_, n) => n + value);
                    }
                }
            });
            _listener.Start();
        }

        public long Fallback => _totals.TryGetValue(RedisTelemetry.FallbackInstrument, out var n) ? n : 0;

        public long Outages => _totals.TryGetValue(RedisTelemetry.OutagesInstrument, out var n) ? n : 0;

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Captures log events.</summary>
    internal sealed class CapturingLogger : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(LogLevel Level, int EventId, string Category, string Message)> Entries { get; } = new ConcurrentQueue<(LogLevel, int, string, string)>();

        /// <summary>Called with the event id of every entry, as it is logged.</summary>
        public Action<int>? OnEvent { get; set; }

        public ILoggerFactory Factory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

        public IEnumerable<(LogLevel Level, int EventId, string Category, string Message)> WithId(int id) => Entries.Where(e => e.EventId == id);

        public string AllText() => string.Join(Environment.NewLine, Entries.Select(e => $"{e.Level} {e.Category} [{e.EventId}] {e.Message}"));

        public ILogger CreateLogger(string categoryName) => new Categorized(this, categoryName);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Add(logLevel, eventId.Id, string.Empty, formatter(state, exception) + (exception is null ? string.Empty : " " + exception));

        private void Add(LogLevel level, int eventId, string category, string message)
        {
            Entries.Enqueue((level, eventId, category, message));
            OnEvent?.Invoke(eventId);
        }

        public void Dispose()
        {
        }

        private sealed class Categorized : ILogger
        {
            private readonly CapturingLogger _owner;
            private readonly string _category;

            public Categorized(CapturingLogger owner, string category)
            {
                _owner = owner;
                _category = category;
            }

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                _owner.Add(logLevel, eventId.Id, _category, formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
        }
    }
}
