using System;
using System.IO;

namespace Aha.Benchmarks.Infrastructure
{
    /// <summary>Where the repository is (results and charts go to its docs/ folder).</summary>
    internal static class RepoPaths
    {
        public static string Root { get; } = Find();

        public static string Docs => Path.Combine(Root, "docs");

        public static string BenchProject => Path.Combine(Root, "bench", "Aha.Benchmarks");

        private static string Find()
        {
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "Aha.Generated.sln")))
                    {
                        return dir.FullName;
                    }
                }
            }

            return Environment.CurrentDirectory;
        }
    }
}
