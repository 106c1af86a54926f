using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Aha.Cli.Connection
{
    /// <summary>
    /// Receives the client's log events (category <c>Aha.Client</c>) for one command and counts what the progress
    /// line shows: rate-limit waits (event 3001, with their duration), server pauses (3002), 429s (3003), retries
    /// (2001/2002) and requests ended (1002/1003). With <c>--verbose</c>, warnings and retries are also printed to stderr. Events carry method, path
    /// and timings only, never headers or tokens.
    /// </summary>
    internal sealed class ClientEvents : ILoggerFactory, ILoggerProvider, ILogger
    {
        private const double NoticeableWaitMs = 10;

        private readonly TextWriter? _verbose;
        private readonly object _gate = new object();
        private long _waits;
        private long _waitTicks;
        private long _rateLimited;
        private long _retries;
        private long _serverPauses;
        private long _requests;

        public ClientEvents(TextWriter? verbose = null) => _verbose = verbose;

        /// <summary>Requests that waited 10 ms or more for a rate-limit permit.</summary>
        public long RateLimitWaits => Interlocked.Read(ref _waits);

        /// <summary>Total time spent waiting for permits.</summary>
        public TimeSpan RateLimitWaitTime => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

        /// <summary>429 answers received (each was retried, or ended the command).</summary>
        public long RateLimitedResponses => Interlocked.Read(ref _rateLimited);

        /// <summary>Retries scheduled after a transient failure or a 429.</summary>
        public long Retries => Interlocked.Read(ref _retries);

        /// <summary>Requests that ended, answered or failed (each counted once, whatever its retries): what an export by cursor reports.</summary>
        public long Requests => Interlocked.Read(ref _requests);

        /// <summary>Times the server said the budget was spent and every request was held.</summary>
        public long ServerPauses => Interlocked.Read(ref _serverPauses);

        /// <summary>A short summary for the progress line: "2 rate-limit waits (1.3 s), 0 retries".</summary>
        public string Describe()
        {
            var text = string.Format(CultureInfo.InvariantCulture, "rate-limit waits: {0} ({1:0.0} s)", RateLimitWaits, RateLimitWaitTime.TotalSeconds);
            if (RateLimitedResponses > 0)
            {
                text += string.Format(CultureInfo.InvariantCulture, ", 429s: {0}", RateLimitedResponses);
            }

            if (Retries > 0)
            {
                text += string.Format(CultureInfo.InvariantCulture, ", retries: {0}", Retries);
            }

            return text;
        }

        ILogger ILoggerFactory.CreateLogger(string categoryName) => this;

        ILogger ILoggerProvider.CreateLogger(string categoryName) => this;

        void ILoggerFactory.AddProvider(ILoggerProvider provider)
        {
        }

        IDisposable? ILogger.BeginScope<TState>(TState state) => null;

        bool ILogger.IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            switch (eventId.Id)
            {
                case 3001:
                    // Every permit reports its (often microscopic) queueing time; only a noticeable one is a "wait".
                    if (Number(state, "WaitMs") is { } ms)
                    {
                        Interlocked.Add(ref _waitTicks, TimeSpan.FromMilliseconds(ms).Ticks);
                        if (ms >= NoticeableWaitMs)
                        {
                            Interlocked.Increment(ref _waits);
                        }
                    }

                    break;
                case 1002:
                case 1003:
                    Interlocked.Increment(ref _requests);
                    break;
                case 3002:
                    Interlocked.Increment(ref _serverPauses);
                    break;
                case 3003:
                    Interlocked.Increment(ref _rateLimited);
                    break;
                case 2001:
                case 2002:
                    Interlocked.Increment(ref _retries);
                    break;
            }

            if (_verbose != null && logLevel >= LogLevel.Information)
            {
                lock (_gate)
                {
                    _verbose.WriteLine("aha: [client] " + formatter(state, exception));
                    _verbose.Flush();
                }
            }
        }

        void IDisposable.Dispose()
        {
        }

        private static double? Number<TState>(TState state, string name)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var pair in values)
                {
                    if (pair.Key == name && pair.Value is IConvertible convertible)
                    {
                        return convertible.ToDouble(CultureInfo.InvariantCulture);
                    }
                }
            }

            return null;
        }
    }
}
