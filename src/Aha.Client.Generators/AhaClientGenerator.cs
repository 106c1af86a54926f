using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Aha.Client.Generators
{
    /// <summary>
    /// Finds every NSwag-generated client class in the compilation (internal classes named <c>...RestClient</c>, marked
    /// <c>[GeneratedCode("NSwag", ...)]</c>) and emits, per class, one <c>&lt;Name&gt;.Aha.g.cs</c> with the public resource
    /// client users call (<c>FeaturesClient</c>): one virtual method per operation taking its path ids, its body (unwrapped
    /// from Aha!'s <c>{"feature": ...}</c> envelope) and an options object with the optional query parameters; a
    /// <c>...WithResponseAsync</c> twin returning the raw response; <c>TryGet...Async</c> for reads; <c>ListAll...Async</c>
    /// paging and <c>UpdateCustomFields...Async</c> helpers; <c>ToUpdate()</c> on read models. It also emits
    /// <c>ToString()</c> for every model class with an id, reference or name.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class AhaClientGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var clients = context.SyntaxProvider.ForAttributeWithMetadataName(
                    "System.CodeDom.Compiler.GeneratedCodeAttribute",
                    predicate: static (node, _) => node is ClassDeclarationSyntax,
                    transform: static (ctx, ct) => ClientModelBuilder.Build(ctx, ct))
                .Where(static model => model is not null);

            // The spec (openapi/aha.yaml, an AdditionalFiles item of Aha.Client) says which lists are read with the after_id
            // cursor instead of page numbers (x-aha-paging: after_id).
            var cursorLists = context.AdditionalTextsProvider
                .Where(static text => System.IO.Path.GetFileName(text.Path) == "aha.yaml")
                .Select(static (text, ct) => SpecPaging.AfterIdOperations(text.GetText(ct)?.ToString()))
                .Collect()
                .Select(static (all, _) => new EquatableArray<string>(all.SelectMany(static a => (System.Collections.Generic.IEnumerable<string>)a).Distinct().OrderBy(a => a, System.StringComparer.Ordinal).ToArray()));

            context.RegisterSourceOutput(clients.Combine(cursorLists), static (spc, pair) =>
            {
                var model = pair.Left!;
                foreach (var diagnostic in model.Diagnostics)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.For(diagnostic.Id), diagnostic.ToLocation(), diagnostic.Message));
                }

                spc.AddSource(model.PublicClassName + ".Aha.g.cs", SourceText.From(Emitter.Emit(model, pair.Right), Encoding.UTF8));
            });

            var models = context.SyntaxProvider.ForAttributeWithMetadataName(
                    "System.CodeDom.Compiler.GeneratedCodeAttribute",
                    predicate: static (node, _) => node is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword),
                    transform: static (ctx, _) => ModelOf(ctx))
                .Where(static model => model is not null)
                .Collect();

            context.RegisterSourceOutput(models, static (spc, all) =>
            {
                if (all.Length > 0)
                {
                    spc.AddSource("Models.ToString.g.cs", SourceText.From(Emitter.EmitToStrings(all!), Encoding.UTF8));
                }
            });
        }

        private static ModelInfo? ModelOf(GeneratorAttributeSyntaxContext context)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Class || type.DeclaredAccessibility != Accessibility.Public
                || !ClientModelBuilder.IsTool(context.Attributes, "NJsonSchema")
                || type.GetMembers("ToString").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 0))
            {
                return null;
            }

            var properties = ClientModelBuilder.PublicProperties(type).ToList();
            string? Find(string name, bool stringOnly) => properties.FirstOrDefault(p => p.Name == name && (!stringOnly || p.Type.SpecialType == SpecialType.System_String))?.Name;
            var id = Find("Id", stringOnly: false);
            var reference = Find("ReferenceNum", stringOnly: true) ?? Find("Key", stringOnly: true);
            var name = Find("Name", stringOnly: true);
            return id is null && reference is null && name is null
                ? null
                : new ModelInfo(type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(), type.Name, id, reference, name);
        }
    }
}
