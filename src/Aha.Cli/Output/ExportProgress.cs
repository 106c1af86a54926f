using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Aha.Cli.Connection;
using Aha.Cli.Resources;
using Spectre.Console;

namespace Aha.Cli.Output
{
    /// <summary>
    /// Progress of an export on stderr: records, pages and rate-limit waits. On a terminal, a live progress bar
    /// (Spectre.Console: bar, percentage, elapsed and remaining time); otherwise (a log, a pipe, a test, or with
    /// <c>--verbose</c>, whose lines would tear a live display) a plain line at most every two seconds. Stdout carries
    /// only records.
    /// </summary>
    internal sealed class ExportProgress
    {
        private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(2);

        private readonly TextWriter _error;
        private readonly bool _bar;
        private readonly bool _quiet;
        private readonly string _resource;
        private readonly ClientEvents _events;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan? _lastLine;

        public ExportProgress(CliContext context, bool quiet, bool verbose, string resource, ClientEvents events)
        {
            _error = context.Error;
            _quiet = quiet;
            _bar = context.ErrorIsTerminal && !quiet && !verbose;
            _resource = resource;
            _events = events;
        }

        public long Records { get; private set; }

        public int Pages { get; private set; }

        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>Whether progress is drawn as a live bar (a terminal) rather than printed as lines.</summary>
        public bool ShowsBar => _bar;

        /// <summary>
        /// Runs <paramref name="body"/>, which reports each page it has written to the callback it is given, under
        /// the progress display.
        /// </summary>
        public async Task RunAsync(Func<Action<RecordPage>, Task> body)
        {
            if (!_bar)
            {
                await body(OnPageLine).ConfigureAwait(false);
                return;
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(_error),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Yes,
            });
            // Short columns that fit an 80-column terminal; the counts get more words where there is room.
            var wide = console.Profile.Width >= 120;
            var details = new DetailsColumn();
            var columns = new List<ProgressColumn>
            {
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = wide ? 30 : 20 },
                new PercentageColumn(),
                new ElapsedTimeColumn(),
            };
            if (wide)
            {
                columns.Add(new RemainingTimeColumn());
            }

            columns.Add(details);
            await console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(columns.ToArray())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(_resource), autoStart: true, maxValue: 1);
                    task.IsIndeterminate = true;
                    await body(page =>
                    {
                        Count(page);
                        task.IsIndeterminate = false;
                        task.MaxValue = Math.Max(1, Math.Max(page.TotalRecords ?? 0, Records));
                        task.Value = Records;
                        details.Text = wide ? Describe(page) : Compact(page);
                    }).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    task.StopTask();
                }).ConfigureAwait(false);
        }

        /// <summary>"1,200/3,009 · page 24/61 · waits 3": what fits beside the bar on an 80-column terminal.</summary>
        internal string Compact(RecordPage page)
        {
            var records = page.TotalRecords is { } t ? string.Format(CultureInfo.InvariantCulture, "{0:N0}/{1:N0}", Records, Math.Max(t, Records)) : Records.ToString("N0", CultureInfo.InvariantCulture);
            var text = string.Format(CultureInfo.InvariantCulture, "{0} · page {1}/{2} · waits {3}", records, page.PageNumber, Math.Max(page.TotalPages, page.PageNumber), _events.RateLimitWaits);
            return _events.RateLimitedResponses > 0 ? text + string.Format(CultureInfo.InvariantCulture, " · 429s {0}", _events.RateLimitedResponses) : text;
        }

        /// <summary>"3,009 of 3,009 features · page 16/16 · rate-limit waits: 0 (0.0 s)".</summary>
        internal string Describe(RecordPage page)
        {
            var total = page.TotalRecords is { } t ? string.Format(CultureInfo.InvariantCulture, "{0:N0} of {1:N0}", Records, Math.Max(t, Records)) : Records.ToString("N0", CultureInfo.InvariantCulture);
            return string.Format(CultureInfo.InvariantCulture, "{0} {1} · page {2}/{3} · {4}", total, _resource, page.PageNumber, Math.Max(page.TotalPages, page.PageNumber), _events.Describe());
        }

        private void Count(RecordPage page)
        {
            Records += page.Records.Count;
            Pages++;
        }

        private void OnPageLine(RecordPage page)
        {
            Count(page);
            if (_quiet)
            {
                return;
            }

            if (_lastLine is null || _clock.Elapsed - _lastLine.Value >= LogInterval)
            {
                _lastLine = _clock.Elapsed;
                _error.WriteLine("aha export: " + Describe(page));
                _error.Flush();
            }
        }
    }

    /// <summary>A progress column with the export's counts, cut with an ellipsis rather than wrapped.</summary>
    internal sealed class DetailsColumn : ProgressColumn
    {
        public string Text { get; set; } = string.Empty;

        protected override bool NoWrap => true;

        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime)
            => new Text(Text).Overflow(Overflow.Ellipsis);
    }
}
