using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Data
{
    /// <summary>
    /// The searches of older change history and the account's search tokens (see <see cref="SandboxHistoricalAuditOptions"/>).
    /// Callers hold the store's gate.
    /// </summary>
    internal sealed class HistoricalSearches
    {
        private readonly SandboxHistoricalAuditOptions _options;
        private readonly Dictionary<string, HistoricalSearch> _searches = new Dictionary<string, HistoricalSearch>(StringComparer.Ordinal);

        public HistoricalSearches(SandboxHistoricalAuditOptions options)
        {
            _options = options;
            TokensAvailable = options.TokensAvailable;
        }

        /// <summary>Tokens left, sent in <c>X-Historical-Tokens-Available</c>.</summary>
        public int TokensAvailable { get; private set; }

        public int ResultsPerPage => _options.ResultsPerPage;

        /// <summary>Tokens a search reserves when it starts.</summary>
        public int Reservation => _options.SearchReservation;

        /// <summary>Starts a search over <paramref name="found"/> (already filtered), reserving its tokens; false when too few are left.</summary>
        public bool TryStart(string id, IReadOnlyList<JsonObject> found, out HistoricalSearch search)
        {
            search = new HistoricalSearch(id, found, _options.PendingReads, _options.SearchReservation);
            if (TokensAvailable < _options.SearchReservation)
            {
                return false;
            }

            TokensAvailable -= _options.SearchReservation;
            _searches.Add(id, search);
            return true;
        }

        /// <summary>A search that is done and paid for from the start (the documented one of the spec's examples).</summary>
        public void AddFinished(string id, IReadOnlyList<JsonObject> found)
        {
            _searches[id] = new HistoricalSearch(id, found, 0, 0) { Settled = true };
        }

        public HistoricalSearch? Find(string id) => _searches.TryGetValue(id, out var search) ? search : null;

        /// <summary>
        /// A read of the first page: true while the search is still running (one pending read used up). Once done, the
        /// first such read settles the cost: one token plus one per audit found, at most the reservation; the rest comes back.
        /// </summary>
        public bool StillRunning(HistoricalSearch search)
        {
            if (search.PendingReads > 0)
            {
                search.PendingReads--;
                return true;
            }

            if (!search.Settled)
            {
                var cost = Math.Min(search.Reserved, 1 + search.Found.Count);
                TokensAvailable += search.Reserved - cost;
                search.Settled = true;
            }

            return false;
        }
    }

    /// <summary>One search: what it found when it started, and whether it still answers "running".</summary>
    internal sealed class HistoricalSearch
    {
        public HistoricalSearch(string id, IReadOnlyList<JsonObject> found, int pendingReads, int reserved)
        {
            Id = id;
            Found = found;
            PendingReads = pendingReads;
            Reserved = reserved;
        }

        public string Id { get; }

        public IReadOnlyList<JsonObject> Found { get; }

        public int PendingReads { get; set; }

        public int Reserved { get; }

        public bool Settled { get; set; }

        /// <summary>The token of page <paramref name="page"/> (0-based; page 0 is read without one).</summary>
        public string TokenOf(int page) => "page-" + page.ToString(CultureInfo.InvariantCulture) + "-of-" + Id;

        /// <summary>The page a token of this search names, or null when it is not one of this search's tokens.</summary>
        public int? PageOf(string token)
        {
            var suffix = "-of-" + Id;
            if (!token.StartsWith("page-", StringComparison.Ordinal) || !token.EndsWith(suffix, StringComparison.Ordinal))
            {
                return null;
            }

            var number = token.Substring("page-".Length, token.Length - "page-".Length - suffix.Length);
            return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : null;
        }
    }
}
