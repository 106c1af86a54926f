using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client
{
    /// <summary>
    /// All records of an Aha! list, fetched page by page as they are enumerated (in the style of Azure's
    /// <c>AsyncPageable&lt;T&gt;</c>). Returned by the generated <c>ListAll...Async</c> methods, e.g.
    /// <c>await foreach (var feature in aha.Features.ListAllAsync()) { ... }</c>.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>Requests <c>per_page=200</c> (the maximum) unless told otherwise, one request at a time
    /// (<see cref="WithParallelism"/> raises that, opt-in). The next page is requested as soon as the previous answer
    /// has arrived, while the caller is still busy with earlier records, but never more than 20 pages ahead of the
    /// caller, and beyond the first page (or the degree of parallelism) only while the answers waiting for the caller
    /// stay under about 1 MB; a caller that stops early leaves those pages unread (their requests are
    /// cancelled).</description></item>
    /// <item><description>A record that exists for the whole enumeration is yielded exactly once, in the server's
    /// order, whatever the pagination shape (object, one-element array, <c>meta.pagination</c>, none) and whatever is
    /// created or deleted meanwhile, sequentially and in parallel; a record deleted before its page is read may be
    /// absent; the enumeration always ends. Each page is checked to connect to the last record yielded (that record on
    /// the page, an unchanged <c>total_records</c>, or the pages before read again until it is found), so deletions
    /// never make a record skipped and creations never make one repeated. Not visible to any client of a page-numbered
    /// list: as many records created after the position as deleted before it between two requests.</description></item>
    /// <item><description>Without pagination, pages are read while they are full. Stops cleanly on an empty page, on
    /// <c>total_pages</c> = 0, and on a short last page. Record ids are needed for the promise: the generated wrappers
    /// add <c>id</c> to a <c>fields=</c> that lacks it and clear it before yielding; a pageable made by
    /// <see cref="AhaPageable.Create"/> without <c>selectId</c> cannot de-duplicate or connect pages.</description></item>
    /// <item><description>Every page goes through the client's own <see cref="System.Net.Http.HttpClient"/>, so the
    /// rate limiter and retry handlers of its pipeline apply to each request.</description></item>
    /// </list>
    /// </remarks>
    /// <typeparam name="T">The record type.</typeparam>
    public class AhaPageable<T> : IAsyncEnumerable<T>
    {
        private readonly PageFetcher<T>? _fetcher;
        private readonly CancellationToken _cancellationToken;

        /// <summary>For mocking frameworks only: a pageable with no pages.</summary>
        protected AhaPageable()
        {
            PerPage = AhaPageable.DefaultPerPage;
            MaxDegreeOfParallelism = 1;
        }

        internal AhaPageable(PageFetcher<T> fetcher, int perPage, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        {
            _fetcher = fetcher;
            PerPage = perPage;
            MaxDegreeOfParallelism = maxDegreeOfParallelism;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The page size requested for item-level enumeration (default 200, the maximum Aha! allows).</summary>
        public int PerPage { get; }

        /// <summary>How many page requests may be in flight at once (1 unless <see cref="WithParallelism"/> was used).</summary>
        public int MaxDegreeOfParallelism { get; }

        /// <summary>A copy of this pageable that requests <paramref name="perPage"/> records per page.</summary>
        /// <param name="perPage">1 to 200.</param>
        /// <returns>A new pageable; this one is unchanged.</returns>
        public virtual AhaPageable<T> WithPerPage(int perPage)
        {
            AhaPageable.ValidatePerPage(perPage, nameof(perPage));
            return new AhaPageable<T>(RequireFetcher(), perPage, MaxDegreeOfParallelism, _cancellationToken);
        }

        /// <summary>
        /// A copy of this pageable that, once the first page has revealed <c>total_pages</c>, fetches the following pages
        /// concurrently, at most <paramref name="maxDegreeOfParallelism"/> requests at a time, still yielding records in
        /// page order. The requests share the client's handler pipeline, so its rate limiter paces them.
        /// </summary>
        /// <param name="maxDegreeOfParallelism">1 (sequential) to <see cref="AhaPageable.MaxParallelism"/>.</param>
        /// <returns>A new pageable; this one is unchanged.</returns>
        public virtual AhaPageable<T> WithParallelism(int maxDegreeOfParallelism)
        {
            if (maxDegreeOfParallelism < 1 || maxDegreeOfParallelism > AhaPageable.MaxParallelism)
            {
                throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "The degree of parallelism must be between 1 and " + AhaPageable.MaxParallelism + ".");
            }

            return new AhaPageable<T>(RequireFetcher(), PerPage, maxDegreeOfParallelism, _cancellationToken);
        }

        /// <summary>
        /// The list page by page, each with its records, <c>current_page</c>, <c>total_pages</c> and
        /// <c>total_records</c>, for progress reports and for resuming later from <see cref="AhaPage{T}.NextPage"/>.
        /// </summary>
        /// <param name="startPage">The 1-based page to start from (default 1).</param>
        /// <param name="perPage">Records per page, 1 to 200 (default: <see cref="PerPage"/>).</param>
        /// <returns>The pages, fetched lazily as they are enumerated.</returns>
        public virtual IAsyncEnumerable<AhaPage<T>> AsPages(int? startPage = null, int? perPage = null)
        {
            var start = startPage ?? 1;
            if (start < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(startPage), start, "Pages are numbered from 1.");
            }

            var size = perPage ?? PerPage;
            AhaPageable.ValidatePerPage(size, nameof(perPage));
            return new PageSequence(this, start, size);
        }

        /// <summary>Enumerates every record of every page.</summary>
        /// <param name="cancellationToken">Cancels the enumeration, between pages and during a page request.</param>
        /// <returns>The enumerator.</returns>
        public virtual IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
            => EnumerateItemsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

        private async IAsyncEnumerable<T> EnumerateItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var page in RunAsync(1, PerPage, cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in page.Items)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _cancellationToken.ThrowIfCancellationRequested();
                    yield return item;
                }
            }
        }

        private PageFetcher<T> RequireFetcher() => _fetcher ?? throw new InvalidOperationException("This pageable was created for mocking and has no pages.");

        private IAsyncEnumerable<AhaPage<T>> RunAsync(int startPage, int perPage, CancellationToken cancellationToken)
        {
            if (_fetcher is null)
            {
                return EmptyAsync();
            }

            return new PagingEngine<T>(_fetcher, startPage, perPage, MaxDegreeOfParallelism).RunAsync(_cancellationToken, cancellationToken);
        }

        private static async IAsyncEnumerable<AhaPage<T>> EmptyAsync()
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield break;
        }

        private sealed class PageSequence : IAsyncEnumerable<AhaPage<T>>
        {
            private readonly AhaPageable<T> _owner;
            private readonly int _startPage;
            private readonly int _perPage;

            public PageSequence(AhaPageable<T> owner, int startPage, int perPage)
            {
                _owner = owner;
                _startPage = startPage;
                _perPage = perPage;
            }

            public IAsyncEnumerator<AhaPage<T>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
                => _owner.RunAsync(_startPage, _perPage, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
    }

    /// <summary>Factory and limits of <see cref="AhaPageable{T}"/>.</summary>
    public static class AhaPageable
    {
        /// <summary>The page size used unless told otherwise: 200, the maximum Aha! allows.</summary>
        public const int DefaultPerPage = 200;

        /// <summary>The largest page size Aha! allows.</summary>
        public const int MaxPerPage = 200;

        /// <summary>The largest degree of parallelism accepted by <see cref="AhaPageable{T}.WithParallelism"/> (Aha! allows 20 requests per second).</summary>
        public const int MaxParallelism = 20;

        /// <summary>
        /// Creates a pageable over any paginated list call. The generated <c>ListAll...Async</c> methods use it; it is
        /// public so that a call the generator does not know (a hand-written request) can be paged the same way.
        /// </summary>
        /// <typeparam name="TResponse">The list response type (e.g. <c>FeatureList</c>).</typeparam>
        /// <typeparam name="TItem">The record type (e.g. <c>Feature</c>).</typeparam>
        /// <param name="fetchPage">Fetches one page: (page, perPage, cancellationToken) → response.</param>
        /// <param name="selectItems">The records of a response (<c>null</c> counts as none).</param>
        /// <param name="selectPagination">The pagination of a response (see <see cref="Pagination.Find"/>); <c>null</c> means a single page.</param>
        /// <param name="selectId">The id of a record, used to never yield one twice; <c>null</c> when records have no id.</param>
        /// <param name="cancellationToken">Cancels every enumeration of the pageable.</param>
        /// <returns>The pageable; nothing is requested until it is enumerated.</returns>
        public static AhaPageable<TItem> Create<TResponse, TItem>(
            Func<int, int, CancellationToken, Task<TResponse>> fetchPage,
            Func<TResponse, IEnumerable<TItem>?> selectItems,
            Func<TResponse, Pagination?> selectPagination,
            Func<TItem, string?>? selectId = null,
            CancellationToken cancellationToken = default)
        {
            if (fetchPage is null)
            {
                throw new ArgumentNullException(nameof(fetchPage));
            }

            if (selectItems is null)
            {
                throw new ArgumentNullException(nameof(selectItems));
            }

            if (selectPagination is null)
            {
                throw new ArgumentNullException(nameof(selectPagination));
            }

            var fetcher = new DelegatePageFetcher<TResponse, TItem>(fetchPage, selectItems, selectPagination, selectId);
            return new AhaPageable<TItem>(fetcher, DefaultPerPage, 1, cancellationToken);
        }

        // The generated wrappers of lists with fields=: like Create, plus clearing the id that only paging asked for.
        internal static AhaPageable<TItem> CreateList<TResponse, TItem>(
            Func<int, int, CancellationToken, Task<TResponse>> fetchPage,
            Func<TResponse, IEnumerable<TItem>?> selectItems,
            Func<TResponse, Pagination?> selectPagination,
            Func<TItem, string?>? selectId,
            Action<TItem>? clearId,
            CancellationToken cancellationToken)
        {
            var fetcher = new DelegatePageFetcher<TResponse, TItem>(fetchPage, selectItems, selectPagination, selectId, clearId);
            return new AhaPageable<TItem>(fetcher, DefaultPerPage, 1, cancellationToken);
        }

        /// <summary>A pageable over pages already in memory (for tests and mocks of code that consumes pageables).</summary>
        /// <typeparam name="TItem">The record type.</typeparam>
        /// <param name="pages">The pages, in order; page <c>n</c> of the list is <c>pages[n - 1]</c>.</param>
        /// <param name="selectId">The id of a record, used to never yield one twice.</param>
        /// <returns>A pageable that serves those pages with an object <c>pagination</c>.</returns>
        public static AhaPageable<TItem> FromPages<TItem>(IReadOnlyList<IReadOnlyList<TItem>> pages, Func<TItem, string?>? selectId = null)
        {
            if (pages is null)
            {
                throw new ArgumentNullException(nameof(pages));
            }

            var total = pages.Sum(p => p.Count);
            return Create<(IReadOnlyList<TItem> Items, Pagination Pagination), TItem>(
                (page, perPage, ct) =>
                {
                    ct.ThrowIfCancellationRequested();
                    var items = page <= pages.Count ? pages[page - 1] : Array.Empty<TItem>();
                    var pagination = new Pagination
                    {
                        CurrentPage = page,
                        TotalPages = pages.Count,
                        TotalRecords = total,
                        Present = PaginationMembers.CurrentPage | PaginationMembers.TotalPages | PaginationMembers.TotalRecords,
                    };
                    return Task.FromResult((items, pagination));
                },
                r => r.Items,
                r => r.Pagination,
                selectId);
        }

        internal static void ValidatePerPage(int perPage, string parameterName)
        {
            if (perPage < 1 || perPage > MaxPerPage)
            {
                throw new ArgumentOutOfRangeException(parameterName, perPage, "Aha! accepts 1 to " + MaxPerPage + " records per page.");
            }
        }
    }
}
