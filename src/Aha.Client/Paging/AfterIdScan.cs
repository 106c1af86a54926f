using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client
{
    /// <summary>
    /// Reads a list with Aha!'s <c>after_id</c> cursor instead of page numbers (the operations marked
    /// <c>x-aha-paging: after_id</c> in the spec, such as <c>GET /audits</c>): each request asks for the records after
    /// the highest id read so far, until none is left. Used by the generated <c>ListAll...Async</c> of those operations.
    /// </summary>
    internal static class AfterIdScan
    {
        /// <summary>The records after <paramref name="startAfter"/>, lowest id first, each once.</summary>
        /// <param name="fetch">One request: (after_id, page or null) → the answer.</param>
        /// <param name="items">The records of an answer.</param>
        /// <param name="totalPages">The answer's total page count, when it says.</param>
        /// <param name="id">A record's id (decimal digits).</param>
        /// <param name="startAfter">Where to start; null for the beginning.</param>
        /// <param name="cancellationToken">Stops the scan.</param>
        public static async IAsyncEnumerable<TItem> ReadAsync<TResponse, TItem>(
            Func<string?, int?, CancellationToken, Task<TResponse>> fetch,
            Func<TResponse, IEnumerable<TItem>?> items,
            Func<TResponse, int?> totalPages,
            Func<TItem, string?> id,
            string? startAfter,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var cursor = startAfter;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var response = await fetch(cursor, null, cancellationToken).ConfigureAwait(false);
                var list = items(response)?.ToList() ?? new List<TItem>();
                var pages = totalPages(response);
                if (pages > 1 && list.Count >= 2 && Compare(id(list[0]), id(list[list.Count - 1])) > 0)
                {
                    // Newest first: the oldest records after the cursor are on the last page.
                    response = await fetch(cursor, pages, cancellationToken).ConfigureAwait(false);
                    list = items(response)?.ToList() ?? new List<TItem>();
                }

                var highest = cursor;
                var ordered = list
                    .Select(item => (Item: item, Id: id(item)))
                    .Where(x => x.Id != null && AhaChangeCheckpoint.IsId(x.Id) && (cursor is null || AhaChangeCheckpoint.CompareIds(x.Id, cursor) > 0))
                    .OrderBy(x => x.Id!, Comparer<string>.Create(AhaChangeCheckpoint.CompareIds))
                    .ToList();
                foreach (var (item, itemId) in ordered)
                {
                    if (highest is null || AhaChangeCheckpoint.CompareIds(itemId!, highest) > 0)
                    {
                        highest = itemId;
                    }

                    if (seen.Add(itemId!))
                    {
                        yield return item;
                    }
                }

                var more = list.Count > 0 && (pages is null || pages > 1);
                if (!more)
                {
                    yield break;
                }

                if (highest == cursor)
                {
                    throw new AhaException("Aha! answered the after_id cursor with no newer record although it reported more: the scan stops rather than loop.", "GET", null, null);
                }

                cursor = highest;
            }
        }

        private static int Compare(string? left, string? right) =>
            left is null || right is null || !AhaChangeCheckpoint.IsId(left) || !AhaChangeCheckpoint.IsId(right) ? 0 : AhaChangeCheckpoint.CompareIds(left, right);
    }
}
