using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Aha.Cli.Connection;
using Aha.Cli.Resources;

namespace Aha.Cli.Output
{
    /// <summary>
    /// Progress of an export on stderr: records, pages and rate-limit waits. On a terminal one line is redrawn with a
    /// bar; otherwise (a log, a pipe, a test) a plain line is printed at most every two seconds. Stdout carries only
    /// records.
    /// </summary>
    internal sealed class ExportProgress
    {
        private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(2);

        private readonly TextWriter _error;
        private readonly bool _terminal;
        private readonly bool _quiet;
        private readonly string _resource;
        private readonly ClientEvents _events;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan? _lastLine;
        private int _drawnLength;

        public ExportProgress(TextWriter error, bool terminal, bool quiet, string resource, ClientEvents events)
        {
            _error = error;
            _terminal = terminal;
            _quiet = quiet;
            _resource = resource;
            _events = events;
        }

        public long Records { get; private set; }

        public int Pages { get; private set; }

        public TimeSpan Elapsed => _clock.Elapsed;

        public void OnPage(RecordPage page)
        {
            Records += page.Records.Count;
            Pages++;
            if (_quiet)
            {
                return;
            }

            var total = page.TotalRecords is { } t ? string.Format(CultureInfo.InvariantCulture, "{0:N0} of {1:N0}", Records, Math.Max(t, Records)) : Records.ToString("N0", CultureInfo.InvariantCulture);
            var text = string.Format(CultureInfo.InvariantCulture, "{0} {1} · page {2}/{3} · {4}", total, _resource, page.PageNumber, Math.Max(page.TotalPages, page.PageNumber), _events.Describe());
            if (_terminal)
            {
                var fraction = page.TotalRecords is { } all && all > 0 ? Math.Min(1.0, Records / (double)all) : page.PageNumber / (double)Math.Max(1, page.TotalPages);
                var filled = (int)Math.Round(fraction * 24);
                var line = "\r[" + new string('#', filled) + new string('-', 24 - filled) + "] " + text;
                _error.Write(line.PadRight(_drawnLength));
                _drawnLength = line.Length;
                _error.Flush();
            }
            else if (_lastLine is null || _clock.Elapsed - _lastLine.Value >= LogInterval)
            {
                _lastLine = _clock.Elapsed;
                _error.WriteLine("aha export: " + text);
                _error.Flush();
            }
        }

        /// <summary>Ends the progress display (the summary line is the caller's).</summary>
        public void Finish()
        {
            if (_terminal && !_quiet && _drawnLength > 0)
            {
                _error.WriteLine();
                _error.Flush();
            }
        }
    }
}
