using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Aha.Benchmarks.Infrastructure
{
    /// <summary>Tiny <c>--name value</c> parser for the non-BenchmarkDotNet commands.</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Unexpected argument '{args[i]}'.");
                }

                var name = args[i].Substring(2);
                var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
                options._values[name] = value;
            }

            return options;
        }

        public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

        public string Get(string name, string fallback) => Get(name) ?? fallback;

        public int GetInt(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        public double GetDouble(string name, double fallback) => Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        public int[] GetInts(string name, params int[] fallback)
            => Get(name) is { } v ? v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s.Trim().Replace("_", string.Empty), CultureInfo.InvariantCulture)).ToArray() : fallback;

        public string[] GetList(string name, params string[] fallback)
            => Get(name) is { } v ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : fallback;
    }
}
