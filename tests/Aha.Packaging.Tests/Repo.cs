using System;
using System.IO;
using System.Linq;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace Aha.Packaging.Tests
{
    /// <summary>Files of the repository the packages are compared with (the package README, the spec's version).</summary>
    internal static class Repo
    {
        private static readonly Lazy<string> LazySpecVersion = new(ReadSpecVersion);

        public static string Root { get; } = FindRoot();

        public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

        /// <summary><c>info.version</c> of <c>openapi/aha.yaml</c>, read with a YAML parser (the build reads it with a regex).</summary>
        public static string SpecVersion => LazySpecVersion.Value;

        private static string ReadSpecVersion()
        {
            using var reader = new StreamReader(PathOf("openapi", "aha.yaml"));
            var yaml = new YamlStream();
            yaml.Load(reader);
            var info = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)[new YamlScalarNode("info")];
            return ((YamlScalarNode)info[new YamlScalarNode("version")]).Value!;
        }

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
