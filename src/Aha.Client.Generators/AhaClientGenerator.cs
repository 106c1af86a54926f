using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Aha.Client.Generators
{
    /// <summary>
    /// Finds every NSwag-generated client class in the compilation (classes marked
    /// <c>[GeneratedCode("NSwag", ...)]</c> that implement <c>I&lt;ClassName&gt;</c>) and emits, per class, one
    /// <c>&lt;ClassName&gt;.Aha.g.cs</c> with:
    /// <list type="bullet">
    /// <item><description>the <c>UpdateJsonSerializerSettings</c> partial method, applying <c>Serialization.AhaJson</c>;</description></item>
    /// <item><description><c>&lt;ClassName&gt;Extensions</c>: a <c>ListAll...Async</c> extension per paginated list method,
    /// returning <c>AhaPageable&lt;TItem&gt;</c>, and an <c>Update...CustomFieldsAsync</c> extension per PUT whose request
    /// carries custom fields. They extend the interface, so <c>aha.Features.ListAllAsync()</c> works and mocks of the
    /// interface drive them.</description></item>
    /// </list>
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

            context.RegisterSourceOutput(clients, static (spc, model) =>
            {
                foreach (var diagnostic in model!.Diagnostics)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.For(diagnostic.Id), diagnostic.ToLocation(), diagnostic.Message));
                }

                var source = Emitter.Emit(model);
                if (source != null)
                {
                    spc.AddSource(model.ClassName + ".Aha.g.cs", SourceText.From(source, Encoding.UTF8));
                }
            });
        }
    }
}
