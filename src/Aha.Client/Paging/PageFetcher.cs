using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client
{
    /// <summary>One page as received, before de-duplication.</summary>
    internal sealed class FetchedPage<T>
    {
        public FetchedPage(IReadOnlyList<T> items, Pagination? pagination)
        {
            Items = items;
            Pagination = pagination;
        }

        public IReadOnlyList<T> Items { get; }

        public Pagination? Pagination { get; }
    }

    /// <summary>Fetches one page of a list and knows how to tell records apart.</summary>
    internal abstract class PageFetcher<T>
    {
        public abstract Task<FetchedPage<T>> FetchAsync(int page, int perPage, CancellationToken cancellationToken);

        /// <summary>The record's id, or <c>null</c> when records have none (no de-duplication then).</summary>
        public abstract string? IdOf(T item);

        public abstract bool HasIds { get; }

        /// <summary>Last step before records reach the caller (e.g. clearing an id that only the paging asked for).</summary>
        public virtual void PrepareForCaller(List<T> items)
        {
        }
    }

    internal sealed class DelegatePageFetcher<TResponse, TItem> : PageFetcher<TItem>
    {
        private readonly Func<int, int, CancellationToken, Task<TResponse>> _fetch;
        private readonly Func<TResponse, IEnumerable<TItem>?> _items;
        private readonly Func<TResponse, Pagination?> _pagination;
        private readonly Func<TItem, string?>? _id;
        private readonly Action<TItem>? _clearId;

        public DelegatePageFetcher(
            Func<int, int, CancellationToken, Task<TResponse>> fetch,
            Func<TResponse, IEnumerable<TItem>?> items,
            Func<TResponse, Pagination?> pagination,
            Func<TItem, string?>? id,
            Action<TItem>? clearId = null)
        {
            _fetch = fetch;
            _items = items;
            _pagination = pagination;
            _id = id;
            _clearId = clearId;
        }

        public override void PrepareForCaller(List<TItem> items)
        {
            if (_clearId is null)
            {
                return;
            }

            foreach (var item in items)
            {
                _clearId(item);
            }
        }

        public override bool HasIds => _id != null;

        public override async Task<FetchedPage<TItem>> FetchAsync(int page, int perPage, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var response = await _fetch(page, perPage, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                return new FetchedPage<TItem>(Array.Empty<TItem>(), null);
            }

            var items = _items(response);
            IReadOnlyList<TItem> list = items switch
            {
                null => Array.Empty<TItem>(),
                IReadOnlyList<TItem> ready => ready,
                _ => items.ToList(),
            };
            return new FetchedPage<TItem>(list, _pagination(response));
        }

        public override string? IdOf(TItem item) => item is null || _id is null ? null : _id(item);
    }
}
