using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Docs
{
    /// <summary>
    /// Documentation code that is compiled and run: a fenced block right after a <c>&lt;!-- snippet: FILE#REGION --&gt;</c>
    /// marker in README.md, docs/*.md or the package README (src/Aha.Client/PACKAGE.md) must equal, line for line
    /// (indentation of the region removed), the <c>#region REGION</c> of FILE. The regions live in the consumer sample,
    /// which build/consumer-check.sh builds and runs against the packed package, so a documented snippet cannot rot.
    /// <c>&lt;!-- snippet: install --&gt;</c> marks the install command, which the consumer check runs.
    /// <c>AHA_UPDATE_SNIPPETS=1</c> rewrites the Markdown blocks from the regions instead of failing.
    /// </summary>
    public class DocSnippetSyncTests
    {
        // A marker stands alone on its line (a marker quoted inside prose is not one).
        private static readonly Regex Marker = new(@"^[ \t]*<!--\s*snippet:\s*(?<target>[^\s]+)\s*-->[ \t]*$", RegexOptions.Compiled | RegexOptions.Multiline);

        private static IEnumerable<string> MarkdownFiles()
        {
            var files = new List<string> { Repo.PathOf("README.md"), Repo.PathOf("src", "Aha.Client", "PACKAGE.md") };
            files.AddRange(Directory.EnumerateFiles(Repo.PathOf("docs"), "*.md"));
            return files.Where(File.Exists);
        }

        public static IEnumerable<TestCaseData> Snippets()
        {
            foreach (var file in MarkdownFiles())
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var match = Marker.Match(lines[i]);
                    if (match.Success)
                    {
                        var relative = Path.GetRelativePath(Repo.Root, file).Replace('\\', '/');
                        yield return new TestCaseData(relative, i + 1, match.Groups["target"].Value).SetName($"{relative}:{i + 1} {match.Groups["target"].Value}");
                    }
                }
            }
        }

        [TestCaseSource(nameof(Snippets))]
        public void Snippet_matches_the_code_that_runs(string markdownFile, int line, string target)
        {
            if (Environment.GetEnvironmentVariable("AHA_UPDATE_SNIPPETS") == "1")
            {
                // Rewrite the blocks from the regions first; the checks below then verify the rewritten file. A rewritten
                // block above this marker may have moved it: find it again by its target.
                UpdateAll(Repo.PathOf(markdownFile.Split('/')));
                var rewritten = File.ReadAllLines(Repo.PathOf(markdownFile.Split('/')));
                if (line > rewritten.Length || Marker.Match(rewritten[line - 1]) is not { Success: true } m || m.Groups["target"].Value != target)
                {
                    line = Array.FindIndex(rewritten, l => Marker.Match(l) is { Success: true } x && x.Groups["target"].Value == target) + 1;
                    Assert.That(line, Is.GreaterThan(0), $"{markdownFile}: the marker for {target} is still there after the rewrite");
                }
            }

            var block = FencedBlockAfter(File.ReadAllLines(Repo.PathOf(markdownFile)), line, out var language);
            if (target == "install")
            {
                Assert.That(language, Is.EqualTo("shell"));
                Assert.That(block, Is.EqualTo(new[] { "dotnet add package Aha.Client" }), "the install command names the package id (build/consumer-check.sh runs it)");
                return;
            }

            Assert.That(language, Is.EqualTo("csharp"), $"{markdownFile}:{line}: a ```csharp block must follow the marker");
            var parts = target.Split('#');
            Assert.That(parts, Has.Length.EqualTo(2), "marker format: <!-- snippet: path/File.cs#region -->");
            var source = Repo.PathOf(parts[0].Split('/'));
            Assert.That(File.Exists(source), $"{parts[0]} exists");
            var region = Region(File.ReadAllLines(source), parts[1]);
            Assert.That(region, Is.Not.Null, $"{parts[0]} has #region {parts[1]}");

            Assert.That(string.Join("\n", block), Is.EqualTo(string.Join("\n", region!)),
                $"{markdownFile}:{line} differs from {target}. The block should be:\n```csharp\n{string.Join("\n", region!)}\n```");
        }

        [Test]
        public void The_package_readme_and_the_packaging_doc_show_the_quick_start_that_runs()
        {
            foreach (var file in new[] { "src/Aha.Client/PACKAGE.md", "docs/packaging.md" })
            {
                var text = File.ReadAllText(Repo.PathOf(file.Split('/')));
                foreach (var name in new[] { "install", "QuickStart.cs#usings", "QuickStart.cs#create-client", "QuickStart.cs#first-calls", "QuickStart.cs#add-client" })
                {
                    Assert.That(Marker.Matches(text).Cast<Match>().Any(m => m.Groups["target"].Value.EndsWith(name, StringComparison.Ordinal)), $"{file} has the {name} snippet");
                }
            }
        }

        [Test]
        public void The_region_reader_and_block_reader_agree_on_a_sample()
        {
            var source = new[] { "class C", "{", "    void M()", "    {", "        #region demo", "        var x = 1;", "", "            x++;", "        #endregion", "    }", "}" };
            Assert.That(Region(source, "demo"), Is.EqualTo(new[] { "var x = 1;", "", "    x++;" }));
            Assert.That(Region(source, "missing"), Is.Null);
            var markdown = new[] { "<!-- snippet: a.cs#demo -->", "```csharp", "var x = 1;", "", "    x++;", "```" };
            Assert.That(FencedBlockAfter(markdown, 1, out var language), Is.EqualTo(Region(source, "demo")));
            Assert.That(language, Is.EqualTo("csharp"));
        }

        /// <summary>Maintainer mode: rewrites every marked C# block of a Markdown file from its region.</summary>
        private static void UpdateAll(string path)
        {
            var lines = File.ReadAllLines(path).ToList();
            for (var i = 0; i < lines.Count; i++)
            {
                var match = Marker.Match(lines[i]);
                var parts = match.Success ? match.Groups["target"].Value.Split('#') : Array.Empty<string>();
                if (parts.Length != 2 || i + 1 >= lines.Count || !lines[i + 1].StartsWith("```", StringComparison.Ordinal))
                {
                    continue;
                }

                var region = Region(File.ReadAllLines(Repo.PathOf(parts[0].Split('/'))), parts[1]);
                var close = lines.FindIndex(i + 2, l => l.StartsWith("```", StringComparison.Ordinal));
                if (region == null || close < 0)
                {
                    continue;
                }

                lines.RemoveRange(i + 2, close - (i + 2));
                lines.InsertRange(i + 2, region);
            }

            File.WriteAllText(path, string.Join("\n", lines) + "\n");
        }

        /// <summary>The lines of the fenced block that starts on the line after <paramref name="markerLine"/> (1-based).</summary>
        private static List<string> FencedBlockAfter(string[] lines, int markerLine, out string language)
        {
            var open = markerLine;   // 0-based index of the line after the marker
            Assert.That(open < lines.Length && lines[open].StartsWith("```", StringComparison.Ordinal), $"line {markerLine + 1}: a fenced block must follow the marker directly");
            language = lines[open].Substring(3).Trim();
            var block = new List<string>();
            for (var i = open + 1; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("```", StringComparison.Ordinal))
                {
                    return block;
                }

                block.Add(lines[i].TrimEnd());
            }

            Assert.Fail($"line {markerLine + 1}: the fenced block is not closed");
            return block;
        }

        /// <summary>The lines between <c>#region name</c> and its <c>#endregion</c>, without their common indentation.</summary>
        private static List<string>? Region(string[] lines, string name)
        {
            var start = Array.FindIndex(lines, l => l.Trim() == "#region " + name);
            if (start < 0)
            {
                return null;
            }

            var body = new List<string>();
            for (var i = start + 1; i < lines.Length && lines[i].Trim() != "#endregion"; i++)
            {
                body.Add(lines[i].TrimEnd());
            }

            var indent = body.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return body.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart()).ToList();
        }
    }
}
