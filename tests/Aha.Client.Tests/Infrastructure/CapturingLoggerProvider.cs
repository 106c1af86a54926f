using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>Captures every log event at every level: message, structured values and exception text.</summary>
    internal sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new ConcurrentQueue<Entry>();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        /// <summary>Everything logged, as one text to search for secrets.</summary>
        public string AllText() => string.Join("\n", Entries.Select(e => e.ToString()));

        public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

        internal sealed class Entry
        {
            public string Category { get; set; } = string.Empty;

            public LogLevel Level { get; set; }

            public EventId EventId { get; set; }

            public string Message { get; set; } = string.Empty;

            public string State { get; set; } = string.Empty;

            public string? Exception { get; set; }

            public override string ToString() => $"{Level} {Category} [{EventId}] {Message} | {State} | {Exception}";
        }

        private sealed class Logger : ILogger
        {
            private readonly CapturingLoggerProvider _owner;
            private readonly string _category;

            public Logger(CapturingLoggerProvider owner, string category)
            {
                _owner = owner;
                _category = category;
            }

            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? string.Join("; ", pairs.Select(p => p.Key + "=" + p.Value))
                    : state?.ToString() ?? string.Empty;
                _owner.Entries.Enqueue(new Entry
                {
                    Category = _category,
                    Level = logLevel,
                    EventId = eventId,
                    Message = formatter(state, exception),
                    State = values,
                    Exception = exception?.ToString(),
                });
            }
        }
    }
}
