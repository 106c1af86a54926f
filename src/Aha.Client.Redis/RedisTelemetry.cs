using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Redis
{
    /// <summary>
    /// Metrics of the Redis-backed budget, on a meter named <c>Aha.Client</c> like the client's own, so
    /// <c>AddMeter("Aha.Client")</c> collects them too.
    /// </summary>
    internal static class RedisTelemetry
    {
        /// <summary>Counter: permits granted by the in-process fallback because Redis was unavailable.</summary>
        internal const string FallbackInstrument = "aha.client.rate_limit.fallback";

        /// <summary>Counter: times Redis became unavailable (each starts a fallback period).</summary>
        internal const string OutagesInstrument = "aha.client.rate_limit.coordinator.outages";

        internal const string KeyTag = "aha.rate_limit.key";

        internal static readonly Meter Meter = new Meter("Aha.Client");

        internal static readonly Counter<long> Fallback = Meter.CreateCounter<long>(FallbackInstrument, "{permit}", "Rate-limit permits granted by the in-process fallback because the Redis coordinator was unavailable.");

        internal static readonly Counter<long> Outages = Meter.CreateCounter<long>(OutagesInstrument, "{outage}", "Times the Redis rate-limit coordinator became unavailable.");

        internal static KeyValuePair<string, object?> Key(string key) => new KeyValuePair<string, object?>(KeyTag, key);
    }

    /// <summary>Log events of the Redis-backed budget (category <c>Aha.Client.Redis</c>). Never the configuration string.</summary>
    internal static class RedisLog
    {
        internal const string Category = "Aha.Client.Redis";

        private static readonly Action<ILogger, string, string, string, Exception?> UnavailableMessage =
            LoggerMessage.Define<string, string, string>(LogLevel.Warning, new EventId(3101, "RateLimitCoordinatorUnavailable"), "The Redis rate-limit coordinator ({Endpoints}, key {Key}) is unavailable ({Reason}); requests are paced by the in-process limiter until it answers again, so processes sharing the key no longer see each other's requests");

        private static readonly Action<ILogger, string, string, int, Exception?> RecoveredMessage =
            LoggerMessage.Define<string, string, int>(LogLevel.Information, new EventId(3102, "RateLimitCoordinatorRecovered"), "The Redis rate-limit coordinator ({Endpoints}, key {Key}) answers again; the shared budget is back in use ({Replayed} permits granted locally meanwhile were added to it)");

        private static readonly Action<ILogger, string, Exception?> StillUnavailableMessage =
            LoggerMessage.Define<string>(LogLevel.Debug, new EventId(3103, "RateLimitCoordinatorStillUnavailable"), "The Redis rate-limit coordinator is still unavailable ({Reason})");

        internal static void Unavailable(ILogger logger, string endpoints, string key, string reason, Exception? exception) => UnavailableMessage(logger, endpoints, key, reason, exception);

        internal static void Recovered(ILogger logger, string endpoints, string key, int replayed) => RecoveredMessage(logger, endpoints, key, replayed, null);

        internal static void StillUnavailable(ILogger logger, string reason) => StillUnavailableMessage(logger, reason, null);
    }
}
