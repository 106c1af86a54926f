using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Aha.Sandbox.Tests.Infrastructure
{
    /// <summary>Locates files of the repository (the spec) from the test assembly.</summary>
    internal static class Repo
    {
        public static string Root { get; } = FindRoot();

        public static string SpecPath => Path.Combine(Root, "openapi", "aha.yaml");

        private static string FindRoot()
        {
            var fromBuild = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
            if (!string.IsNullOrEmpty(fromBuild) && File.Exists(Path.Combine(fromBuild, "nswag.json")))
            {
                return fromBuild!;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "nswag.json")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
        }
    }
}
