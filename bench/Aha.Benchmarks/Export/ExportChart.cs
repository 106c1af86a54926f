namespace Aha.Benchmarks.Export
{
    internal static class ExportChart
    {
        public static void Save(System.Collections.Generic.IReadOnlyList<ExportResult> runs, string path, double scale)
        {
        }
    }
}
