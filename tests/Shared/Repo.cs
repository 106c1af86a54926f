using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Aha.Tests.Shared
{
    /// <summary>
    /// Locates files of the repository (the spec, fixtures) from a test assembly: the <c>RepoRoot</c> assembly metadata
    /// the test project writes, else the first parent folder with nswag.json. One file, linked into every test project
    /// that needs it (Aha.Client.Tests, Aha.Sandbox.Tests, Aha.Packaging.Tests).
    /// </summary>
    internal static class Repo
    {
        public static string Root { get; } = FindRoot();

        public static string SpecPath => Path.Combine(Root, "openapi", "aha.yaml");

        public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

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

            throw new InvalidOperationException("Cannot find the repository root (a folder with nswag.json) from " + AppContext.BaseDirectory);
        }
    }
}
