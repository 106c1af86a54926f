using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.Client;
using Aha.Client.Serialization;
using Newtonsoft.Json.Linq;

namespace Aha.Cli.Resources
{
    /// <summary>
    /// One record as the commands see it, whatever its type: its JSON (the typed model written back with the client's
    /// own serializer settings, so attributes the model does not name are kept) and its typed custom fields.
    /// </summary>
    internal sealed class RecordView
    {
        private RecordView(JObject json, CustomFields? customFields)
        {
            Json = json;
            CustomFields = customFields;
        }

        public JObject Json { get; }

        /// <summary>The record's custom fields read through the client's accessors; null when the record has none.</summary>
        public CustomFields? CustomFields { get; }

        public string? Id => (string?)Json["id"];

        /// <summary>The id of the record's product (workspace), when the record carries it.</summary>
        public string? ProductId => (string?)Json["product_id"] ?? (string?)Json["project"]?["id"];

        /// <summary>How to name the record in a message: its reference number, else its name, else its id.</summary>
        public string Label => (string?)Json["reference_num"] ?? (string?)Json["name"] ?? Id ?? "(no id)";

        public static RecordView From<T>(T record, Func<T, CustomFields?> customFields)
            where T : class
        {
            if (record is null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            return new RecordView(JObject.FromObject(record, AhaJson.Serializer), customFields(record));
        }
    }

    /// <summary>One page of an export, with what the progress line needs.</summary>
    internal sealed class RecordPage
    {
        public RecordPage(IReadOnlyList<RecordView> records, int pageNumber, int totalPages, int? totalRecords)
        {
            Records = records;
            PageNumber = pageNumber;
            TotalPages = totalPages;
            TotalRecords = totalRecords;
        }

        public IReadOnlyList<RecordView> Records { get; }

        public int PageNumber { get; }

        public int TotalPages { get; }

        public int? TotalRecords { get; }
    }

    /// <summary>Every record of a list, page by page, through the client's paging helpers.</summary>
    internal interface IRecordStream
    {
        /// <summary>
        /// Whether the list is read with a cursor, one request after the other: its pages are groups of
        /// <c>perPage</c> records for the progress line, and the summary counts requests instead.
        /// </summary>
        bool IsCursor { get; }

        IAsyncEnumerable<RecordPage> ReadAsync(int perPage, int parallelism, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Adapts a cursor list (a generated <c>ListAll...Async</c> that returns <see cref="IAsyncEnumerable{T}"/>, such as
    /// the audits read with Aha!'s <c>after_id</c>) to <see cref="IRecordStream"/>. The library's scan delivers each record
    /// once, in id order, and fails rather than loop when the cursor does not advance; this only groups its records into
    /// pages of <c>perPage</c> for the progress line. A cursor gives the next request only with the previous answer, so
    /// more than one request at a time is refused.
    /// </summary>
    internal sealed class CursorRecordStream<T> : IRecordStream
        where T : class
    {
        private readonly Func<int, CancellationToken, IAsyncEnumerable<T>> _start;
        private readonly Func<T, CustomFields?> _customFields;
        private readonly string _resource;

        public CursorRecordStream(Func<int, CancellationToken, IAsyncEnumerable<T>> start, Func<T, CustomFields?> customFields, string resource)
        {
            _start = start;
            _customFields = customFields;
            _resource = resource;
        }

        public bool IsCursor => true;

        public async IAsyncEnumerable<RecordPage> ReadAsync(int perPage, int parallelism, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (parallelism > 1)
            {
                throw Errors.CliException.Usage(CursorParallelMessage(_resource, parallelism));
            }

            var pageNumber = 0;
            var records = new List<RecordView>(perPage);
            await using var items = _start(perPage, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await NextAsync(items).ConfigureAwait(false))
            {
                records.Add(RecordView.From(items.Current, _customFields));
                if (records.Count == perPage)
                {
                    pageNumber++;
                    yield return new RecordPage(records, pageNumber, pageNumber, null);
                    records = new List<RecordView>(perPage);
                }
            }

            if (records.Count > 0 || pageNumber == 0)
            {
                pageNumber++;
                yield return new RecordPage(records, pageNumber, pageNumber, null);
            }
        }

        /// <summary>
        /// The next record; the scan's own refusal to go on (Aha! answered a cursor that does not advance, so reading on
        /// would loop or repeat records) becomes a typed error of the tool: an unexpected answer from Aha!, exit 7.
        /// </summary>
        private async ValueTask<bool> NextAsync(IAsyncEnumerator<T> items)
        {
            try
            {
                return await items.MoveNextAsync().ConfigureAwait(false);
            }
            catch (AhaException error) when (error.GetType() == typeof(AhaException))
            {
                throw new Errors.CliException(ExitCodes.ServerError, $"unexpected answer from Aha! while reading {_resource}: {error.Message}", error);
            }
        }

        /// <summary>The usage error of <c>--parallel N</c> on a cursor list.</summary>
        internal static string CursorParallelMessage(string resource, int parallelism) =>
            $"{resource} are read with Aha!'s after_id cursor: each request needs the answer of the one before, so --parallel {parallelism} cannot be honoured; leave --parallel out (or give 1).";
    }

    /// <summary>Adapts a typed <see cref="AhaPageable{T}"/> (from a generated <c>ListAll...Async</c>) to <see cref="IRecordStream"/>.</summary>
    internal sealed class PageableRecordStream<T> : IRecordStream
        where T : class
    {
        private readonly AhaPageable<T> _pageable;
        private readonly Func<T, CustomFields?> _customFields;

        public PageableRecordStream(AhaPageable<T> pageable, Func<T, CustomFields?> customFields)
        {
            _pageable = pageable;
            _customFields = customFields;
        }

        public bool IsCursor => false;

        public async IAsyncEnumerable<RecordPage> ReadAsync(int perPage, int parallelism, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var pages = _pageable.WithPerPage(perPage).WithParallelism(parallelism).AsPages();
            await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var records = new List<RecordView>(page.Items.Count);
                foreach (var item in page.Items)
                {
                    records.Add(RecordView.From(item, _customFields));
                }

                yield return new RecordPage(records, page.PageNumber, page.TotalPages, page.TotalRecords);
            }
        }
    }
}
