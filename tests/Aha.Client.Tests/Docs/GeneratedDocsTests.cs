using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Aha.Client.Tests.Packaging;
using Microsoft.CodeAnalysis;

namespace Aha.Client.Tests.Docs
{
    /// <summary>
    /// The XML docs a user of Aha.Client reads in IntelliSense (the <c>Aha.Client.xml</c> shipped next to the assembly)
    /// are written for them: no raw markdown from the spec (the build converts it to XML doc markup), no notes about how
    /// the spec was written (those live in <c>x-decision</c> members of openapi/aha.yaml), no "The <c>x</c> attribute."
    /// filler, no empty summary and no undescribed parameter. Only the public surface (public and protected members of
    /// public types) is checked: that is what a user sees. Each test lists every offender, grouped by type.
    /// </summary>
    public class GeneratedDocsTests
    {
        private static readonly Regex Markdown = new(@"`|\*\*|\]\([^)]*\)|(^|\n)[ \t]*[-*] \S", RegexOptions.Compiled);
        private static readonly Regex AuthoringWords = new(@"community rendering|\bofficial\b|\binventory\b|x-decision|\bseeds?\b|reference document", RegexOptions.Compiled | RegexOptions.IgnoreCase);
        private static readonly Regex Filler = new(@"^The <c>[^<]*</c> (attribute|path parameter|query parameter)\.$", RegexOptions.Compiled);
        private static readonly string[] TextElements = { "summary", "remarks", "param", "typeparam", "returns", "value", "exception" };

        private static readonly Lazy<IReadOnlyList<Member>> Members = new(Load);

        [Test]
        public void The_docs_carry_no_raw_markdown()
        {
            // Text inside <c> and <code> is code, where a * or a backtick may be meant literally.
            var offenders = Members.Value.SelectMany(m => m.Elements()
                .Select(e => (e.Label, Text: Prose(e.Element)))
                .Where(t => Markdown.IsMatch(t.Text))
                .Select(t => new Offender(m, t.Label + ": " + Excerpt(Normalize(t.Text), Math.Max(0, Markdown.Match(Normalize(t.Text)).Index)))));
            AssertNone(offenders, "raw markdown (backticks, **bold**, [links](url), '- ' lists) in the XML docs; the build's doc step (AhaDocumentGeneratedClient in build/Aha.NSwag.targets) should have converted it");
        }

        [Test]
        public void The_docs_carry_no_spec_authoring_notes()
        {
            var offenders = Members.Value.SelectMany(m => m.Texts()
                .Select(t => (t.Label, Text: Normalize(t.Text)))
                .Where(t => AuthoringWords.IsMatch(t.Text))
                .Select(t => new Offender(m, t.Label + ": \"" + AuthoringWords.Match(t.Text).Value + "\" in " + Excerpt(t.Text, AuthoringWords.Match(t.Text).Index))));
            AssertNone(offenders, "spec-authoring notes in the XML docs; move the rationale of the description in openapi/aha.yaml to an x-decision member next to it");
        }

        [Test]
        public void No_summary_or_parameter_is_filler()
        {
            var offenders = Members.Value.SelectMany(m => m.Elements()
                .Where(e => Filler.IsMatch(Normalize(InnerXml(e.Element))))
                .Select(e => new Offender(m, e.Label + ": " + Normalize(InnerXml(e.Element)))));
            AssertNone(offenders, "filler docs (\"The <c>x</c> attribute.\"): give the element a description in openapi/aha.yaml that says what the value means");
        }

        [Test]
        public void Every_member_has_a_summary()
        {
            var offenders = Members.Value
                .Where(m => !m.InheritsDoc && string.IsNullOrWhiteSpace(m.Doc.Element("summary")?.Value))
                .Select(m => new Offender(m, "no <summary> text"));
            AssertNone(offenders, "members with a missing or empty summary");
        }

        [Test]
        public void Every_parameter_is_described()
        {
            var offenders = Members.Value
                .Where(m => !m.InheritsDoc && m.Symbol is IMethodSymbol)
                .SelectMany(m => ((IMethodSymbol)m.Symbol).Parameters
                    .Where(p => string.IsNullOrWhiteSpace(m.Doc.Elements("param").FirstOrDefault(e => (string?)e.Attribute("name") == p.Name)?.Value))
                    .Select(p => new Offender(m, "no <param name=\"" + p.Name + "\"> text")));
            AssertNone(offenders, "parameters without a description");
        }

        [Test]
        public void The_checks_see_the_generated_surface()
        {
            // Guards the tests above against passing by looking at nothing.
            var ids = Members.Value.Select(m => m.Id).ToList();
            Assert.That(ids, Has.Some.StartsWith("M:Aha.Client.FeaturesClient.ListAsync("), "the public resource clients are checked");
            Assert.That(ids, Has.Some.StartsWith("P:Aha.Client.FeaturesListOptions."), "the options of the operations are checked");
            Assert.That(ids, Has.Some.StartsWith("P:Aha.Client.Feature."), "the models are checked");
            Assert.That(ids, Has.None.Contains("RestClient"), "the internal NSwag clients are not public surface");
            var remarks = Members.Value.First(m => m.Id.StartsWith("M:Aha.Client.FeaturesClient.ListAsync(", StringComparison.Ordinal)).Doc.Element("remarks");
            Assert.That(remarks?.Elements("c").Select(c => c.Value), Has.Some.EqualTo("fields"), "markdown code spans of the spec arrive as <c> elements");
        }

        private static void AssertNone(IEnumerable<Offender> offenders, string what)
        {
            var list = offenders.ToList();
            if (list.Count == 0)
            {
                return;
            }

            var message = new StringBuilder();
            message.Append(list.Count).Append(' ').Append(what).Append(", in ").Append(list.Select(o => o.Member.TypeName).Distinct().Count()).AppendLine(" types:");
            foreach (var group in list.GroupBy(o => o.Member.TypeName).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                message.Append("  ").Append(group.Key).Append(" (").Append(group.Count()).AppendLine("):");
                foreach (var offender in group)
                {
                    message.Append("    ").Append(offender.Member.ShortName).Append(' ').AppendLine(offender.Detail);
                }
            }

            Assert.Fail(message.ToString());
        }

        private static string Excerpt(string text, int at)
        {
            var start = Math.Max(0, at - 40);
            var length = Math.Min(text.Length - start, 100);
            return (start > 0 ? "..." : string.Empty) + text.Substring(start, length).Replace('\n', ' ') + (start + length < text.Length ? "..." : string.Empty);
        }

        // The text outside <c>/<code>, with a line break for each <br/> and <para> (where a markdown list item would start).
        private static string Prose(XElement element)
            => string.Concat(element.DescendantNodes()
                .Where(n => !n.Ancestors().Any(a => a.Name.LocalName is "c" or "code"))
                .Select(n => n switch
                {
                    XText text => text.Value,
                    XElement { Name.LocalName: "br" or "para" } => "\n",
                    _ => string.Empty,
                }));

        private static string InnerXml(XElement element) => string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));

        private static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();

        private static IReadOnlyList<Member> Load()
        {
            var dll = typeof(AhaClient).Assembly.Location;
            var xml = Path.ChangeExtension(dll, ".xml");
            Assert.That(File.Exists(xml), $"{xml} is copied next to the assembly");
            var docs = XDocument.Load(xml).Descendants("member")
                .GroupBy(m => (string)m.Attribute("name")!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var members = new List<Member>();
            foreach (var symbol in AssemblyInspection.VisibleSymbols(dll))
            {
                // A member without docs at all fails BuildOutputTests; here only what is written is judged.
                if (symbol.GetDocumentationCommentId() is { } id && docs.TryGetValue(id, out var doc))
                {
                    members.Add(new Member(id, symbol, doc));
                }
            }

            return members;
        }

        private sealed record Offender(Member Member, string Detail);

        private sealed record Member(string Id, ISymbol Symbol, XElement Doc)
        {
            public bool InheritsDoc => Doc.Element("inheritdoc") != null;

            public string TypeName => (Symbol as INamedTypeSymbol ?? Symbol.ContainingType).ToDisplayString();

            public string ShortName => Symbol is INamedTypeSymbol ? "(type)" : Symbol.Name + (Symbol is IMethodSymbol method ? "(" + string.Join(", ", method.Parameters.Select(p => p.Type.Name)) + ")" : string.Empty);

            public IEnumerable<(string Label, XElement Element)> Elements()
                => Doc.Elements().Where(e => TextElements.Contains(e.Name.LocalName))
                    .Select(e => ("<" + e.Name.LocalName + (e.Attribute("name") is { } name ? " " + name.Value : string.Empty) + ">", e));

            public IEnumerable<(string Label, string Text)> Texts() => Elements().Select(e => (e.Label, e.Element.Value));
        }
    }
}
