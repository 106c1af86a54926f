using System;
using System.Collections.Generic;
using Aha.Client.Resilience;

namespace Aha.Client
{
    /// <summary>
    /// The base of every operation's options type (<c>FeaturesListOptions</c>, <c>FeaturesGetOptions</c>, ...): the
    /// settings any single call can take. Each operation has its own options type, so a query parameter that Aha! adds
    /// later arrives as a new property there, without changing any method signature.
    /// </summary>
    public abstract class AhaOperationOptions
    {
        private Dictionary<string, string>? _headers;

        private protected AhaOperationOptions()
        {
        }

        /// <summary>
        /// Retries and timeouts for this call only (for example <see cref="AhaRequestOptions.NoRetries"/>); unset values
        /// fall back to any <c>aha.WithRequestOptions(...)</c> scope, then to the client's options.
        /// </summary>
        public AhaRequestOptions? RequestOptions { get; set; }

        /// <summary>
        /// Extra HTTP headers for this call only (names are case-insensitive). The client's own authentication and user
        /// agent are applied after these and win.
        /// </summary>
        public IDictionary<string, string> Headers => _headers ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        internal bool HasHeaders => _headers is { Count: > 0 };

        internal IEnumerable<KeyValuePair<string, string>> HeaderValues => (IEnumerable<KeyValuePair<string, string>>?)_headers ?? Array.Empty<KeyValuePair<string, string>>();

        /// <summary>Copies the headers onto a copy of these options (used by the paging helpers).</summary>
        private protected T CopyHeadersTo<T>(T copy)
            where T : AhaOperationOptions
        {
            if (_headers != null)
            {
                foreach (var header in _headers)
                {
                    copy.Headers[header.Key] = header.Value;
                }
            }

            return copy;
        }
    }
}
