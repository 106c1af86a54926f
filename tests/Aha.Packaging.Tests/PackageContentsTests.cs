using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Aha.Client.Tests.Packaging;

namespace Aha.Packaging.Tests
{
    /// <summary>
    /// Inspects the packed .nupkg/.snupkg files the way a reviewer would: nuspec metadata, dependencies, lib folders,
    /// XML docs, README, symbols. They need a package, so they run from build/consumer-check.sh, which packs one and sets
    /// AHA_PACKAGE_DIR and AHA_PACKAGE_VERSION; without them every test fails with that explanation (see <see cref="PackedPackages"/>).
    /// </summary>
    public class PackageContentsTests
    {
        private static readonly string[] ClientFrameworks = { "netstandard2.0", "net8.0" };

        // The direct dependencies docs/packaging.md justifies; anything else appearing is a decision to review.
        private static readonly string[] ClientDependencies = { "Microsoft.Extensions.Http.Resilience", "Newtonsoft.Json", "Polly.Core" };
        private static readonly string[] ClientNetStandardOnlyDependencies = { "Microsoft.Bcl.AsyncInterfaces", "System.ComponentModel.Annotations" };

        private string _directory = null!;
        private string _version = null!;

        [OneTimeSetUp]
        public void FindPackages()
        {
            // Fails (never ignores) every test of the fixture when the packages are not there: this project is only run
            // by build/consumer-check.sh, right after it packed them.
            (_directory, _version) = PackedPackages.Locate("Aha.Client", "Aha.Sandbox");
        }

        [Test]
        public void Client_nuspec_has_the_metadata_a_user_sees()
        {
            var m = Metadata("Aha.Client");
            Assert.Multiple(() =>
            {
                Assert.That(Value(m, "id"), Is.EqualTo("Aha.Client"));
                Assert.That(Value(m, "version"), Is.EqualTo(_version));
                Assert.That(Value(m, "authors"), Is.Not.Empty);
                Assert.That(Value(m, "description"), Does.Contain("Aha! REST API"));
                Assert.That(m.Element(m.Name.Namespace + "license")?.Attribute("type")?.Value, Is.EqualTo("expression"));
                Assert.That(Value(m, "license"), Is.EqualTo("MIT"));
                Assert.That(Value(m, "projectUrl"), Does.StartWith("https://"));
                Assert.That(Value(m, "readme"), Is.EqualTo("README.md"));
                Assert.That(Value(m, "tags"), Does.Contain("aha"));
                Assert.That(Value(m, "releaseNotes"), Does.Contain("info.version " + Spec.Version), "release notes name the spec version");
                var repository = m.Element(m.Name.Namespace + "repository");
                Assert.That(repository?.Attribute("type")?.Value, Is.EqualTo("git"));
                Assert.That(repository?.Attribute("url")?.Value, Does.StartWith("https://"), "the public URL, never the clone's local origin");
                Assert.That(repository?.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"));
            });
        }

        [Test]
        public void Client_dependencies_are_the_justified_minimum_and_never_build_tools()
        {
            var m = Metadata("Aha.Client");
            var groups = m.Descendants(m.Name.Namespace + "group").ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements().Select(d => d.Attribute("id")!.Value).OrderBy(x => x).ToList());
            Assert.That(groups.Keys, Is.EquivalentTo(new[] { ".NETStandard2.0", "net8.0" }));
            Assert.That(groups["net8.0"], Is.EqualTo(ClientDependencies));
            Assert.That(groups[".NETStandard2.0"], Is.EqualTo(ClientDependencies.Concat(ClientNetStandardOnlyDependencies).OrderBy(x => x).ToList()));
            var all = groups.Values.SelectMany(x => x).ToList();
            Assert.That(all, Has.None.StartsWith("NSwag").And.None.StartsWith("Microsoft.CodeAnalysis").And.None.StartsWith("Aha.Client.Generators").And.None.StartsWith("Microsoft.SourceLink"));
        }

        [Test]
        public void Client_package_holds_each_framework_with_its_docs_and_the_readme_and_nothing_else()
        {
            var entries = Entries("Aha.Client", "nupkg");
            var expected = ClientFrameworks.SelectMany(f => new[] { $"lib/{f}/Aha.Client.dll", $"lib/{f}/Aha.Client.xml" }).Append("README.md").Append("Aha.Client.nuspec");
            Assert.That(entries.Where(e => !IsPackagingPart(e)), Is.EquivalentTo(expected), "no analyzer, build asset, generator or tool inside");

            using var zip = ZipFile.OpenRead(PackagePath("Aha.Client", "nupkg"));
            using var reader = new StreamReader(zip.GetEntry("README.md")!.Open());
            Assert.That(reader.ReadToEnd().Replace("\r\n", "\n"), Is.EqualTo(File.ReadAllText(Repo.PathOf("src", "Aha.Client", "PACKAGE.md")).Replace("\r\n", "\n")));
        }

        [Test]
        public void Client_libraries_document_every_public_member()
        {
            using var extracted = Extract("Aha.Client", "nupkg");
            foreach (var framework in ClientFrameworks)
            {
                var dll = Path.Combine(extracted.Path, "lib", framework, "Aha.Client.dll");
                var missing = AssemblyInspection.UndocumentedPublicMembers(dll, Path.ChangeExtension(dll, ".xml"));
                Assert.That(missing, Is.Empty, $"{framework}: public members without XML docs:\n" + string.Join("\n", missing.Take(30)));
            }
        }

        [Test]
        public void Client_symbols_embed_every_source_and_come_from_a_deterministic_CI_build()
        {
            AssertSymbols("Aha.Client", ClientFrameworks, "AhaClient.g.cs");
        }

        [Test]
        public void Sandbox_package_has_its_metadata_and_only_its_own_dependencies()
        {
            var m = Metadata("Aha.Sandbox");
            Assert.That(Value(m, "id"), Is.EqualTo("Aha.Sandbox"));
            Assert.That(Value(m, "version"), Is.EqualTo(_version));
            Assert.That(Value(m, "license"), Is.EqualTo("MIT"));
            Assert.That(Value(m, "readme"), Is.EqualTo("README.md"));
            Assert.That(Value(m, "projectUrl"), Does.StartWith("https://"));
            Assert.That(Value(m, "releaseNotes"), Is.Not.Empty);
            var dependencies = m.Descendants(m.Name.Namespace + "dependency").Select(d => d.Attribute("id")!.Value).Distinct().ToList();
            Assert.That(dependencies, Is.EqualTo(new[] { "YamlDotNet" }), "the sandbox shares nothing with the client");
            var frameworks = m.Descendants(m.Name.Namespace + "frameworkReference").Select(f => f.Attribute("name")!.Value).Distinct().ToList();
            Assert.That(frameworks, Is.EqualTo(new[] { "Microsoft.AspNetCore.App" }));
            var entries = Entries("Aha.Sandbox", "nupkg");
            Assert.That(entries, Is.SupersetOf(new[] { "README.md", "lib/net8.0/Aha.Sandbox.dll", "lib/net8.0/Aha.Sandbox.xml" }));
            AssertSymbols("Aha.Sandbox", new[] { "net8.0" }, "AhaSandbox.cs");
        }

        private void AssertSymbols(string id, string[] frameworks, string someDocument)
        {
            Assert.That(Entries(id, "snupkg").Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)), Is.EquivalentTo(frameworks.Select(f => $"lib/{f}/{id}.pdb")));
            using var libs = Extract(id, "nupkg");
            using var symbols = Extract(id, "snupkg");
            foreach (var framework in frameworks)
            {
                var facts = AssemblyInspection.ReadPdb(Path.Combine(libs.Path, "lib", framework, id + ".dll"), Path.Combine(symbols.Path, "lib", framework, id + ".pdb"));
                Assert.That(facts.Reproducible, $"{framework}: deterministic");
                Assert.That(facts.Documents, Has.Some.EndsWith(someDocument));
                Assert.That(facts.DocumentsWithoutEmbeddedSource, Is.Empty, $"{framework}: every source embedded");
                Assert.That(facts.Documents, Has.All.StartWith("/_/"), $"{framework}: CI build (ContinuousIntegrationBuild): no machine paths in the PDB");
            }
        }

        private static bool IsPackagingPart(string entry) =>
            entry.StartsWith("_rels/", StringComparison.Ordinal) || entry.StartsWith("package/", StringComparison.Ordinal) || entry == "[Content_Types].xml";

        private string PackagePath(string id, string extension)
        {
            var path = Path.Combine(_directory, $"{id}.{_version}.{extension}");
            Assert.That(File.Exists(path), $"{path} exists");
            return path;
        }

        private List<string> Entries(string id, string extension)
        {
            using var zip = ZipFile.OpenRead(PackagePath(id, extension));
            return zip.Entries.Select(e => e.FullName).ToList();
        }

        private XElement Metadata(string id)
        {
            using var zip = ZipFile.OpenRead(PackagePath(id, "nupkg"));
            using var stream = zip.GetEntry(id + ".nuspec")!.Open();
            var nuspec = XDocument.Load(stream);
            return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
        }

        private static string? Value(XElement metadata, string name) => metadata.Element(metadata.Name.Namespace + name)?.Value;

        private TempDirectory Extract(string id, string extension)
        {
            var directory = new TempDirectory();
            ZipFile.ExtractToDirectory(PackagePath(id, extension), directory.Path);
            return directory;
        }

        private sealed class TempDirectory : IDisposable
        {
            public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aha-package-" + Guid.NewGuid().ToString("N").Substring(0, 8));

            public void Dispose()
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }
            }
        }
    }
}
