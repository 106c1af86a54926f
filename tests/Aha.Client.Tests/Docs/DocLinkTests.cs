using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Aha.Client.Tests.Docs
{
    /// <summary>
    /// Every link of the README, CONTRIBUTING, docs/, openapi/ and the package READMEs resolves: a relative link names a
    /// file or folder of the repository, and an <c>#anchor</c> names a heading of the target (GitHub's slugs). Package
    /// READMEs are read on nuget.org, where relative links break, so they link to the repository on GitHub; those
    /// links are checked against the files here too.
    /// </summary>
    public class DocLinkTests
    {
        /// <summary>The repository's address on GitHub, as the package READMEs link to it.</summary>
        private const string GitHubRepository = "https://github.com/aha-dotnet/aha-client-dotnet/";

        private static readonly Regex InlineLink = new Regex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?<url>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)", RegexOptions.Compiled);
        private static readonly Regex ReferenceDefinition = new Regex(@"^\s{0,3}\[[^\]]+\]:\s*<?(?<url>\S+?)>?(?:\s+.*)?$", RegexOptions.Compiled | RegexOptions.Multiline);
        private static readonly Regex HtmlLink = new Regex(@"<a\s[^>]*href=""(?<url>[^""]+)""", RegexOptions.Compiled | RegexOptions.IgnoreCase);
        private static readonly Regex AutoLink = new Regex(@"<(?<url>https?://[^>\s]+)>", RegexOptions.Compiled);

        public static IEnumerable<TestCaseData> Documents()
        {
            foreach (var path in DocumentPaths())
            {
                yield return new TestCaseData(path).SetName("Links_resolve_in_" + path.Replace('/', '_').Replace('.', '_'));
            }
        }

        /// <summary>README.md, CONTRIBUTING.md, docs/*.md, openapi/*.md and each packable project's package README.</summary>
        internal static IReadOnlyList<string> DocumentPaths()
        {
            var root = Repo.Root;
            var paths = new List<string> { "README.md", "CONTRIBUTING.md" };
            paths.AddRange(Relative(Directory.GetFiles(Path.Combine(root, "docs"), "*.md")));
            paths.AddRange(Relative(Directory.GetFiles(Path.Combine(root, "openapi"), "*.md")));
            paths.AddRange(PackageReadmes().Select(p => p.Readme));
            return paths.Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList();
        }

        [Test]
        public void The_checked_documents_include_every_kind()
        {
            var paths = DocumentPaths();
            Assert.That(paths, Does.Contain("README.md").And.Contain("CONTRIBUTING.md").And.Contain("docs/cli.md").And.Contain("openapi/DECISIONS.md").And.Contain("src/Aha.Client/PACKAGE.md"));
        }

        [TestCaseSource(nameof(Documents))]
        public void Every_link_resolves(string document)
        {
            var broken = BrokenLinks(document);
            Assert.That(broken, Is.Empty, $"{document}: broken links:\n" + string.Join("\n", broken));
        }

        /// <summary>Each packable project ships its own package README: install, a short example, links.</summary>
        [Test]
        public void Every_packable_project_ships_a_package_readme_with_install_example_and_links()
        {
            var packages = PackageReadmes();
            Assert.That(packages.Select(p => p.Project), Is.SupersetOf(new[] { "Aha.Client", "Aha.Client.Redis", "Aha.Sandbox", "Aha.Client.Testing", "Aha.Cli" }));
            foreach (var (project, readme, packageId) in packages)
            {
                var text = File.ReadAllText(Repo.PathOf(readme.Split('/')));
                Assert.That(text, Does.Contain("dotnet add package " + packageId).Or.Contain("dotnet tool install -g " + packageId), $"{readme}: install command");
                Assert.That(text, Does.Contain("```csharp").Or.Contain("```shell"), $"{readme}: an example");
                Assert.That(text, Does.Contain(GitHubRepository), $"{readme}: links to the repository");
                Assert.That(text, Does.Not.Match(@"\]\((?!https?://|#)[^)]+\)"), $"{readme}: no relative links (they break on nuget.org)");
            }
        }

        [Test]
        public void The_checker_catches_a_missing_file_and_a_missing_anchor()
        {
            var folder = Path.Combine(Path.GetTempPath(), "aha-doclinks-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(Path.Combine(folder, "docs"));
            try
            {
                File.WriteAllText(Path.Combine(folder, "docs", "b.md"), "# Title\n\n## Rate limits (429) and `retries`\n\n## Rate limits (429) and `retries`\n");
                File.WriteAllText(Path.Combine(folder, "a.md"), string.Join("\n", new[]
                {
                    "[ok](docs/b.md) [ok](docs/b.md#title) [ok](docs/b.md#rate-limits-429-and-retries) [ok](docs/b.md#rate-limits-429-and-retries-1)",
                    "[ok](#top) [ok](docs/) [ok](https://example.com/x) <https://example.com/y>",
                    "[bad](docs/c.md) [bad](docs/b.md#nope) [bad](#nowhere)",
                    "```",
                    "[ignored](in/a/code/block.md)",
                    "```",
                    "# Top",
                }));

                var broken = BrokenLinks("a.md", folder);

                Assert.That(broken, Is.EquivalentTo(new[] { "docs/c.md (no such file)", "docs/b.md#nope (no such heading)", "#nowhere (no such heading)" }));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [TestCase("Rate limits, retries and errors", "rate-limits-retries-and-errors")]
        [TestCase("The `aha` command and the sandbox", "the-aha-command-and-the-sandbox")]
        [TestCase("Test your integration against the sandbox", "test-your-integration-against-the-sandbox")]
        [TestCase("Several processes, one budget", "several-processes-one-budget")]
        [TestCase("`aha export <resource>`", "aha-export-resource")]
        [TestCase("`aha set-field <resource> <id> key=value ...`", "aha-set-field-resource-id-keyvalue-")]
        [TestCase("Rate limits: the client and the sandbox agree", "rate-limits-the-client-and-the-sandbox-agree")]
        public void Slugs_follow_GitHub(string heading, string slug)
        {
            Assert.That(Slug(heading), Is.EqualTo(slug));
        }

        internal static List<string> BrokenLinks(string document, string? root = null)
        {
            root ??= Repo.Root;
            var path = Path.Combine(root, document);
            var text = WithoutCode(File.ReadAllText(path));
            var urls = InlineLink.Matches(text).Cast<Match>()
                .Concat(ReferenceDefinition.Matches(text).Cast<Match>())
                .Concat(HtmlLink.Matches(text).Cast<Match>())
                .Concat(AutoLink.Matches(text).Cast<Match>())
                .Select(m => m.Groups["url"].Value)
                .Distinct();

            var broken = new List<string>();
            foreach (var url in urls)
            {
                string target;
                if (url.StartsWith(GitHubRepository, StringComparison.Ordinal))
                {
                    var rest = Regex.Replace(url.Substring(GitHubRepository.Length), "^(blob|tree)/main/?", string.Empty);
                    if (rest.Length == url.Length - GitHubRepository.Length && rest.Length > 0)
                    {
                        continue; // issues, pulls, releases: not files
                    }

                    target = rest;
                }
                else if (Regex.IsMatch(url, "^[a-zA-Z][a-zA-Z0-9+.-]*:"))
                {
                    continue; // another site, mailto: the test runs without network
                }
                else
                {
                    var folder = Path.GetDirectoryName(document)!.Replace('\\', '/');
                    target = url.StartsWith("#", StringComparison.Ordinal) ? document + url : (folder.Length == 0 ? url : folder + "/" + url);
                }

                var hash = target.IndexOf('#');
                var file = Uri.UnescapeDataString(hash >= 0 ? target.Substring(0, hash) : target);
                var anchor = hash >= 0 ? target.Substring(hash + 1) : null;
                var full = Path.GetFullPath(Path.Combine(root, file.Length == 0 ? document : file));
                if (!File.Exists(full) && !Directory.Exists(full))
                {
                    broken.Add($"{url} (no such file)");
                    continue;
                }

                if (!string.IsNullOrEmpty(anchor) && full.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(File.ReadAllText(full)).Contains(anchor!))
                {
                    broken.Add($"{url} (no such heading)");
                }
            }

            return broken;
        }

        /// <summary>The anchors GitHub makes for a Markdown file's headings (duplicates get -1, -2, ...), plus explicit ids.</summary>
        internal static HashSet<string> Anchors(string markdown)
        {
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var line in WithoutFences(markdown).Split('\n'))
            {
                var heading = Regex.Match(line, @"^\s{0,3}#{1,6}\s+(?<text>.*?)\s*#*\s*$");
                if (heading.Success)
                {
                    var slug = Slug(heading.Groups["text"].Value);
                    var count = seen.TryGetValue(slug, out var n) ? n : 0;
                    seen[slug] = count + 1;
                    anchors.Add(count == 0 ? slug : $"{slug}-{count}");
                }

                foreach (Match id in Regex.Matches(line, @"<a\s+(?:name|id)=""(?<id>[^""]+)"""))
                {
                    anchors.Add(id.Groups["id"].Value);
                }
            }

            return anchors;
        }

        /// <summary>GitHub's heading slug: lower case, punctuation dropped (but hyphens and underscores kept), spaces to hyphens.</summary>
        internal static string Slug(string heading)
        {
            var text = Regex.Replace(heading, @"\[([^\]]*)\]\([^)]*\)", "$1"); // a link in a heading keeps its text
            var slug = new StringBuilder();
            foreach (var c in text.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c == '-' || c == '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            return slug.ToString();
        }

        /// <summary>The packable projects and their package README (PackagePath README.md), from the project files.</summary>
        internal static List<(string Project, string Readme, string PackageId)> PackageReadmes()
        {
            var result = new List<(string, string, string)>();
            foreach (var project in Directory.GetFiles(Path.Combine(Repo.Root, "src"), "*.csproj", SearchOption.AllDirectories))
            {
                var xml = File.ReadAllText(project);
                if (!Regex.IsMatch(xml, @"<IsPackable>\s*true\s*</IsPackable>"))
                {
                    continue;
                }

                var name = Path.GetFileNameWithoutExtension(project);
                var id = Regex.Match(xml, @"<PackageId>\s*([^<\s]+)\s*</PackageId>") is { Success: true } m ? m.Groups[1].Value : name;
                var packed = Regex.Match(xml, @"<None\s+Include=""(?<file>[^""]+)""[^>]*PackagePath=""README.md""");
                var readme = packed.Success
                    ? Path.GetRelativePath(Repo.Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, packed.Groups["file"].Value.Replace("$(RepoRoot)", Repo.Root + "/")))).Replace('\\', '/')
                    : $"src/{name}/PACKAGE.md (not packed as README.md)";
                result.Add((name, readme, id));
            }

            return result;
        }

        private static IEnumerable<string> Relative(IEnumerable<string> paths) => paths.Select(p => Path.GetRelativePath(Repo.Root, p).Replace('\\', '/'));

        /// <summary>The text without fenced code blocks and inline code, where a link is not a link.</summary>
        private static string WithoutCode(string markdown) => Regex.Replace(WithoutFences(markdown), "`[^`\n]+`", "code");

        private static string WithoutFences(string markdown)
            => Regex.Replace(markdown.Replace("\r\n", "\n"), @"^\s{0,3}(```|~~~).*?^\s{0,3}\1[^\n]*$", string.Empty, RegexOptions.Singleline | RegexOptions.Multiline);
    }
}
