using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Aha.Client.Tests.Packaging
{
    /// <summary>
    /// Reads what a shipped assembly carries: its documented public surface and its PDB. Compiled into this project
    /// (BuildOutputTests, on the normal build output) and into tests/Aha.Packaging.Tests (on the packed packages).
    /// </summary>
    internal static class AssemblyInspection
    {
        private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
        private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

        /// <summary>
        /// The documentation ids (<c>T:</c>, <c>M:</c>, <c>P:</c>, ...) of every public or protected member of
        /// <paramref name="dllPath"/> that has no entry in its XML documentation file. Roslyn computes the ids, so they
        /// are exactly the ones the compiler writes.
        /// </summary>
        public static IReadOnlyList<string> UndocumentedPublicMembers(string dllPath, string xmlPath)
        {
            var documented = new HashSet<string>(XDocument.Load(xmlPath).Descendants("member").Select(m => (string)m.Attribute("name")!), StringComparer.Ordinal);
            return VisibleSymbols(dllPath)
                .Select(s => s.GetDocumentationCommentId())
                .Where(id => id != null && !documented.Contains(id))
                .Select(id => id!)
                .ToList();
        }

        /// <summary>
        /// Every public or protected type and member of <paramref name="dllPath"/> that needs XML docs (no accessors, no
        /// parameterless constructors: metadata cannot tell a compiler-made one from a written one, and a written one
        /// without docs already fails the build). Roslyn computes their documentation ids and parameters.
        /// </summary>
        public static IReadOnlyList<ISymbol> VisibleSymbols(string dllPath)
        {
            // The assembly plus everything it can reference: the running framework and the test's own dependencies.
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
                .Where(p => !string.Equals(Path.GetFileName(p), Path.GetFileName(dllPath), StringComparison.OrdinalIgnoreCase))
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList();
            var target = MetadataReference.CreateFromFile(dllPath);
            references.Add(target);
            var compilation = CSharpCompilation.Create("inspection", references: references);
            var assembly = (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(target)!;

            var symbols = new List<ISymbol>();
            foreach (var type in Types(assembly.GlobalNamespace).Where(IsVisible))
            {
                symbols.Add(type);
                foreach (var member in type.GetMembers().Where(m => m is not INamedTypeSymbol && IsVisible(m) && !m.IsImplicitlyDeclared))
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise })
                    {
                        continue;
                    }

                    if (member is IMethodSymbol { MethodKind: MethodKind.Constructor, Parameters.Length: 0 })
                    {
                        continue;
                    }

                    symbols.Add(member);
                }
            }

            return symbols;
        }

        /// <summary>What the PDB of an assembly says about its sources and how it was built.</summary>
        public static PdbFacts ReadPdb(string dllPath, string pdbPath)
        {
            using var pe = new PEReader(File.OpenRead(dllPath));
            var debugDirectory = pe.ReadDebugDirectory();
            var reproducible = debugDirectory.Any(e => e.Type == DebugDirectoryEntryType.Reproducible);

            using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
            var pdb = provider.GetMetadataReader();
            var documents = new List<string>();
            var withSource = new HashSet<DocumentHandle>();
            string? sourceLink = null;
            foreach (var handle in pdb.CustomDebugInformation)
            {
                var info = pdb.GetCustomDebugInformation(handle);
                var kind = pdb.GetGuid(info.Kind);
                if (kind == EmbeddedSourceKind && info.Parent.Kind == HandleKind.Document)
                {
                    withSource.Add((DocumentHandle)info.Parent);
                }
                else if (kind == SourceLinkKind)
                {
                    sourceLink = System.Text.Encoding.UTF8.GetString(pdb.GetBlobBytes(info.Value));
                }
            }

            var withoutSource = new List<string>();
            foreach (var handle in pdb.Documents)
            {
                var name = pdb.GetString(pdb.GetDocument(handle).Name);
                documents.Add(name);
                if (!withSource.Contains(handle))
                {
                    withoutSource.Add(name);
                }
            }

            return new PdbFacts(reproducible, documents, withoutSource, sourceLink);
        }

        private static IEnumerable<INamedTypeSymbol> Types(INamespaceSymbol ns)
        {
            foreach (var type in ns.GetTypeMembers().SelectMany(Nested))
            {
                yield return type;
            }

            foreach (var child in ns.GetNamespaceMembers().SelectMany(Types))
            {
                yield return child;
            }

            static IEnumerable<INamedTypeSymbol> Nested(INamedTypeSymbol type) => new[] { type }.Concat(type.GetTypeMembers().SelectMany(Nested));
        }

        private static bool IsVisible(ISymbol symbol)
        {
            for (var s = symbol; s != null && s is not INamespaceSymbol; s = s.ContainingSymbol)
            {
                if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Facts read from a portable PDB.</summary>
    /// <param name="Reproducible">The PE has a Reproducible debug directory entry (a deterministic build).</param>
    /// <param name="Documents">The source paths recorded in the PDB.</param>
    /// <param name="DocumentsWithoutEmbeddedSource">Documents whose text is not embedded.</param>
    /// <param name="SourceLinkJson">The SourceLink map, or null when SourceLink had no URL to map to.</param>
    internal sealed record PdbFacts(bool Reproducible, IReadOnlyList<string> Documents, IReadOnlyList<string> DocumentsWithoutEmbeddedSource, string? SourceLinkJson);
}
