using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client
{
    /// <summary>
    /// The paging loop behind <see cref="AhaPageable{T}"/>: decides which page to request next, keeps at most
    /// <c>maxDegreeOfParallelism</c> requests in flight (1 = one page ahead of the caller), yields pages in order,
    /// and copes with lists that change while they are paged.
    /// </summary>
    /// <remarks>
    /// Stopping rules, all evaluated on the page just received (never on the server's <c>current_page</c>, which a
    /// misbehaving server may repeat): no pagination (a single page); an empty page; <c>total_pages</c> &lt;= the page
    /// number (including <c>total_pages</c> = 0); a short page that completes <c>total_records</c>; <c>next_page</c> =
    /// null when <c>total_pages</c> is absent; and three pages in a row that bring no record not seen before.
    /// De-duplication remembers the ids of the last <see cref="RememberedPages"/> pages that brought new records, so
    /// memory stays flat however long the list is.
    /// The page number only grows and an empty page always stops, so the loop ends against any server that does not
    /// invent new records forever.
    /// </remarks>
    internal sealed class PagingEngine<T>
    {
        private const int MaxPagesWithoutNewRecords = 3;

        /// <summary>
        /// How many pages of ids the de-duplication remembers. Enough for records shifted by thousands of places while
        /// the list is paged (5,000 at per_page=200), yet constant: memory does not grow with the size of the export
        /// (a set of every id seen grew by ~90 bytes per record, 9 MB per 100,000 records; docs/benchmarks.md).
        /// </summary>
        internal const int RememberedPages = 25;

        private readonly PageFetcher<T> _fetcher;
        private readonly int _startPage;
        private readonly int _perPage;
        private readonly int _degree;

        public PagingEngine(PageFetcher<T> fetcher, int startPage, int perPage, int degree)
        {
            _fetcher = fetcher;
            _startPage = startPage;
            _perPage = perPage;
            _degree = degree;
        }

        public async IAsyncEnumerable<AhaPage<T>> RunAsync(CancellationToken ownerToken, [EnumeratorCancellation] CancellationToken callerToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ownerToken, callerToken);
            var token = linked.Token;
            var inFlight = new Dictionary<int, Task<FetchedPage<T>>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var remembered = new Queue<List<string>>();
            var page = _startPage;
            long recordsSoFar = (long)(_startPage - 1) * _perPage;
            int? previousTotalRecords = null;
            var pagesWithoutNewRecords = 0;
            try
            {
                while (true)
                {
                    token.ThrowIfCancellationRequested();
                    if (!inFlight.TryGetValue(page, out var pending))
                    {
                        pending = Start(page, token);
                    }

                    inFlight.Remove(page);
                    var fetched = await pending.ConfigureAwait(false);
                    var pagination = fetched.Pagination;
                    var items = new List<T>(fetched.Items.Count);
                    var added = new List<string>(fetched.Items.Count);

                    // Records deleted while paging shift later records onto pages already read: re-read those pages.
                    var totalRecords = Has(pagination, PaginationMembers.TotalRecords) ? pagination!.TotalRecords : (int?)null;
                    if (totalRecords is { } now && previousTotalRecords is { } before && now < before && page > _startPage && _fetcher.HasIds)
                    {
                        var size = EffectivePageSize(pagination);
                        var pagesBack = (int)Math.Min(page - _startPage, ((long)before - now + size - 1) / size);
                        for (var again = page - pagesBack; again < page; again++)
                        {
                            var reread = await _fetcher.FetchAsync(again, _perPage, token).ConfigureAwait(false);
                            AddUnseen(reread.Items, items, seen, added);
                        }

                        if (_degree > 1)
                        {
                            // With concurrent requests this page may predate the change: read it once more too.
                            var current = await _fetcher.FetchAsync(page, _perPage, token).ConfigureAwait(false);
                            AddUnseen(current.Items, items, seen, added);
                        }
                    }

                    AddUnseen(fetched.Items, items, seen, added);
                    Remember(added, remembered, seen);
                    pagesWithoutNewRecords = items.Count > 0 || fetched.Items.Count == 0 ? 0 : pagesWithoutNewRecords + 1;
                    if (totalRecords.HasValue)
                    {
                        previousTotalRecords = totalRecords;
                    }

                    recordsSoFar += fetched.Items.Count;
                    var hasNext = HasNextPage(fetched, page, recordsSoFar) && pagesWithoutNewRecords < MaxPagesWithoutNewRecords;
                    if (hasNext)
                    {
                        // Keep the window full: pages page+1 .. page+degree, never beyond the last page known.
                        var lastKnown = Has(pagination, PaginationMembers.TotalPages) ? pagination!.TotalPages : page + 1;
                        var horizon = Math.Min(lastKnown, page + _degree);
                        for (var ahead = page + 1; ahead <= horizon; ahead++)
                        {
                            if (!inFlight.ContainsKey(ahead))
                            {
                                inFlight[ahead] = Start(ahead, token);
                            }
                        }
                    }

                    yield return new AhaPage<T>(items, page, _perPage, pagination, hasNext ? page + 1 : (int?)null);
                    if (!hasNext)
                    {
                        yield break;
                    }

                    page++;
                }
            }
            finally
            {
                if (inFlight.Count > 0)
                {
                    // Pages fetched ahead that nobody will read: cancel them and observe their outcome.
                    linked.Cancel();
                    foreach (var abandoned in inFlight.Values)
                    {
                        try
                        {
                            await abandoned.ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // Cancelled or failed after the caller stopped reading: nothing to report.
                        }
                    }
                }
            }
        }

        private Task<FetchedPage<T>> Start(int page, CancellationToken token)
        {
            // Not awaited here: the request runs while the caller reads the current page (or, in parallel mode,
            // alongside the other requests of the window).
            return _fetcher.FetchAsync(page, _perPage, token);
        }

        // Forgets the ids of the oldest page once more than RememberedPages pages added ids.
        private static void Remember(List<string> added, Queue<List<string>> remembered, HashSet<string> seen)
        {
            if (added.Count == 0)
            {
                return;
            }

            remembered.Enqueue(added);
            while (remembered.Count > RememberedPages)
            {
                foreach (var id in remembered.Dequeue())
                {
                    seen.Remove(id);
                }
            }
        }

        private void AddUnseen(IReadOnlyList<T> source, List<T> target, HashSet<string> seen, List<string> added)
        {
            foreach (var item in source)
            {
                if (item is null)
                {
                    continue;
                }

                var id = _fetcher.IdOf(item);
                if (id is null)
                {
                    target.Add(item);
                }
                else if (seen.Add(id))
                {
                    target.Add(item);
                    added.Add(id);
                }
            }
        }

        private bool HasNextPage(FetchedPage<T> fetched, int page, long recordsSoFar)
        {
            var pagination = fetched.Pagination;
            if (pagination is null || fetched.Items.Count == 0)
            {
                return false;
            }

            if (Has(pagination, PaginationMembers.TotalPages))
            {
                if (pagination.TotalPages <= 0 || page >= pagination.TotalPages)
                {
                    return false;
                }
            }
            else if (Has(pagination, PaginationMembers.NextPage))
            {
                if (pagination.NextPage is not { } next || next <= page)
                {
                    return false;
                }
            }

            if (fetched.Items.Count < EffectivePageSize(pagination))
            {
                // A short page ends the list unless total_records says records are still to come (a server that
                // serves smaller pages than asked for).
                return Has(pagination, PaginationMembers.TotalRecords) && recordsSoFar < pagination.TotalRecords;
            }

            return Has(pagination, PaginationMembers.TotalPages) || Has(pagination, PaginationMembers.NextPage)
                || !Has(pagination, PaginationMembers.TotalRecords) || recordsSoFar < pagination.TotalRecords;
        }

        private int EffectivePageSize(Pagination? pagination)
            => pagination?.PerPage is { } served && served > 0 && served < _perPage ? served : _perPage;

        private static bool Has(Pagination? pagination, PaginationMembers member)
            => pagination != null && (pagination.Present & member) != 0;
    }
}
