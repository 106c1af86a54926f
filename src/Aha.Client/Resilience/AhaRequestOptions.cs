using System;
using System.Net.Http;
using System.Threading;
using Aha.Client.Pipeline;

namespace Aha.Client.Resilience
{
    /// <summary>
    /// Overrides of the client's retry and timeout settings for some calls only: opt one call out of retries, or give a
    /// bulk job a larger budget. Apply them with <c>using (aha.WithRequestOptions(...)) { ... }</c> around the calls
    /// (an ambient scope that flows through <c>await</c>), or attach them to a request you send yourself with
    /// <see cref="AhaRequestOptionsExtensions.SetAhaRequestOptions"/>. Unset values fall back to the enclosing scope,
    /// then to <see cref="Configuration.AhaResilienceOptions"/>.
    /// </summary>
    public sealed class AhaRequestOptions
    {
        private static readonly AsyncLocal<AhaRequestOptions?> Ambient = new AsyncLocal<AhaRequestOptions?>();

        /// <summary>No retry at all for these calls (not even after a 429).</summary>
        public static AhaRequestOptions NoRetries => new AhaRequestOptions { MaxRetryAttempts = 0 };

        /// <summary>Retries after the first attempt; 0 disables retries.</summary>
        public int? MaxRetryAttempts { get; set; }

        /// <summary>Longest time one attempt may take on the wire (limiter queueing excluded).</summary>
        public TimeSpan? AttemptTimeout { get; set; }

        /// <summary>Longest time a whole call may take, waits and retries included; raise it for bulk jobs.</summary>
        public TimeSpan? TotalTimeout { get; set; }

        /// <summary>The options of the innermost active scope, if any.</summary>
        internal static AhaRequestOptions? Current => Ambient.Value;

        /// <summary>
        /// The options that apply to <paramref name="request"/>: those attached to it, else the ambient scope's.
        /// </summary>
        internal static AhaRequestOptions? For(HttpRequestMessage? request) =>
            RequestProperties.Get<AhaRequestOptions>(request, RequestProperties.RequestOptions) ?? Ambient.Value;

        /// <summary>Starts an ambient scope; values not set fall back to the enclosing scope.</summary>
        internal static IDisposable Push(AhaRequestOptions options)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var previous = Ambient.Value;
            Ambient.Value = previous is null ? options.Clone() : options.MergedOver(previous);
            return new Scope(previous);
        }

        internal AhaRequestOptions MergedOver(AhaRequestOptions outer) => new AhaRequestOptions
        {
            MaxRetryAttempts = MaxRetryAttempts ?? outer.MaxRetryAttempts,
            AttemptTimeout = AttemptTimeout ?? outer.AttemptTimeout,
            TotalTimeout = TotalTimeout ?? outer.TotalTimeout,
        };

        private AhaRequestOptions Clone() => new AhaRequestOptions
        {
            MaxRetryAttempts = MaxRetryAttempts,
            AttemptTimeout = AttemptTimeout,
            TotalTimeout = TotalTimeout,
        };

        private sealed class Scope : IDisposable
        {
            private readonly AhaRequestOptions? _previous;
            private bool _disposed;

            public Scope(AhaRequestOptions? previous) => _previous = previous;

            public void Dispose()
            {
                if (!_disposed)
                {
                    _disposed = true;
                    Ambient.Value = _previous;
                }
            }
        }
    }

    /// <summary>Attaches <see cref="AhaRequestOptions"/> to a request sent through <c>aha.HttpClient</c>.</summary>
    public static class AhaRequestOptionsExtensions
    {
        /// <summary>Makes <paramref name="options"/> apply to this request (over any ambient scope).</summary>
        /// <param name="request">The request.</param>
        /// <param name="options">The overrides.</param>
        /// <returns>The same request.</returns>
        public static HttpRequestMessage SetAhaRequestOptions(this HttpRequestMessage request, AhaRequestOptions options)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var merged = AhaRequestOptions.Current is { } ambient ? options.MergedOver(ambient) : options;
            RequestProperties.Set(request, RequestProperties.RequestOptions, merged);
            return request;
        }
    }
}
