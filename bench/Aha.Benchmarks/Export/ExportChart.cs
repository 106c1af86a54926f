using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;

namespace Aha.Benchmarks.Export
{
    /// <summary>
    /// The picture of docs/benchmarks.md: requests sent in the last second (top) and in the last minute (bottom) over
    /// the export, one line per mode, with Aha!'s two limits as dashed lines. Drawn with ScottPlot from the send times
    /// that <see cref="RecordingHandler"/> logged.
    /// </summary>
    internal static class ExportChart
    {
        private static readonly Color[] Palette = { new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(148, 103, 189) };

        public static void Save(IReadOnlyList<ExportResult> runs, string path, double scale)
        {
            var end = runs.Max(r => r.Seconds) + 1;
            var unit = scale == 1.0 ? "s" : $"s, clock x{scale.ToString(CultureInfo.InvariantCulture)}";

            var multi = new Multiplot();
            multi.AddPlots(2);
            var perSecond = multi.GetPlot(0);
            var perMinute = multi.GetPlot(1);

            for (var i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                var color = Palette[i % Palette.Length];
                var label = string.Create(CultureInfo.InvariantCulture, $"{run.Mode}{(run.Parallelism > 1 ? $" (x{run.Parallelism})" : string.Empty)}: {run.Seconds:F1} s = {(double.IsNaN(run.Ratio) ? "n/a" : run.Ratio.ToString("F3", CultureInfo.InvariantCulture) + "x")} min, {run.ServerRateLimited} x 429");

                var (xs, ys) = RateLimitMath.SlidingCount(run.Log, 1.0, 0.01, end);
                var top = perSecond.Add.ScatterLine(xs, ys, color);
                top.LegendText = label;
                top.LineWidth = 1.5f;

                var (mx, my) = RateLimitMath.SlidingCount(run.Log, 60.0, 0.05, end);
                var bottom = perMinute.Add.ScatterLine(mx, my, color);
                bottom.LegendText = label;
                bottom.LineWidth = 2;
            }

            Limit(perSecond, RateLimitMath.PerSecond, "limit: 20 per second");
            Limit(perMinute, RateLimitMath.PerMinute, "limit: 300 per minute");
            var minimum = runs[0].MinimumSeconds;
            foreach (var plot in new[] { perSecond, perMinute })
            {
                var min = plot.Add.VerticalLine(minimum, 1, Colors.Gray, LinePattern.Dotted);
                min.LegendText = string.Create(CultureInfo.InvariantCulture, $"theoretical minimum: {minimum:F0} s");
                plot.Axes.SetLimitsX(0, end);
                plot.XLabel($"time since the export started ({unit})");
                plot.ShowLegend(Alignment.MiddleCenter);
            }

            perSecond.Axes.SetLimitsY(0, RateLimitMath.PerSecond * 1.3);
            perSecond.YLabel("requests in the last 1 s");
            perSecond.Title(string.Create(CultureInfo.InvariantCulture, $"Exporting {runs[0].ExpectedRecords:N0} features ({runs[0].Pages} pages of 200) from a server enforcing 20/s and 300/min"));
            perMinute.Axes.SetLimitsY(0, RateLimitMath.PerMinute * 1.15);
            perMinute.YLabel("requests in the last 60 s");

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            multi.SavePng(path, 1400, 1000);
        }

        private static void Limit(Plot plot, double value, string label)
        {
            var line = plot.Add.HorizontalLine(value, 2, Colors.Red, LinePattern.Dashed);
            line.LegendText = label;
        }
    }
}
