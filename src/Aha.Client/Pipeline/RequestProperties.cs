using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Pipeline
{
    /// <summary>Per-request values that one step of the pipeline leaves for another (netstandard2.0 and .NET alike).</summary>
    internal static class RequestProperties
    {
        /// <summary>When the server said a rate-limited request may be retried (set on each 429 by the limiter step).</summary>
        internal const string RetryAt = "Aha.Client.RetryAt";

        /// <summary>The <see cref="Resilience.AhaRequestOptions"/> attached to one request.</summary>
        internal const string RequestOptions = "Aha.Client.RequestOptions";

        /// <summary>How many attempts were sent for this request.</summary>
        internal const string Attempts = "Aha.Client.Attempts";

        /// <summary>
        /// Whether the last attempt was sent and ended without a complete answer (1) or not (0): set by the attempt step,
        /// read by the error step to tell a write whose outcome is unknown from one that never left.
        /// </summary>
        internal const string Unanswered = "Aha.Client.Unanswered";

        internal static T? Get<T>(HttpRequestMessage? request, string key)
            where T : class
        {
            if (request is null)
            {
                return null;
            }
#if NET5_0_OR_GREATER
            return request.Options.TryGetValue(new HttpRequestOptionsKey<T>(key), out var value) ? value : null;
#else
            return request.Properties.TryGetValue(key, out var value) ? value as T : null;
#endif
        }

        internal static void Set<T>(HttpRequestMessage request, string key, T value)
            where T : class
        {
#if NET5_0_OR_GREATER
            request.Options.Set(new HttpRequestOptionsKey<T>(key), value);
#else
            request.Properties[key] = value;
#endif
        }

        internal static int IncrementAttempts(HttpRequestMessage request)
        {
            var box = Get<StrongBox>(request, Attempts);
            if (box is null)
            {
                box = new StrongBox();
                Set(request, Attempts, box);
            }

            return Interlocked.Increment(ref box.Value);
        }

        internal static int GetAttempts(HttpRequestMessage? request) => Get<StrongBox>(request, Attempts)?.Value ?? 0;

        /// <summary>Records whether the current attempt is on the wire without a complete answer yet.</summary>
        internal static void SetUnanswered(HttpRequestMessage request, bool unanswered)
        {
            var box = Get<StrongBox>(request, Unanswered);
            if (box is null)
            {
                box = new StrongBox();
                Set(request, Unanswered, box);
            }

            Volatile.Write(ref box.Value, unanswered ? 1 : 0);
        }

        /// <summary>Null when no attempt step ran for the request (nothing sent, or a pipeline without one).</summary>
        internal static bool? GetUnanswered(HttpRequestMessage? request) => Get<StrongBox>(request, Unanswered) is { } box ? Volatile.Read(ref box.Value) == 1 : (bool?)null;

        internal sealed class StrongBox
        {
            public int Value;
        }
    }

    /// <summary>Time helpers that work on every target framework with any <see cref="TimeProvider"/>.</summary>
    internal static class TimeExtensions
    {
        internal static Task DelayAsync(this TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
        {
            if (delay <= TimeSpan.Zero)
            {
                return Task.CompletedTask;
            }
#if NET8_0_OR_GREATER
            return Task.Delay(delay, time, cancellationToken);
#else
            return time.Delay(delay, cancellationToken);
#endif
        }
    }
}
