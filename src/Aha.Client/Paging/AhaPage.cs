using System;
using System.Collections.Generic;
using System.Globalization;

namespace Aha.Client
{
    /// <summary>
    /// One page of an Aha! list, as given by <see cref="AhaPageable{T}.AsPages(int?, int?)"/>: its records and where it
    /// stands in the list, so a caller can report progress and resume from <see cref="NextPage"/> later.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    public sealed class AhaPage<T>
    {
        /// <summary>Creates a page (public so that tests and mocks can build pages).</summary>
        /// <param name="items">The records of the page.</param>
        /// <param name="pageNumber">The 1-based page number that was requested.</param>
        /// <param name="perPage">The page size that was requested.</param>
        /// <param name="pagination">The pagination the server sent, or <c>null</c> when it sent none.</param>
        /// <param name="nextPage">The page to request next, or <c>null</c> when this is the last page.</param>
        public AhaPage(IReadOnlyList<T> items, int pageNumber, int perPage, Pagination? pagination, int? nextPage)
        {
            Items = items ?? throw new ArgumentNullException(nameof(items));
            PageNumber = pageNumber;
            PerPage = perPage;
            Pagination = pagination;
            NextPage = nextPage;
        }

        /// <summary>
        /// The records yielded for this page, in server order: the continuation of the records given before, up to the
        /// end of this page. Records already given (the list grew while it was paged) are left out, and records that
        /// deletions moved onto an earlier page are found again and included, so a record id appears at most once per
        /// enumeration and none present throughout is skipped.
        /// </summary>
        public IReadOnlyList<T> Items { get; }

        /// <summary>The 1-based page number that was requested.</summary>
        public int PageNumber { get; }

        /// <summary>The page size that was requested (<c>per_page</c>).</summary>
        public int PerPage { get; }

        /// <summary>The pagination as the server sent it (any of its shapes), or <c>null</c> for an unpaginated list.</summary>
        public Pagination? Pagination { get; }

        /// <summary>The server's <c>current_page</c>, or <see cref="PageNumber"/> when it sent none.</summary>
        public int CurrentPage => Pagination != null && (Pagination.Present & PaginationMembers.CurrentPage) != 0 ? Pagination.CurrentPage : PageNumber;

        /// <summary>
        /// The server's <c>total_pages</c> (0 for an empty list). An unpaginated list is one page, so this is then
        /// <see cref="PageNumber"/>.
        /// </summary>
        public int TotalPages => Pagination != null && (Pagination.Present & PaginationMembers.TotalPages) != 0 ? Pagination.TotalPages : PageNumber;

        /// <summary>The server's <c>total_records</c>, or <c>null</c> when it did not say.</summary>
        public int? TotalRecords => Pagination != null && (Pagination.Present & PaginationMembers.TotalRecords) != 0 ? Pagination.TotalRecords : (int?)null;

        /// <summary>
        /// The page number to pass as <c>startPage</c> to continue after this page, or <c>null</c> when this page is the
        /// last one.
        /// </summary>
        public int? NextPage { get; }

        /// <summary>Whether this is the last page of the enumeration.</summary>
        public bool IsLastPage => NextPage is null;

        /// <inheritdoc />
        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "page {0} of {1}: {2} records{3}",
            CurrentPage,
            TotalPages,
            Items.Count,
            TotalRecords is { } total ? " (" + total.ToString(CultureInfo.InvariantCulture) + " in all)" : string.Empty);
    }
}
