using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Aha.Client.Generators
{
    /// <summary>
    /// Reads one NSwag client class (<c>[GeneratedCode("NSwag", ...)] partial class FeaturesClient : IFeaturesClient</c>)
    /// into a <see cref="ClientModel"/>: which of its interface methods are paginated lists and which are PUTs carrying
    /// custom fields. Decisions are made from types, not names: a list is a method with <c>page</c> and
    /// <c>perPage</c> parameters returning <c>Task&lt;T&gt;</c> where <c>T</c> has one record array; an update is a PUT
    /// (read from the generated body) whose request type reaches a <c>CustomFieldUpdate</c> property directly or through
    /// one wrapper property (<c>{"feature": {"custom_fields": ...}}</c>).
    /// </summary>
    internal static class ClientModelBuilder
    {
        private const string PaginationTypeName = "Aha.Client.Pagination";
        private const string CustomFieldUpdateTypeName = "Aha.Client.CustomFieldUpdate";

        // Internal helpers of Aha.Client that the generated code uses when it is compiled into Aha.Client itself.
        private const string PagingFieldsTypeName = "Aha.Client.PagingFields";
        private const string PageResponseSignalTypeName = "Aha.Client.PageResponseSignal";

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        public static ClientModel? Build(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Class || !IsNSwag(context.Attributes))
            {
                return null;
            }

            var compilation = context.SemanticModel.Compilation;
            var iface = type.Interfaces.FirstOrDefault(i => i.Name == "I" + type.Name);
            var isPartial = type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (iface is null || !isPartial)
            {
                return null;
            }

            var pagination = compilation.GetTypeByMetadataName(PaginationTypeName);
            var customFieldUpdate = compilation.GetTypeByMetadataName(CustomFieldUpdateTypeName);
            var diagnostics = new List<DiagnosticInfo>();
            var lists = new List<PagedListMethod>();
            var updates = new List<CustomFieldsUpdateMethod>();
            var memberNames = new HashSet<string>(iface.GetMembers().Select(m => m.Name), StringComparer.Ordinal);
            var internals = Accessible(compilation, PagingFieldsTypeName) && Accessible(compilation, PageResponseSignalTypeName);

            foreach (var method in iface.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var verb = HttpVerbOf(type, method, cancellationToken);
                var location = method.Locations.FirstOrDefault();

                if ((verb is null || verb == "GET") && FindPaging(method) is { } paging)
                {
                    var list = BuildList(method, paging.Page, paging.PerPage, pagination, internals, diagnostics, location);
                    if (list != null)
                    {
                        if (memberNames.Contains(list.WrapperName))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NameCollision, $"{iface.Name}.{method.Name}: the paging wrapper name '{list.WrapperName}' is already a member of {iface.Name}; no wrapper was generated.", location));
                        }
                        else
                        {
                            lists.Add(list);
                        }
                    }
                }

                var isUpdate = verb == "PUT" || (verb is null && method.Name.StartsWith("Update", StringComparison.Ordinal));
                if (isUpdate && customFieldUpdate != null)
                {
                    var update = BuildUpdate(method, customFieldUpdate, diagnostics, location);
                    if (update != null)
                    {
                        if (memberNames.Contains(update.WrapperName))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NameCollision, $"{iface.Name}.{method.Name}: the custom-fields wrapper name '{update.WrapperName}' is already a member of {iface.Name}; no wrapper was generated.", location));
                        }
                        else
                        {
                            updates.Add(update);
                        }
                    }
                }
            }

            var hook = type.GetMembers("UpdateJsonSerializerSettings").OfType<IMethodSymbol>().Any(m =>
                m.IsStatic && m.IsPartialDefinition && m.PartialImplementationPart is null && m.Parameters.Length == 1
                && m.Parameters[0].Type.ToDisplayString() == "Newtonsoft.Json.JsonSerializerSettings");

            // NSwag's ProcessResponse runs once the response is back and before its body is deserialized: the paging loop
            // uses it to request the next page meanwhile.
            var responseHook = internals && type.GetMembers("ProcessResponse").OfType<IMethodSymbol>().Any(m =>
                !m.IsStatic && m.IsPartialDefinition && m.PartialImplementationPart is null && m.Parameters.Length == 2
                && m.Parameters[0].Type.ToDisplayString() == "System.Net.Http.HttpClient"
                && m.Parameters[1].Type.ToDisplayString() == "System.Net.Http.HttpResponseMessage");

            return new ClientModel(
                type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
                type.Name,
                iface.ToDisplayString(TypeFormat),
                iface.Name,
                iface.DeclaredAccessibility == Accessibility.Public,
                hook,
                responseHook,
                new EquatableArray<PagedListMethod>(lists),
                new EquatableArray<CustomFieldsUpdateMethod>(updates),
                new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        private static bool Accessible(Compilation compilation, string metadataName)
            => compilation.GetTypeByMetadataName(metadataName) is { } type && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);

        private static bool IsNSwag(IEnumerable<AttributeData> attributes)
            => attributes.Any(a => a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is string tool && tool == "NSwag");

        /// <summary>The HTTP method the generated implementation sends (<c>new HttpMethod("PUT")</c>), or null when the body is not visible.</summary>
        internal static string? HttpVerbOf(INamedTypeSymbol type, IMethodSymbol interfaceMethod, CancellationToken cancellationToken)
        {
            if (type.FindImplementationForInterfaceMember(interfaceMethod) is not IMethodSymbol implementation)
            {
                return null;
            }

            foreach (var reference in implementation.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration)
                {
                    continue;
                }

                foreach (var creation in declaration.DescendantNodes().OfType<ObjectCreationExpressionSyntax>())
                {
                    if (creation.Type.ToString().EndsWith("HttpMethod", StringComparison.Ordinal)
                        && creation.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal
                        && literal.IsKind(SyntaxKind.StringLiteralExpression))
                    {
                        return literal.Token.ValueText.ToUpperInvariant();
                    }
                }
            }

            return null;
        }

        private static (IParameterSymbol Page, IParameterSymbol PerPage)? FindPaging(IMethodSymbol method)
        {
            var page = method.Parameters.FirstOrDefault(p => p.Name == "page" && IsInt(p.Type));
            var perPage = method.Parameters.FirstOrDefault(p => (p.Name == "perPage" || p.Name == "per_page") && IsInt(p.Type));
            return page != null && perPage != null ? (page, perPage) : null;
        }

        private static bool IsInt(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            return type.SpecialType == SpecialType.System_Int32 || type.SpecialType == SpecialType.System_Int64;
        }

        private static PagedListMethod? BuildList(IMethodSymbol method, IParameterSymbol page, IParameterSymbol perPage, INamedTypeSymbol? pagination, bool internals, List<DiagnosticInfo> diagnostics, Location? location)
        {
            var response = TaskResult(method.ReturnType);
            if (response is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ListWithoutRecords, $"{method.ContainingType.Name}.{method.Name} takes page/perPage but does not return Task<T>; no ListAll wrapper was generated.", location));
                return null;
            }

            // One record array; or several arrays of the same record type, which are alternative names of one list
            // (the documents disagree, e.g. "assigned" vs "records"): whichever the server sent is read.
            var arrays = PublicProperties(response).Select(p => (Property: p, Item: ElementType(p.Type))).Where(x => x.Item != null).ToList();
            var itemTypes = arrays.Select(a => a.Item!).Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default).Count();
            if (arrays.Count == 0 || itemTypes != 1)
            {
                var found = arrays.Count == 0 ? "none" : string.Join(", ", arrays.Select(a => a.Property.Name + " of " + a.Item!.Name));
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ListWithoutRecords, $"{method.ContainingType.Name}.{method.Name} takes page/perPage but its response {response.Name} has no single record array ({found}); no ListAll wrapper was generated.", location));
                return null;
            }

            var item = arrays[0].Item;
            var itemsExpression = string.Join(" ?? ", arrays.Select(a => "response__." + Escape(a.Property.Name)));
            var paginationExpression = PaginationExpression(response, pagination);
            var id = PublicProperties(item!).FirstOrDefault(p => p.Name == "Id");
            string? idExpression = null;
            if (id != null)
            {
                idExpression = id.Type.SpecialType == SpecialType.System_String
                    ? "item__ => item__.Id"
                    : "item__ => global::System.Convert.ToString(item__.Id, global::System.Globalization.CultureInfo.InvariantCulture)";
            }

            // fields= without id would leave paging unable to tell records apart: the wrapper adds id to the request and,
            // where the caller did not ask for it, clears it before the record is yielded.
            var fields = method.Parameters.FirstOrDefault(p => p.Name == "fields" && p.Type.SpecialType == SpecialType.System_String);
            var clearableId = internals && fields != null && idExpression != null
                && id!.SetMethod is { IsInitOnly: false, DeclaredAccessibility: Accessibility.Public }
                && (!id.Type.IsValueType || id.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T);
            var parameters = method.Parameters.Select(p => Parameter(p, method)).ToList();
            return new PagedListMethod(
                method.Name,
                ListAllName(method.Name),
                response.ToDisplayString(TypeFormat).TrimEnd('?'),
                item!.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                itemsExpression,
                paginationExpression,
                idExpression,
                page.Name,
                perPage.Name,
                new EquatableArray<ParameterModel>(parameters),
                DocElement(method, "summary"),
                clearableId ? Escape(fields!.Name) : null,
                clearableId);
        }

        private static string PaginationExpression(INamedTypeSymbol response, INamedTypeSymbol? pagination)
        {
            string top = "null", meta = "null", extra = "null";
            foreach (var property in PublicProperties(response))
            {
                if (pagination != null && SymbolEqualityComparer.Default.Equals(property.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), pagination))
                {
                    top = "response__." + Escape(property.Name);
                }
                else if (pagination != null && property.Type is INamedTypeSymbol { TypeKind: TypeKind.Class } holder
                    && PublicProperties(holder).FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), pagination)) is { } nested)
                {
                    meta = "response__." + Escape(property.Name) + "?." + Escape(nested.Name);
                }
                else if (property.Name == "AdditionalProperties" && property.Type is INamedTypeSymbol { IsGenericType: true } dictionary
                    && dictionary.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.IDictionary<TKey, TValue>"
                    && dictionary.TypeArguments[0].SpecialType == SpecialType.System_String
                    && dictionary.TypeArguments[1].SpecialType == SpecialType.System_Object)
                {
                    extra = "response__." + Escape(property.Name);
                }
            }

            return $"global::Aha.Client.Pagination.Find({top}, {meta}, {extra})";
        }

        private static CustomFieldsUpdateMethod? BuildUpdate(IMethodSymbol method, INamedTypeSymbol customFieldUpdate, List<DiagnosticInfo> diagnostics, Location? location)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type is not INamedTypeSymbol body || body.TypeKind != TypeKind.Class || body.SpecialType != SpecialType.None)
                {
                    continue;
                }

                string? wrapperProperty = null, wrapperType = null, customFieldsProperty = null;
                var direct = SettableProperties(body).FirstOrDefault(p => IsType(p.Type, customFieldUpdate));
                if (direct != null)
                {
                    customFieldsProperty = direct.Name;
                }
                else
                {
                    foreach (var wrapper in SettableProperties(body))
                    {
                        if (wrapper.Type is INamedTypeSymbol inner && inner.TypeKind == TypeKind.Class
                            && SettableProperties(inner).FirstOrDefault(p => IsType(p.Type, customFieldUpdate)) is { } nested)
                        {
                            if (!inner.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
                            {
                                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnwrappableCustomFields, $"{method.ContainingType.Name}.{method.Name}: {inner.Name} carries custom fields but has no public parameterless constructor; no custom-fields wrapper was generated.", location));
                                return null;
                            }

                            wrapperProperty = wrapper.Name;
                            wrapperType = inner.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
                            customFieldsProperty = nested.Name;
                            break;
                        }
                    }
                }

                if (customFieldsProperty is null)
                {
                    continue;
                }

                if (!body.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnwrappableCustomFields, $"{method.ContainingType.Name}.{method.Name}: {body.Name} has no public parameterless constructor; no custom-fields wrapper was generated.", location));
                    return null;
                }

                var parameters = method.Parameters.Select(p => Parameter(p, method)).ToList();
                return new CustomFieldsUpdateMethod(
                    method.Name,
                    UpdateCustomFieldsName(method.Name),
                    method.ReturnType.ToDisplayString(TypeFormat),
                    parameter.Name,
                    body.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                    wrapperProperty,
                    wrapperType,
                    customFieldsProperty,
                    new EquatableArray<ParameterModel>(parameters),
                    DocElement(method, "summary"));
            }

            return null;
        }

        private static bool IsType(ITypeSymbol type, INamedTypeSymbol expected)
            => SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), expected);

        private static INamedTypeSymbol? TaskResult(ITypeSymbol type)
            => type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } task
               && task.OriginalDefinition.ToDisplayString() == "System.Threading.Tasks.Task<TResult>"
               && task.TypeArguments[0] is INamedTypeSymbol { TypeKind: TypeKind.Class } result
                ? result
                : null;

        private static IEnumerable<IPropertySymbol> PublicProperties(INamedTypeSymbol type)
            => type.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public && p.GetMethod != null);

        private static IEnumerable<IPropertySymbol> SettableProperties(INamedTypeSymbol type)
            => PublicProperties(type).Where(p => p.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false });

        private static readonly string[] CollectionTypes =
        {
            "System.Collections.Generic.List<T>",
            "System.Collections.Generic.IList<T>",
            "System.Collections.Generic.ICollection<T>",
            "System.Collections.Generic.IEnumerable<T>",
            "System.Collections.Generic.IReadOnlyList<T>",
            "System.Collections.Generic.IReadOnlyCollection<T>",
            "System.Collections.ObjectModel.Collection<T>",
        };

        /// <summary>The record type of an array-of-records property (<c>List&lt;Feature&gt;</c> → <c>Feature</c>); null otherwise.</summary>
        private static INamedTypeSymbol? ElementType(ITypeSymbol type)
        {
            ITypeSymbol? element = null;
            if (type is IArrayTypeSymbol array)
            {
                element = array.ElementType;
            }
            else if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
                && CollectionTypes.Contains(generic.OriginalDefinition.ToDisplayString()))
            {
                element = generic.TypeArguments[0];
            }

            return element is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } record ? record : null;
        }

        private static ParameterModel Parameter(IParameterSymbol parameter, IMethodSymbol method)
        {
            var isToken = parameter.Type.ToDisplayString() == "System.Threading.CancellationToken";
            string? defaultText = null;
            if (parameter.HasExplicitDefaultValue)
            {
                defaultText = DefaultText(parameter);
            }

            var checkNotNull = !parameter.HasExplicitDefaultValue && parameter.Type.IsReferenceType && parameter.NullableAnnotation != NullableAnnotation.Annotated;
            return new ParameterModel(Escape(parameter.Name), parameter.Type.ToDisplayString(TypeFormat), defaultText, checkNotNull, isToken, ParamDoc(method, parameter.Name));
        }

        private static string DefaultText(IParameterSymbol parameter)
        {
            var value = parameter.ExplicitDefaultValue;
            if (value is null)
            {
                return parameter.Type.IsValueType && parameter.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
            }

            if (parameter.Type.TypeKind == TypeKind.Enum)
            {
                return "(" + parameter.Type.ToDisplayString(TypeFormat) + ")" + SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
            }

            return value switch
            {
                bool b => b ? "true" : "false",
                string s => SymbolDisplay.FormatLiteral(s, quote: true),
                float f => SymbolDisplay.FormatPrimitive(f, quoteStrings: false, useHexadecimalNumbers: false) + "f",
                double d => SymbolDisplay.FormatPrimitive(d, quoteStrings: false, useHexadecimalNumbers: false) + "d",
                decimal m => SymbolDisplay.FormatPrimitive(m, quoteStrings: false, useHexadecimalNumbers: false) + "m",
                long l => SymbolDisplay.FormatPrimitive(l, quoteStrings: false, useHexadecimalNumbers: false) + "L",
                _ => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
            };
        }

        internal static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary><c>ListAsync</c> → <c>ListAllAsync</c>; <c>ListByProductAsync</c> → <c>ListAllByProductAsync</c>; <c>GetFooAsync</c> → <c>GetAllFooAsync</c>.</summary>
        internal static string ListAllName(string methodName)
        {
            var stem = methodName.EndsWith("Async", StringComparison.Ordinal) ? methodName.Substring(0, methodName.Length - 5) : methodName;
            if (stem.StartsWith("List", StringComparison.Ordinal))
            {
                return "ListAll" + stem.Substring(4) + "Async";
            }

            if (stem.StartsWith("Get", StringComparison.Ordinal))
            {
                return "GetAll" + stem.Substring(3) + "Async";
            }

            return "ListAll" + stem + "Async";
        }

        /// <summary><c>UpdateAsync</c> → <c>UpdateCustomFieldsAsync</c>; <c>UpdateForProductAsync</c> → <c>UpdateCustomFieldsForProductAsync</c>.</summary>
        internal static string UpdateCustomFieldsName(string methodName)
        {
            var stem = methodName.EndsWith("Async", StringComparison.Ordinal) ? methodName.Substring(0, methodName.Length - 5) : methodName;
            return stem.StartsWith("Update", StringComparison.Ordinal)
                ? "UpdateCustomFields" + stem.Substring(6) + "Async"
                : stem + "CustomFieldsAsync";
        }

        private static string? DocElement(IMethodSymbol method, string element)
        {
            var doc = ParseDoc(method);
            var node = doc?.Element(element);
            return node is null ? null : InnerXml(node);
        }

        private static string? ParamDoc(IMethodSymbol method, string name)
        {
            var doc = ParseDoc(method);
            var node = doc?.Elements("param").FirstOrDefault(e => (string?)e.Attribute("name") == name);
            return node is null ? null : InnerXml(node);
        }

        private static XElement? ParseDoc(IMethodSymbol method)
        {
            var xml = method.GetDocumentationCommentXml();
            if (string.IsNullOrWhiteSpace(xml))
            {
                return null;
            }

            try
            {
                return XElement.Parse(xml);
            }
            catch (System.Xml.XmlException)
            {
                return null;
            }
        }

        private static string InnerXml(XElement element)
            => string.Concat(element.Nodes().Select(n => n.ToString())).Trim().Replace("\r", string.Empty).Replace("\n", " ");
    }
}
