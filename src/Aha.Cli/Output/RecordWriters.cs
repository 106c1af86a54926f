using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Resources;

namespace Aha.Cli.Output
{
    /// <summary>The output formats of <c>aha export</c>.</summary>
    internal enum ExportFormat
    {
        Csv,
        Json,
        Ndjson,
    }

    /// <summary>Writes exported records in one format as they arrive.</summary>
    internal abstract class RecordWriter : IAsyncDisposable
    {
        protected RecordWriter(TextWriter target) => Target = target;

        /// <summary>Records written so far.</summary>
        public long Records { get; protected set; }

        protected TextWriter Target { get; }

        public static RecordWriter Create(ExportFormat format, TextWriter target, IReadOnlyList<string>? requestedFields) => format switch
        {
            ExportFormat.Json => new JsonArrayRecordWriter(target),
            ExportFormat.Ndjson => new NdjsonRecordWriter(target),
            _ => new CsvRecordWriter(target, requestedFields),
        };

        public abstract Task WriteAsync(RecordView record, CancellationToken cancellationToken);

        /// <summary>Writes what comes after the last record (the CSV rows, the closing bracket) and flushes.</summary>
        public abstract Task CompleteAsync(CancellationToken cancellationToken);

        /// <summary>What was written, for the summary line.</summary>
        public abstract string Describe();

        public virtual ValueTask DisposeAsync() => default;

        protected static string Json(RecordView record) => record.Json.ToString(Newtonsoft.Json.Formatting.None);
    }

    /// <summary>One JSON array, one record per line: valid JSON that can still be streamed.</summary>
    internal sealed class JsonArrayRecordWriter : RecordWriter
    {
        public JsonArrayRecordWriter(TextWriter target)
            : base(target)
        {
        }

        public override async Task WriteAsync(RecordView record, CancellationToken cancellationToken)
        {
            await Target.WriteAsync(Records == 0 ? "[\n" : ",\n").ConfigureAwait(false);
            await Target.WriteAsync(Json(record)).ConfigureAwait(false);
            Records++;
        }

        public override async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await Target.WriteAsync(Records == 0 ? "[]\n" : "\n]\n").ConfigureAwait(false);
            await Target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override string Describe() => "JSON";
    }

    /// <summary>Newline-delimited JSON: one record per line.</summary>
    internal sealed class NdjsonRecordWriter : RecordWriter
    {
        public NdjsonRecordWriter(TextWriter target)
            : base(target)
        {
        }

        public override async Task WriteAsync(RecordView record, CancellationToken cancellationToken)
        {
            await Target.WriteAsync(Json(record)).ConfigureAwait(false);
            await Target.WriteAsync('\n').ConfigureAwait(false);
            Records++;
        }

        public override Task CompleteAsync(CancellationToken cancellationToken) => Target.FlushAsync(cancellationToken);

        public override string Describe() => "NDJSON";
    }

    /// <summary>
    /// RFC 4180 CSV with custom fields flattened into <c>custom_fields.&lt;key&gt;</c> columns.
    /// </summary>
    /// <remarks>
    /// The header must name every column, but which custom fields exist is known only after the last record (Aha! has
    /// no endpoint listing field definitions). So rows are flattened as they arrive and spooled to a temporary file
    /// (memory stays flat however large the export), and the CSV is written at the end. Column order is stable, whatever
    /// the order or content of the records: the attributes asked for with <c>fields</c>, in that order (present even
    /// when empty); then any other attribute (id, reference number, name first, the rest by name); then the custom
    /// fields by key (ordinal order).
    /// </remarks>
    internal sealed class CsvRecordWriter : RecordWriter
    {
        private static readonly string[] Preferred = { "id", "reference_num", "reference_prefix", "name" };

        private readonly IReadOnlyList<string> _requested;
        private readonly HashSet<string> _attributes = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _customFields = new HashSet<string>(StringComparer.Ordinal);
        private readonly FileStream _spool;
        private readonly StreamWriter _spoolWriter;
        private int _columns;

        public CsvRecordWriter(TextWriter target, IReadOnlyList<string>? requestedFields)
            : base(target)
        {
            _requested = requestedFields ?? Array.Empty<string>();
            var path = Path.Combine(Path.GetTempPath(), "aha-export-" + Guid.NewGuid().ToString("N") + ".spool");
            _spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            _spoolWriter = new StreamWriter(_spool, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        }

        public override async Task WriteAsync(RecordView record, CancellationToken cancellationToken)
        {
            var cells = RecordFlattener.Flatten(record);
            foreach (var column in cells.Keys)
            {
                if (column.StartsWith(RecordFlattener.CustomFieldPrefix, StringComparison.Ordinal))
                {
                    _customFields.Add(column);
                }
                else
                {
                    _attributes.Add(column);
                }
            }

            await _spoolWriter.WriteLineAsync(JsonSerializer.Serialize(cells)).ConfigureAwait(false);
            Records++;
        }

        /// <summary>The columns in their final order (see the class remarks).</summary>
        public IReadOnlyList<string> Columns()
        {
            var columns = new List<string>();
            var added = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in _requested)
            {
                if (added.Add(name))
                {
                    columns.Add(name);
                }
            }

            foreach (var name in Preferred.Where(_attributes.Contains).Concat(_attributes.OrderBy(a => a, StringComparer.Ordinal)))
            {
                if (added.Add(name))
                {
                    columns.Add(name);
                }
            }

            columns.AddRange(_customFields.OrderBy(c => c, StringComparer.Ordinal));
            return columns;
        }

        public override async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await _spoolWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            var columns = Columns();
            _columns = columns.Count;
            await Target.WriteAsync(Csv.Row(columns)).ConfigureAwait(false);

            _spool.Position = 0;
            using var reader = new StreamReader(_spool, Encoding.UTF8, false, 64 * 1024, leaveOpen: true);
            var row = new string[columns.Count];
            string? line;
            while ((line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) != null)
            {
                var cells = JsonSerializer.Deserialize<Dictionary<string, string>>(line)!;
                for (var i = 0; i < columns.Count; i++)
                {
                    row[i] = cells.TryGetValue(columns[i], out var value) ? value : string.Empty;
                }

                await Target.WriteAsync(Csv.Row(row)).ConfigureAwait(false);
            }

            await Target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override string Describe() => $"CSV, {_columns} columns ({_customFields.Count} custom fields)";

        public override async ValueTask DisposeAsync()
        {
            await _spoolWriter.DisposeAsync().ConfigureAwait(false);
            await _spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>RFC 4180 escaping.</summary>
    internal static class Csv
    {
        /// <summary>One record line, ending in CRLF.</summary>
        public static string Row(IEnumerable<string> cells) => string.Join(",", cells.Select(Escape)) + "\r\n";

        /// <summary>
        /// Quotes a cell when it holds a comma, a quote, a line break, or leading/trailing spaces (which readers may
        /// trim); quotes inside are doubled.
        /// </summary>
        public static string Escape(string? cell)
        {
            if (string.IsNullOrEmpty(cell))
            {
                return string.Empty;
            }

            var needsQuotes = cell.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[cell.Length - 1]);
            return needsQuotes ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
        }
    }
}
