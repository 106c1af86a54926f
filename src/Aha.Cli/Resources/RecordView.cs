using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
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
        IAsyncEnumerable<RecordPage> ReadAsync(int perPage, int parallelism, CancellationToken cancellationToken);
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
