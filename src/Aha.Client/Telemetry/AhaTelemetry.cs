using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Aha.Client.Authentication;

namespace Aha.Client.Telemetry
{
    /// <summary>
    /// The client's tracing and metrics. Subscribe with OpenTelemetry (<c>AddSource("Aha.Client")</c>,
    /// <c>AddMeter("Aha.Client")</c>) or an <see cref="ActivityListener"/> / <see cref="MeterListener"/>.
    /// </summary>
    public static class AhaTelemetry
    {
        /// <summary>The name of the <see cref="ActivitySource"/> and of the <see cref="Meter"/>: <c>Aha.Client</c>.</summary>
        public const string Name = "Aha.Client";

        /// <summary>Counter: HTTP requests sent to Aha! (every attempt counts), tagged with method and status code.</summary>
        public const string RequestsInstrument = "aha.client.requests";

        /// <summary>Counter: 429 responses received.</summary>
        public const string RateLimitedInstrument = "aha.client.rate_limited";

        /// <summary>Histogram (seconds): time a request waited for a rate-limit permit.</summary>
        public const string RateLimitWaitInstrument = "aha.client.rate_limit.wait";

        /// <summary>Counter: retries scheduled, tagged with the reason.</summary>
        public const string RetriesInstrument = "aha.client.retries";

        /// <summary>Histogram (seconds): duration of a whole call, retries and waits included.</summary>
        public const string CallDurationInstrument = "aha.client.call.duration";

        internal static readonly ActivitySource ActivitySource = new ActivitySource(Name, UserAgent.Version);

        internal static readonly Meter Meter = new Meter(Name, UserAgent.Version);

        internal static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsInstrument, "{request}", "HTTP requests sent to Aha! (each attempt counts).");

        internal static readonly Counter<long> RateLimited = Meter.CreateCounter<long>(RateLimitedInstrument, "{response}", "429 Too Many Requests responses received from Aha!.");

        internal static readonly Histogram<double> RateLimitWait = Meter.CreateHistogram<double>(RateLimitWaitInstrument, "s", "Time requests waited for a client-side rate-limit permit.");

        internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(RetriesInstrument, "{retry}", "Retries scheduled by the client.");

        internal static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>(CallDurationInstrument, "s", "Duration of whole calls to Aha!, retries and rate-limit waits included.");

        internal static KeyValuePair<string, object?> Tag(string key, object? value) => new KeyValuePair<string, object?>(key, value);
    }
}
