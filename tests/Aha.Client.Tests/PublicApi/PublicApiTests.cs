using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using Aha.Client.Tests.Infrastructure;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using PublicApiGenerator;

// The public surface is tracked once, in the test's net10.0 run (which loads the net8.0 build of Aha.Client, as every .NET 8+
// app does; the netstandard2.0 build must match it, which package validation checks on pack).
#if NET10_0_OR_GREATER
namespace Aha.Client.Tests.PublicApi
{
    /// <summary>
    /// Public API gate: the public surface of each packable project (Aha.Client with its generated clients and models,
    /// Aha.Sandbox, Aha.Client.Testing; Aha.Client.Redis has its own in its test project), rendered by
    /// PublicApiGenerator with the <c>Microsoft.*</c> namespaces included (where <c>AddAhaClient</c> lives), must equal
    /// the committed <c>&lt;Assembly&gt;.approved.txt</c>. A change therefore shows up as a reviewed diff of that file. On a
    /// mismatch the test prints the diff and writes <c>&lt;Assembly&gt;.received.txt</c> beside it. Approve a deliberate
    /// change with <c>AHA_APPROVE_PUBLIC_API=1 dotnet test tests/Aha.Client.Tests -f net10.0 --filter "FullyQualifiedName~PublicApi"</c>,
    /// then review and commit the diff. What counts as breaking: CONTRIBUTING.md.
    /// </summary>
    [TestFixture]
    public class PublicApiTests
    {
        private static readonly string Folder = Repo.PathOf("tests", "Aha.Client.Tests", "PublicApi");

        private static IEnumerable<TestCaseData> Assemblies()
        {
            yield return new TestCaseData(typeof(AhaClient).Assembly).SetArgDisplayNames("Aha.Client");
            yield return new TestCaseData(typeof(Aha.Sandbox.AhaSandbox).Assembly).SetArgDisplayNames("Aha.Sandbox");
            yield return new TestCaseData(typeof(Aha.Sandbox.AhaSandboxClientExtensions).Assembly).SetArgDisplayNames("Aha.Client.Testing");
        }

        [TestCaseSource(nameof(Assemblies))]
        public void Public_API_matches_the_approved_file(Assembly assembly)
        {
            var name = assembly.GetName().Name!;
            var approvedPath = Path.Combine(Folder, name + ".approved.txt");
            var receivedPath = Path.Combine(Folder, name + ".received.txt");
            var actual = Render(assembly);
            if (Environment.GetEnvironmentVariable("AHA_APPROVE_PUBLIC_API") == "1")
            {
                File.WriteAllText(approvedPath, actual);
                DeleteReceived(receivedPath);
                TestContext.Out.WriteLine($"AHA_APPROVE_PUBLIC_API=1: wrote {Path.GetRelativePath(Repo.Root, approvedPath)}; review and commit its diff.");
                return;
            }

            var approved = File.Exists(approvedPath) ? Normalise(File.ReadAllText(approvedPath)) : string.Empty;
            if (approved == actual)
            {
                DeleteReceived(receivedPath);
                return;
            }

            File.WriteAllText(receivedPath, actual);
            Assert.Fail(
                $"The public API of {name} changed ({Path.GetRelativePath(Repo.Root, approvedPath)} vs {Path.GetRelativePath(Repo.Root, receivedPath)}):{Environment.NewLine}" +
                Diff(approved, actual) + Environment.NewLine +
                "If the change is intended, approve it: AHA_APPROVE_PUBLIC_API=1 dotnet test tests/Aha.Client.Tests -f net10.0 --filter \"FullyQualifiedName~PublicApi\" " +
                "(a removed or renamed member is a breaking change: bump the major version, see CONTRIBUTING.md).");
        }

        [Test]
        public void The_rendering_covers_generated_and_hand_written_types_and_hides_the_plumbing()
        {
            var api = Render(typeof(AhaClient).Assembly);
            Assert.That(api, Does.Contain("public class AhaClient"), "hand-written entry point");
            Assert.That(api, Does.Contain("public class FeaturesClient"), "generated client");
            Assert.That(api, Does.Contain("public virtual System.Threading.Tasks.Task<Aha.Client.Feature> UpdateAsync(string id, Aha.Client.FeatureUpdate feature, Aha.Client.FeaturesUpdateOptions? options = null, System.Threading.CancellationToken cancellationToken = default)"), "generated operation signature");
            Assert.That(api, Does.Contain("public static Microsoft.Extensions.DependencyInjection.IHttpClientBuilder AddAhaClient("), "extension methods in Microsoft.* namespaces are tracked");
            Assert.That(api, Does.Not.Contain("GeneratedCode(\"NSwag\""), "tool versions are not part of the API");
            Assert.That(api, Does.Not.Contain("RestClient"), "the NSwag clients are internal plumbing");
            Assert.That(api, Does.Not.Contain("ReadResponseAsString").And.Not.Contain("ObjectResponseResult").And.Not.Contain("ReadObjectResponseAsync"), "NSwag helper members are not public");
            Assert.That(api, Does.Not.Contain("interface IFeaturesClient"), "clients are classes with virtual members, not interfaces");
        }

        internal static string Render(Assembly assembly)
        {
            var options = new ApiGeneratorOptions
            {
                IncludeAssemblyAttributes = false,
                // AddAhaClient and friends live in Microsoft.Extensions.DependencyInjection: they are our API too.
                AllowNamespacePrefixes = new[] { "Microsoft" },
                // Tool stamps change with every NSwag/NJsonSchema bump; they are not API.
                ExcludeAttributes = new[]
                {
                    "System.CodeDom.Compiler.GeneratedCodeAttribute",
                    "System.Diagnostics.DebuggerNonUserCodeAttribute",
                },
            };
            return Normalise(assembly.GeneratePublicApi(options));
        }

        private static string Normalise(string text) =>
            string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).TrimEnd() + "\n";

        private static void DeleteReceived(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        /// <summary>A unified-style diff of the changed lines with two lines of context, at most 300 lines.</summary>
        private static string Diff(string approved, string actual)
        {
            var lines = InlineDiffBuilder.Diff(approved, actual, ignoreWhiteSpace: false).Lines;
            var keep = new bool[lines.Count];
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].Type != ChangeType.Unchanged)
                {
                    for (var j = Math.Max(0, i - 2); j <= Math.Min(lines.Count - 1, i + 2); j++)
                    {
                        keep[j] = true;
                    }
                }
            }

            var sb = new StringBuilder();
            var written = 0;
            var gap = false;
            for (var i = 0; i < lines.Count && written < 300; i++)
            {
                if (!keep[i])
                {
                    gap = true;
                    continue;
                }

                if (gap)
                {
                    sb.AppendLine("@@");
                    gap = false;
                }

                var prefix = lines[i].Type switch { ChangeType.Inserted => "+ ", ChangeType.Deleted => "- ", _ => "  " };
                sb.AppendLine(prefix + lines[i].Text);
                written++;
            }

            var changed = lines.Count(l => l.Type != ChangeType.Unchanged);
            return $"{lines.Count(l => l.Type == ChangeType.Deleted)} line(s) removed, {lines.Count(l => l.Type == ChangeType.Inserted)} added{(changed > written ? " (diff truncated)" : string.Empty)}:{Environment.NewLine}{sb}";
        }
    }
}
#endif
