using System;
using System.Collections.Generic;
using System.Text;

namespace Aha.Sandbox.Chaos
{
    /// <summary>
    /// Draws the fault (if any) for a request. The draw is a hash of the seed, the request's method and URL and the
    /// number of times the same request was seen before: the same sequence of requests always meets the same faults,
    /// whatever the timing, and a retry gets a fresh draw.
    /// </summary>
    internal sealed class ChaosPolicy
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, int> _seen = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly SandboxChaosOptions _options;

        public ChaosPolicy(SandboxChaosOptions options)
        {
            _options = options;
        }

        public ChaosDraw Draw(string method, string pathAndQuery)
        {
            if (!_options.Any)
            {
                return default;
            }

            var key = method + " " + pathAndQuery;
            int occurrence;
            lock (_gate)
            {
                _seen.TryGetValue(key, out occurrence);
                _seen[key] = occurrence + 1;
            }

            var hash = Hash(_options.Seed, key, occurrence);
            var roll = (hash >> 11) * (1.0 / (1UL << 53));
            var variant = (int)(hash & 0xFF);
            var isPost = string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase);

            var edge = 0.0;
            foreach (var (fault, rate) in new[]
            {
                (ChaosFault.DroppedConnection, _options.DroppedConnectionRate),
                (ChaosFault.ServerError, _options.ServerErrorRate),
                (ChaosFault.HtmlErrorPage, _options.HtmlErrorPageRate),
                (ChaosFault.SlowResponse, _options.SlowResponseRate),
                (ChaosFault.TruncatedBody, _options.TruncatedBodyRate),
                (ChaosFault.FailAfterCommit, isPost ? _options.FailAfterCommitRate : 0),
            })
            {
                edge += rate;
                if (roll < edge)
                {
                    return new ChaosDraw(fault, variant);
                }
            }

            return default;
        }

        public void Reset()
        {
            lock (_gate)
            {
                _seen.Clear();
            }
        }

        /// <summary>FNV-1a over the UTF-8 key, then a SplitMix64 finaliser: stable across processes and platforms (unlike <c>string.GetHashCode</c>).</summary>
        internal static ulong Hash(int seed, string key, int occurrence)
        {
            var h = 14695981039346656037UL ^ (ulong)(uint)seed;
            foreach (var b in Encoding.UTF8.GetBytes(key))
            {
                h = (h ^ b) * 1099511628211UL;
            }

            h ^= (ulong)(uint)occurrence * 0x9E3779B97F4A7C15UL;
            h += 0x9E3779B97F4A7C15UL;
            h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
            h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
            return h ^ (h >> 31);
        }
    }

    /// <summary>A drawn fault; <see cref="Fault"/> is null when the request is served normally.</summary>
    internal readonly struct ChaosDraw
    {
        public ChaosDraw(ChaosFault fault, int variant)
        {
            Fault = fault;
            Variant = variant;
        }

        public ChaosFault? Fault { get; }

        /// <summary>A second deterministic number, to pick among the variants of a fault (which 5xx, 500 or dropped).</summary>
        public int Variant { get; }
    }
}
