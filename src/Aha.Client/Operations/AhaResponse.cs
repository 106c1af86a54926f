using System;
using System.Collections.Generic;
using System.Linq;

namespace Aha.Client
{
    /// <summary>
    /// The HTTP answer of a call made with a <c>...WithResponseAsync</c> method: status, headers (rate-limit state
    /// included) and the raw body, as Aha! sent them. Constructible, so tests and mocks can return one.
    /// </summary>
    public class AhaResponse
    {
        private static readonly IReadOnlyDictionary<string, IEnumerable<string>> NoHeaders = new Dictionary<string, IEnumerable<string>>();

        /// <summary>Creates a response (for tests and mocks; the client builds its own).</summary>
        /// <param name="status">The HTTP status code.</param>
        /// <param name="headers">The response and content headers; case-insensitive lookups.</param>
        /// <param name="content">The raw body, or null when there was none.</param>
        public AhaResponse(int status, IReadOnlyDictionary<string, IEnumerable<string>>? headers = null, string? content = null)
        {
            Status = status;
            Headers = headers is null ? NoHeaders : new Dictionary<string, IEnumerable<string>>(headers.ToDictionary(h => h.Key, h => h.Value), StringComparer.OrdinalIgnoreCase);
            Content = content;
            RateLimitLimit = ReadInt("X-Ratelimit-Limit");
            RateLimitRemaining = ReadInt("X-Ratelimit-Remaining");
            RateLimitResetsAt = ReadInt("X-Ratelimit-Reset") is int reset ? DateTimeOffset.FromUnixTimeSeconds(reset) : (DateTimeOffset?)null;
        }

        /// <summary>The HTTP status code (200, 201, 204, ...).</summary>
        public int Status { get; }

        /// <summary>The response and content headers, looked up case-insensitively.</summary>
        public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

        /// <summary>The raw response body, or null when there was none.</summary>
        public string? Content { get; }

        /// <summary>Requests allowed in the current rate-limit window (<c>X-Ratelimit-Limit</c>), when sent.</summary>
        public int? RateLimitLimit { get; }

        /// <summary>Requests left in the current rate-limit window (<c>X-Ratelimit-Remaining</c>), when sent.</summary>
        public int? RateLimitRemaining { get; }

        /// <summary>When the rate-limit window resets (<c>X-Ratelimit-Reset</c>, Unix seconds), when sent.</summary>
        public DateTimeOffset? RateLimitResetsAt { get; }

        /// <summary>The server's request id (<c>X-Request-Id</c>), to quote to Aha! support, when sent.</summary>
        public string? RequestId => Header("X-Request-Id");

        /// <summary>The first value of a header, or null.</summary>
        /// <param name="name">The header name (case-insensitive).</param>
        /// <returns>The value, or null when the header is absent.</returns>
        public string? Header(string name) => Headers.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;

        private int? ReadInt(string name)
            => int.TryParse(Header(name), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : (int?)null;
    }

    /// <summary>The HTTP answer of a call together with its typed value (see <see cref="AhaResponse"/>).</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    public class AhaResponse<T> : AhaResponse
    {
        /// <summary>Creates a response (for tests and mocks; the client builds its own).</summary>
        /// <param name="value">The typed value.</param>
        /// <param name="status">The HTTP status code.</param>
        /// <param name="headers">The response and content headers.</param>
        /// <param name="content">The raw body.</param>
        public AhaResponse(T value, int status, IReadOnlyDictionary<string, IEnumerable<string>>? headers = null, string? content = null)
            : base(status, headers, content)
        {
            Value = value;
        }

        /// <summary>The typed value the plain method returns.</summary>
        public T Value { get; }
    }
}
