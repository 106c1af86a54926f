using System;
using System.IO;
using System.Linq;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Packaging
{
    /// <summary>
    /// What every build of Aha.Client.dll must carry before it is packed: XML documentation for every public member
    /// (generated clients and models included: NSwag silences CS1591 in its file, so the compiler does not check them)
    /// and a deterministic build whose PDB embeds every source file, the generated one included.
    /// </summary>
    public class BuildOutputTests
    {
        private static string ClientDll => typeof(AhaClient).Assembly.Location;

        [Test]
        public void Every_public_member_has_XML_documentation()
        {
            var xml = Path.ChangeExtension(ClientDll, ".xml");
            Assert.That(File.Exists(xml), $"{xml} is copied next to the assembly");
            var missing = AssemblyInspection.UndocumentedPublicMembers(ClientDll, xml);
            Assert.That(missing, Is.Empty, "public members without XML docs:\n" + string.Join("\n", missing.Take(50)));
        }

        [Test]
        public void The_inspection_sees_the_whole_public_surface()
        {
            // Guards the test above against passing by looking at nothing.
            var xml = System.Xml.Linq.XDocument.Load(Path.ChangeExtension(ClientDll, ".xml"));
            var names = xml.Descendants("member").Select(m => (string)m.Attribute("name")!).ToList();
            Assert.That(names, Does.Contain("T:Aha.Client.AhaClient"));
            Assert.That(names, Does.Contain("T:Aha.Client.FeaturesClient"), "the generated clients are documented");
            Assert.That(names.Count(n => n.StartsWith("P:Aha.Client.Feature.", StringComparison.Ordinal)), Is.GreaterThan(10), "generated model properties are documented");
        }

        [Test]
        public void The_PDB_embeds_every_source_file_and_the_build_is_deterministic()
        {
            var facts = AssemblyInspection.ReadPdb(ClientDll, Path.ChangeExtension(ClientDll, ".pdb"));
            Assert.That(facts.Reproducible, "a deterministic build (Reproducible debug directory entry)");
            Assert.That(facts.Documents, Has.Some.EndsWith("AhaClient.g.cs"), "the generated client is a document of the PDB");
            Assert.That(facts.Documents, Has.Some.EndsWith("AhaClient.Pipeline.cs"));
            Assert.That(facts.DocumentsWithoutEmbeddedSource, Is.Empty, "EmbedAllSources: every document's text is in the PDB");
        }

        [Test]
        public void The_generator_and_the_code_generation_tool_are_not_referenced_at_run_time()
        {
            var references = typeof(AhaClient).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.That(references, Has.None.StartsWith("Aha.Client.Generators"));
            Assert.That(references, Has.None.StartsWith("NSwag"));
            Assert.That(references, Has.None.StartsWith("Microsoft.CodeAnalysis"));
            Assert.That(Repo.Root, Is.Not.Empty);
        }
    }
}
