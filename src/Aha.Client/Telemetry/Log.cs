using System;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Telemetry
{
    /// <summary>
    /// The client's log events (category <c>Aha.Client</c>). They carry method, path, status and timings, never
    /// headers, tokens or bodies.
    /// </summary>
    internal static class Log
    {
        internal const string Category = "Aha.Client";

        private static readonly Action<ILogger, string, string, Exception?> RequestStartingMessage =
            LoggerMessage.Define<string, string>(LogLevel.Debug, new EventId(1001, "RequestStarting"), "Sending {Method} {Path}");

        private static readonly Action<ILogger, string, string, int, double, int, Exception?> RequestCompletedMessage =
            LoggerMessage.Define<string, string, int, double, int>(LogLevel.Debug, new EventId(1002, "RequestCompleted"), "{Method} {Path} answered {StatusCode} in {ElapsedMs} ms after {Attempts} attempt(s)");

        private static readonly Action<ILogger, string, string, string, double, int, Exception?> RequestFailedMessage =
            LoggerMessage.Define<string, string, string, double, int>(LogLevel.Debug, new EventId(1003, "RequestFailed"), "{Method} {Path} failed with {ErrorType} after {ElapsedMs} ms and {Attempts} attempt(s)");

        private static readonly Action<ILogger, string, string, int, int, Exception?> AttemptCompletedMessage =
            LoggerMessage.Define<string, string, int, int>(LogLevel.Debug, new EventId(1004, "AttemptCompleted"), "{Method} {Path}: attempt {Attempt} answered {StatusCode}");

        private static readonly Action<ILogger, string, string, int, string, double, Exception?> RetryingMessage =
            LoggerMessage.Define<string, string, int, string, double>(LogLevel.Information, new EventId(2001, "Retrying"), "{Method} {Path}: attempt {Attempt} ended with {Outcome}; retrying in {DelayMs} ms");

        private static readonly Action<ILogger, string, string, int, double, Exception?> RetryingRateLimitedMessage =
            LoggerMessage.Define<string, string, int, double>(LogLevel.Warning, new EventId(2002, "RetryingRateLimited"), "{Method} {Path}: attempt {Attempt} was rate limited (429); retrying in {DelayMs} ms");

        private static readonly Action<ILogger, string, string, string, Exception?> NotRetriedMessage =
            LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(2003, "NotRetried"), "{Method} {Path} was not retried: {Reason}");

        private static readonly Action<ILogger, string, string, double, Exception?> WaitedForPermitMessage =
            LoggerMessage.Define<string, string, double>(LogLevel.Information, new EventId(3001, "WaitedForPermit"), "{Method} {Path} waited {WaitMs} ms for a rate-limit permit");

        private static readonly Action<ILogger, string, string, double, Exception?> WaitedForPermitShortMessage =
            LoggerMessage.Define<string, string, double>(LogLevel.Debug, new EventId(3001, "WaitedForPermit"), "{Method} {Path} waited {WaitMs} ms for a rate-limit permit");

        private static readonly Action<ILogger, string, DateTimeOffset, Exception?> ServerPauseMessage =
            LoggerMessage.Define<string, DateTimeOffset>(LogLevel.Warning, new EventId(3002, "ServerPause"), "Aha! reports the rate-limit budget spent ({Signal}); holding requests until {Until:O}");

        private static readonly Action<ILogger, string, string, double, Exception?> RateLimitedMessage =
            LoggerMessage.Define<string, string, double>(LogLevel.Warning, new EventId(3003, "RateLimited"), "Aha! answered 429 Too Many Requests to {Method} {Path}; the server asks to wait {DelayMs} ms");

        internal static void RequestStarting(ILogger logger, string method, string path) => RequestStartingMessage(logger, method, path, null);

        internal static void RequestCompleted(ILogger logger, string method, string path, int status, TimeSpan elapsed, int attempts) =>
            RequestCompletedMessage(logger, method, path, status, Math.Round(elapsed.TotalMilliseconds, 1), attempts, null);

        internal static void RequestFailed(ILogger logger, string method, string path, Exception error, TimeSpan elapsed, int attempts) =>
            RequestFailedMessage(logger, method, path, error.GetType().Name, Math.Round(elapsed.TotalMilliseconds, 1), attempts, error);

        internal static void AttemptCompleted(ILogger logger, string method, string path, int attempt, int status) =>
            AttemptCompletedMessage(logger, method, path, attempt, status, null);

        internal static void Retrying(ILogger logger, string method, string path, int attempt, string outcome, TimeSpan delay, bool rateLimited)
        {
            if (rateLimited)
            {
                RetryingRateLimitedMessage(logger, method, path, attempt, Math.Round(delay.TotalMilliseconds), null);
            }
            else
            {
                RetryingMessage(logger, method, path, attempt, outcome, Math.Round(delay.TotalMilliseconds), null);
            }
        }

        internal static void NotRetried(ILogger logger, string method, string path, string reason) => NotRetriedMessage(logger, method, path, reason, null);

        internal static void WaitedForPermit(ILogger logger, string method, string path, TimeSpan waited)
        {
            if (waited >= TimeSpan.FromSeconds(1))
            {
                WaitedForPermitMessage(logger, method, path, Math.Round(waited.TotalMilliseconds), null);
            }
            else
            {
                WaitedForPermitShortMessage(logger, method, path, Math.Round(waited.TotalMilliseconds, 1), null);
            }
        }

        internal static void ServerPause(ILogger logger, string signal, DateTimeOffset until) => ServerPauseMessage(logger, signal, until, null);

        internal static void RateLimited(ILogger logger, string method, string path, TimeSpan? delay) =>
            RateLimitedMessage(logger, method, path, delay is { } d ? Math.Round(d.TotalMilliseconds) : -1, null);
    }
}
