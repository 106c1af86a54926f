using System;
using System.IO;
using YamlDotNet.RepresentationModel;

namespace Aha.Packaging.Tests
{
    /// <summary>The spec's version, which the packages must carry.</summary>
    internal static class Spec
    {
        private static readonly Lazy<string> LazyVersion = new(ReadVersion);

        /// <summary><c>info.version</c> of <c>openapi/aha.yaml</c>, read with a YAML parser (the build reads it with a regex).</summary>
        public static string Version => LazyVersion.Value;

        private static string ReadVersion()
        {
            using var reader = new StreamReader(Repo.SpecPath);
            var yaml = new YamlStream();
            yaml.Load(reader);
            var info = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)[new YamlScalarNode("info")];
            return ((YamlScalarNode)info[new YamlScalarNode("version")]).Value!;
        }
    }
}
