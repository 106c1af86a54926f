using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Aha.Client.Tests.Contract;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Packaging
{
    /// <summary>
    /// The versioning rules of docs/packaging.md: one package version (SemVer, Directory.Build.props), one spec version
    /// (SemVer, info.version of openapi/aha.yaml) whose major is the Aha! API's major, and the spec version stamped into
    /// the assembly it was generated from, so a package always tells which description it was built from.
    /// </summary>
    public class VersioningTests
    {
        // SemVer 2.0.0, from semver.org.
        private static readonly Regex SemVer = new(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$");

        private static string VersionPrefix()
        {
            var props = File.ReadAllText(Repo.PathOf("Directory.Build.props"));
            var matches = Regex.Matches(props, "<VersionPrefix>([^<]*)</VersionPrefix>");
            Assert.That(matches, Has.Count.EqualTo(1), "the version is set in exactly one place");
            return matches[0].Groups[1].Value;
        }

        [Test]
        public void The_package_version_is_set_once_and_is_SemVer()
        {
            Assert.That(VersionPrefix(), Does.Match(SemVer));
            foreach (var project in Directory.EnumerateFiles(Repo.PathOf("src"), "*.csproj", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(project);
                Assert.That(text, Does.Not.Match("<(Version|VersionPrefix|PackageVersion|AssemblyVersion|FileVersion)>"), $"{project} does not set its own version");
            }
        }

        [Test]
        public void The_built_assembly_carries_the_package_version()
        {
            var informational = typeof(AhaClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            Assert.That(informational, Does.StartWith(VersionPrefix()));
            Assert.That(informational, Does.Match(SemVer), "informational version (with +commit when built from git) is SemVer");
        }

        [Test]
        public void The_spec_version_is_SemVer_and_its_major_is_the_Aha_API_major()
        {
            var info = Spec.Document.Info;
            Assert.That(info.Version, Does.Match(SemVer));
            var major = int.Parse(info.Version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(Spec.Document.Servers.Select(s => s.Url), Has.All.EndsWith("/api/v" + major), "info.version's major follows the /api/vN of the servers");
        }

        [Test]
        public void The_assembly_records_the_spec_version_it_was_generated_from()
        {
            var stamped = typeof(AhaClient).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "AhaOpenApiVersion")?.Value;
            Assert.That(stamped, Is.EqualTo(Spec.Document.Info.Version), "AssemblyMetadata(AhaOpenApiVersion) is read from openapi/aha.yaml at build time");
        }
    }
}
