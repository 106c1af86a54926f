using System;
using System.IO;
using System.Linq;
using System.Text;
using Aha.Client.Tests.Infrastructure;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using PublicApiGenerator;

// The public surface is tracked for the net10.0 build of Aha.Client (the test's net10.0 run references it).
#if NET10_0_OR_GREATER
namespace Aha.Client.Tests.PublicApi
{
    /// <summary>
    /// Public API gate: the public surface of Aha.Client (generated clients and models included), rendered by
    /// PublicApiGenerator, must equal the committed <c>Aha.Client.approved.txt</c>. A regeneration that renames or
    /// removes a public member therefore shows up as a reviewed diff of that file. On a mismatch the test prints the
    /// diff and writes <c>Aha.Client.received.txt</c> beside it. Approve a deliberate change with
    /// <c>AHA_APPROVE_PUBLIC_API=1 dotnet test tests/Aha.Client.Tests -f net10.0 --filter "FullyQualifiedName~PublicApi"</c>
    /// (or copy the received file over the approved one), then review and commit the diff.
    /// </summary>
    [TestFixture]
    public class PublicApiTests
    {
        private static readonly string Folder = Repo.PathOf("tests", "Aha.Client.Tests", "PublicApi");
        private static readonly string Approved = Path.Combine(Folder, "Aha.Client.approved.txt");
        private static readonly string Received = Path.Combine(Folder, "Aha.Client.received.txt");

        [Test]
        public void Public_API_of_Aha_Client_matches_the_approved_file()
        {
            var actual = Render();
            if (Environment.GetEnvironmentVariable("AHA_APPROVE_PUBLIC_API") == "1")
            {
                File.WriteAllText(Approved, actual);
                DeleteReceived();
                TestContext.Out.WriteLine($"AHA_APPROVE_PUBLIC_API=1: wrote {Path.GetRelativePath(Repo.Root, Approved)}; review and commit its diff.");
                return;
            }

            var approved = File.Exists(Approved) ? Normalise(File.ReadAllText(Approved)) : string.Empty;
            if (approved == actual)
            {
                DeleteReceived();
                return;
            }

            File.WriteAllText(Received, actual);
            Assert.Fail(
                $"The public API of Aha.Client changed ({Path.GetRelativePath(Repo.Root, Approved)} vs {Path.GetRelativePath(Repo.Root, Received)}):{Environment.NewLine}" +
                Diff(approved, actual) + Environment.NewLine +
                "If the change is intended, approve it: AHA_APPROVE_PUBLIC_API=1 dotnet test tests/Aha.Client.Tests -f net10.0 --filter \"FullyQualifiedName~PublicApi\" " +
                "(a removed or renamed member is a breaking change: bump the major version, see CONTRIBUTING.md).");
        }

        [Test]
        public void The_rendering_covers_generated_and_hand_written_types()
        {
            var api = Render();
            Assert.That(api, Does.Contain("public class AhaClient"), "hand-written entry point");
            Assert.That(api, Does.Contain("public class FeaturesClient : Aha.Client.IFeaturesClient"), "generated client");
            Assert.That(api, Does.Contain("UpdateAsync(string id, Aha.Client.FeatureUpdateRequest body"), "generated operation signature");
            Assert.That(api, Does.Not.Contain("GeneratedCode(\"NSwag\""), "tool versions are not part of the API");
        }

        internal static string Render()
        {
            var options = new ApiGeneratorOptions
            {
                IncludeAssemblyAttributes = false,
                // Tool stamps change with every NSwag/NJsonSchema bump; they are not API.
                ExcludeAttributes = new[]
                {
                    "System.CodeDom.Compiler.GeneratedCodeAttribute",
                    "System.Diagnostics.DebuggerNonUserCodeAttribute",
                },
            };
            return Normalise(typeof(AhaClient).Assembly.GeneratePublicApi(options));
        }

        private static string Normalise(string text) =>
            string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).TrimEnd() + "\n";

        private static void DeleteReceived()
        {
            if (File.Exists(Received))
            {
                File.Delete(Received);
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
