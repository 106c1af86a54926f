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
    /// Reads one NSwag client class (<c>[GeneratedCode("NSwag", ...)] internal partial class FeaturesRestClient</c>) into
    /// a <see cref="ClientModel"/>: every operation method with its path, query and body parameters, and which of them
    /// are paginated lists, custom-field updates and readable records. Decisions are made from types, not names: a list
    /// has <c>page</c> and <c>perPage</c> parameters and returns one record array; a wrapper (<c>{"feature": {...}}</c>)
    /// is a body or response type whose only property is one object.
    /// </summary>
    internal static class ClientModelBuilder
    {
        private const string RestSuffix = "RestClient";
        private const string PaginationTypeName = "Aha.Client.Pagination";
        private const string CustomFieldUpdateTypeName = "Aha.Client.CustomFieldUpdate";
        private const string CustomFieldsTypeName = "Aha.Client.CustomFields";

        // Internal helpers of Aha.Client that the generated code uses when it is compiled into Aha.Client itself.
        private const string PagingFieldsTypeName = "Aha.Client.PagingFields";
        private const string PageResponseSignalTypeName = "Aha.Client.PageResponseSignal";

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        public static ClientModel? Build(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Class || !IsTool(context.Attributes, "NSwag")
                || !type.Name.EndsWith(RestSuffix, StringComparison.Ordinal) || type.Name.Length == RestSuffix.Length)
            {
                return null;
            }

            var isPartial = type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!isPartial)
            {
                return null;
            }

            var compilation = context.SemanticModel.Compilation;
            var pagination = compilation.GetTypeByMetadataName(PaginationTypeName);
            var customFieldUpdate = compilation.GetTypeByMetadataName(CustomFieldUpdateTypeName);
            var customFields = compilation.GetTypeByMetadataName(CustomFieldsTypeName);
            var pagingFields = Accessible(compilation, PagingFieldsTypeName);
            var publicName = type.Name.Substring(0, type.Name.Length - RestSuffix.Length) + "Client";
            var resource = publicName.Substring(0, publicName.Length - "Client".Length);
            var diagnostics = new List<DiagnosticInfo>();
            var operations = new List<OperationModel>();
            var lists = new List<PagedListMethod>();
            var updates = new List<CustomFieldsUpdateMethod>();
            var reads = new Dictionary<string, (OperationModel Op, INamedTypeSymbol Type)>(StringComparer.Ordinal);
            var writes = new List<(OperationModel Op, INamedTypeSymbol Type)>();

            var methods = type.GetMembers().OfType<IMethodSymbol>()
                .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public
                            && m.Name.EndsWith("Async", StringComparison.Ordinal) && m.Parameters.Length > 0
                            && m.Parameters[m.Parameters.Length - 1].Type.ToDisplayString() == "System.Threading.CancellationToken")
                .ToList();
            var names = new HashSet<string>(methods.Select(m => m.Name), StringComparer.Ordinal);

            foreach (var method in methods)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var location = method.Locations.FirstOrDefault();
                var verb = HttpVerbOf(method, cancellationToken) ?? "GET";
                var stem = method.Name.Substring(0, method.Name.Length - "Async".Length);
                var optionsType = resource + stem + "Options";

                var pathParameters = new List<ParameterModel>();
                var queryParameters = new List<ParameterModel>();
                ParameterModel? body = null;
                INamedTypeSymbol? bodyType = null;
                foreach (var parameter in method.Parameters)
                {
                    var model = Parameter(parameter, method);
                    if (model.IsCancellationToken)
                    {
                        continue;
                    }

                    if (IsFile(parameter.Type) && body is null)
                    {
                        // A multipart upload: NSwag declares the file part optional (= null), but the file is the point of the
                        // call, so it is a required parameter named `file` in the record's place, never an options member.
                        body = model with
                        {
                            Name = "file",
                            Type = parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                            DefaultText = null,
                            CheckNotNull = true,
                            Doc = "The file to upload: its content (read when the request is sent, not disposed), and the file name and media type Aha! records with it.",
                        };
                    }
                    else if (parameter.HasExplicitDefaultValue)
                    {
                        queryParameters.Add(model);
                    }
                    else if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } named && body is null && !IsCollection(named))
                    {
                        body = model;
                        bodyType = named;
                    }
                    else
                    {
                        pathParameters.Add(model);
                    }
                }

                // {"feature": {...}} bodies take the inner object; the wrapper is built here.
                string? bodyWrapperType = null, bodyWrapperProperty = null;
                var bodyExtras = new List<ParameterModel>();
                INamedTypeSymbol? publicBodyType = bodyType;
                if (body != null && bodyType != null && WrappedBody(bodyType) is { } wrapped
                    && wrapped.Inner.Type is INamedTypeSymbol innerBodyType && HasDefaultConstructor(bodyType) && wrapped.Inner.SetMethod != null)
                {
                    var innerBody = wrapped.Inner;
                    var name = Escape(Camel(innerBody.Name));

                    // Body-level scalars next to the record ({"feature": {...}, "fields": "..."}) become options properties.
                    var extras = wrapped.Extras.Select(e => new ParameterModel(Escape(Camel(e.Name)), e.Type.WithNullableAnnotation(NullableAnnotation.Annotated).ToDisplayString(TypeFormat), "null", false, false,
                        SummaryOf(e) ?? "The <c>" + JsonName(e) + "</c> attribute of the request body, next to the record.", e.Name, e.Type.SpecialType == SpecialType.System_String)).ToList();
                    if (!pathParameters.Any(p => p.Name == name) && name != "options" && name != "cancellationToken"
                        && !extras.Any(e => queryParameters.Any(q => q.PropertyName == e.PropertyName)))
                    {
                        bodyExtras = extras;
                        bodyWrapperType = bodyType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
                        bodyWrapperProperty = Escape(innerBody.Name);
                        publicBodyType = innerBodyType;
                        body = body with
                        {
                            Name = name,
                            Type = innerBodyType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                            // The build turns the spec's `feature` into <c>feature</c>; both forms are dropped, as the caller passes the inner record.
                            Doc = body.Doc is null ? null : body.Doc
                                .Replace(", wrapped in <c>" + JsonName(innerBody) + "</c>", string.Empty)
                                .Replace(", wrapped in `" + JsonName(innerBody) + "`", string.Empty),
                        };
                    }
                }

                var rest = TaskResult(method.ReturnType);
                string? resultType = null, resultWrapperProperty = null, resultWrapperJsonName = null, restResultType = null;
                INamedTypeSymbol? publicResultType = null;
                if (rest != null)
                {
                    restResultType = rest.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
                    resultType = restResultType;
                    publicResultType = rest;
                    if (SingleWrapped(rest) is { } inner && inner.Type is INamedTypeSymbol innerType)
                    {
                        resultWrapperProperty = Escape(inner.Name);
                        resultWrapperJsonName = JsonName(inner);
                        resultType = innerType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
                        publicResultType = innerType;
                    }
                }

                var canTryGet = verb == "GET" && stem.StartsWith("Get", StringComparison.Ordinal) && resultWrapperProperty != null && pathParameters.Count > 0
                    && !names.Contains("Try" + method.Name);
                var operation = new OperationModel(
                    method.Name,
                    stem,
                    verb,
                    DocElement(method, "summary"),
                    DocElement(method, "remarks"),
                    optionsType,
                    new EquatableArray<ParameterModel>(pathParameters),
                    new EquatableArray<ParameterModel>(queryParameters),
                    body,
                    bodyWrapperType,
                    bodyWrapperProperty,
                    new EquatableArray<ParameterModel>(bodyExtras),
                    resultType,
                    resultWrapperProperty,
                    resultWrapperJsonName,
                    restResultType,
                    new EquatableArray<string>(method.Parameters.Select(p => Escape(p.Name))),
                    canTryGet,
                    IsDeprecated: method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.ObsoleteAttribute"));
                operations.Add(operation);

                if (canTryGet && publicResultType != null)
                {
                    reads[stem.Substring("Get".Length)] = (operation, publicResultType);
                }

                if (verb == "PUT" && stem.StartsWith("Update", StringComparison.Ordinal) && bodyWrapperType != null && publicBodyType != null)
                {
                    writes.Add((operation, publicBodyType));
                }

                if (verb == "GET" && rest != null && FindPaging(queryParameters) is { } paging)
                {
                    var list = BuildList(method, operation, rest, paging.Page, paging.PerPage, pagination, pagingFields, diagnostics, location);
                    if (list != null)
                    {
                        list = list with { IsDeprecated = operation.IsDeprecated };
                        if (names.Contains(list.WrapperName))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NameCollision, $"{type.Name}.{method.Name}: the paging wrapper name '{list.WrapperName}' is already an operation; no wrapper was generated.", location));
                        }
                        else
                        {
                            lists.Add(list);
                        }
                    }
                }

                if (verb == "PUT" && customFieldUpdate != null && publicBodyType != null && body != null)
                {
                    var update = BuildUpdate(operation, publicBodyType, customFieldUpdate, diagnostics, location);
                    if (update != null)
                    {
                        if (names.Contains(update.WrapperName))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NameCollision, $"{type.Name}.{method.Name}: the custom-fields wrapper name '{update.WrapperName}' is already an operation; no wrapper was generated.", location));
                        }
                        else
                        {
                            updates.Add(update);
                        }
                    }
                }
            }

            // Update{X} with the body Aha! accepts, paired with Get{X} of the same client: the read record gets ToUpdate().
            var toUpdates = new List<ToUpdateModel>();
            var seenReadTypes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (op, updateType) in writes)
            {
                if (!reads.TryGetValue(op.Stem.Substring("Update".Length), out var read))
                {
                    continue;
                }

                var readName = read.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
                if (SymbolEqualityComparer.Default.Equals(read.Type, updateType) || !seenReadTypes.Add(readName)
                    || !SymbolEqualityComparer.Default.Equals(read.Type.ContainingAssembly, compilation.Assembly)
                    || !read.Type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword)))
                {
                    continue;
                }

                var assignments = ToUpdateAssignments(read.Type, updateType, customFieldUpdate, customFields);
                toUpdates.Add(new ToUpdateModel(readName, updateType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat), publicName + "." + op.MethodName, new EquatableArray<string>(assignments)));
            }

            var hook = type.GetMembers("UpdateJsonSerializerSettings").OfType<IMethodSymbol>().Any(m =>
                m.IsStatic && m.IsPartialDefinition && m.PartialImplementationPart is null && m.Parameters.Length == 1
                && m.Parameters[0].Type.ToDisplayString() == "Newtonsoft.Json.JsonSerializerSettings");
            var requestHooks = !type.GetMembers("PrepareRequestAsync").Any() && !type.GetMembers("ProcessResponseAsync").Any();

            // ProcessResponseAsync runs once the response is back and before its body is deserialized: the paging loop
            // uses it to request the next page meanwhile.
            var signalPages = requestHooks && Accessible(compilation, PageResponseSignalTypeName);

            return new ClientModel(
                type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
                type.Name,
                publicName,
                hook,
                requestHooks,
                signalPages,
                new EquatableArray<OperationModel>(operations),
                new EquatableArray<PagedListMethod>(lists),
                new EquatableArray<CustomFieldsUpdateMethod>(updates),
                new EquatableArray<ToUpdateModel>(toUpdates),
                new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        private static bool Accessible(Compilation compilation, string metadataName)
            => compilation.GetTypeByMetadataName(metadataName) is { } type && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);

        internal static bool IsTool(IEnumerable<AttributeData> attributes, string tool)
            => attributes.Any(a => a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is string t && t == tool);

        /// <summary>The HTTP method the generated implementation sends (<c>new HttpMethod("PUT")</c>), or null when the body is not visible.</summary>
        internal static string? HttpVerbOf(IMethodSymbol implementation, CancellationToken cancellationToken)
        {
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

        private static (ParameterModel Page, ParameterModel PerPage)? FindPaging(List<ParameterModel> query)
        {
            var page = query.FirstOrDefault(p => p.Name == "page" && IsIntText(p.Type));
            var perPage = query.FirstOrDefault(p => (p.Name == "perPage" || p.Name == "per_page") && IsIntText(p.Type));
            return page != null && perPage != null ? (page, perPage) : null;
        }

        /// <summary>The file part of a multipart upload (<c>Aha.Client.FileParameter</c>, NSwag's name for it).</summary>
        private static bool IsFile(ITypeSymbol type) => type is INamedTypeSymbol { TypeKind: TypeKind.Class, Name: "FileParameter" };

        private static bool IsIntText(string type) => type is "int?" or "int" or "long?" or "long";

        private static PagedListMethod? BuildList(IMethodSymbol method, OperationModel operation, INamedTypeSymbol response, ParameterModel page, ParameterModel perPage, INamedTypeSymbol? pagination, bool pagingFields, List<DiagnosticInfo> diagnostics, Location? location)
        {
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
            var fields = operation.QueryParameters.FirstOrDefault(q => q.Name == "fields" && q.IsString);
            var clearableId = fields != null && idExpression != null
                && pagingFields
                && id!.SetMethod is { IsInitOnly: false, DeclaredAccessibility: Accessibility.Public }
                && (!id.Type.IsValueType || id.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T);

            return new PagedListMethod(
                method.Name,
                ListAllName(method.Name),
                response.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                item!.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                itemsExpression,
                paginationExpression,
                idExpression,
                operation.OptionsType,
                page.PropertyName,
                perPage.PropertyName,
                operation.PathParameters,
                operation.Summary,
                clearableId ? fields!.PropertyName : null,
                operation.QueryParameters.FirstOrDefault(q => q.Name == "afterId" && q.IsString)?.PropertyName);
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

        private static CustomFieldsUpdateMethod? BuildUpdate(OperationModel operation, INamedTypeSymbol body, INamedTypeSymbol customFieldUpdate, List<DiagnosticInfo> diagnostics, Location? location)
        {
            string? expression = null;
            var direct = SettableProperties(body).FirstOrDefault(p => IsType(p.Type, customFieldUpdate));
            var bodyName = body.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
            if (direct != null)
            {
                expression = "new " + bodyName + " { " + Escape(direct.Name) + " = {0} }";
            }
            else
            {
                foreach (var wrapper in SettableProperties(body))
                {
                    if (wrapper.Type is INamedTypeSymbol inner && inner.TypeKind == TypeKind.Class
                        && SettableProperties(inner).FirstOrDefault(p => IsType(p.Type, customFieldUpdate)) is { } nested)
                    {
                        if (!HasDefaultConstructor(inner))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnwrappableCustomFields, $"{operation.MethodName}: {inner.Name} carries custom fields but has no public parameterless constructor; no custom-fields wrapper was generated.", location));
                            return null;
                        }

                        expression = "new " + bodyName + " { " + Escape(wrapper.Name) + " = new " + inner.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat) + " { " + Escape(nested.Name) + " = {0} } }";
                        break;
                    }
                }
            }

            if (expression is null)
            {
                return null;
            }

            if (!HasDefaultConstructor(body))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnwrappableCustomFields, $"{operation.MethodName}: {body.Name} has no public parameterless constructor; no custom-fields wrapper was generated.", location));
                return null;
            }

            return new CustomFieldsUpdateMethod(
                operation.MethodName,
                UpdateCustomFieldsName(operation.MethodName),
                operation.ResultType ?? string.Empty,
                expression,
                operation.OptionsType,
                operation.PathParameters,
                operation.Body != null,
                operation.Summary);
        }

        /// <summary>
        /// How each attribute of an update model is filled from the read model: the same type is copied (lists as new
        /// lists); a read object is reduced to what the update accepts (<c>description.body</c>, a user's
        /// <c>email</c>, a release's <c>reference_num</c>, a status's <c>name</c>); progress (valid only with a manual progress source) is not carried; custom fields are converted with <c>CustomFieldUpdate.From</c>.
        /// Attributes with no rule are left unset, which Aha! reads as "unchanged".
        /// </summary>
        private static List<string> ToUpdateAssignments(INamedTypeSymbol read, INamedTypeSymbol update, INamedTypeSymbol? customFieldUpdate, INamedTypeSymbol? customFields)
        {
            var result = new List<string>();
            var readProperties = PublicProperties(read).Where(p => p.Name != "AdditionalProperties").ToDictionary(p => p.Name, StringComparer.Ordinal);
            // Progress is accepted only together with progress_source = progress_manual (openapi/aha.yaml): not carried.
            foreach (var target in SettableProperties(update).Where(p => p.Name != "AdditionalProperties" && p.Name != "Progress"))
            {
                if (!readProperties.TryGetValue(target.Name, out var source))
                {
                    continue;
                }

                var name = Escape(target.Name);
                var targetType = target.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
                var sourceType = source.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
                if (SymbolEqualityComparer.Default.Equals(targetType, sourceType))
                {
                    result.Add(ElementType(targetType) != null || IsStringList(targetType)
                        ? name + " = this." + name + " is null ? null : new " + targetType.ToDisplayString(TypeFormat) + "(this." + name + ")"
                        : name + " = this." + name);
                    continue;
                }

                if (customFieldUpdate != null && customFields != null && IsType(targetType, customFieldUpdate) && IsType(sourceType, customFields))
                {
                    result.Add(name + " = this." + name + " is null ? null : global::Aha.Client.CustomFieldUpdate.From(this." + name + ")");
                    continue;
                }

                // Fields Aha! takes in several forms (a name, an email, a comma-separated string or a list) are `object` on
                // the write side: they get the same reduced value as a string field, and lists are copied.
                if (targetType.SpecialType == SpecialType.System_Object)
                {
                    if (sourceType.SpecialType == SpecialType.System_String)
                    {
                        result.Add(name + " = this." + name);
                        continue;
                    }

                    if (IsStringList(sourceType) && ((INamedTypeSymbol)sourceType).TypeArguments[0].SpecialType == SpecialType.System_String)
                    {
                        result.Add(name + " = this." + name + " is null ? null : new global::System.Collections.Generic.List<string>(this." + name + ")");
                        continue;
                    }
                }

                if ((targetType.SpecialType == SpecialType.System_String || targetType.SpecialType == SpecialType.System_Object)
                    && sourceType is INamedTypeSymbol { TypeKind: TypeKind.Class } holder && ElementType(sourceType) == null && sourceType.SpecialType == SpecialType.None)
                {
                    var reduced = new[] { "Body", "Email", "ReferenceNum", "Name" }
                        .Select(n => PublicProperties(holder).FirstOrDefault(p => p.Name == n && p.Type.SpecialType == SpecialType.System_String))
                        .FirstOrDefault(p => p != null);
                    if (reduced != null)
                    {
                        result.Add(name + " = this." + name + "?." + Escape(reduced.Name));
                    }
                }
            }

            return result;
        }

        private static bool IsStringList(ITypeSymbol type)
            => type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
               && generic.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.List<T>";

        /// <summary>The only property of a wrapper type (<c>FeatureResponse.Feature</c>), if it is an object; else null.</summary>
        private static IPropertySymbol? SingleWrapped(INamedTypeSymbol type)
        {
            var properties = PublicProperties(type).Where(p => p.Name != "AdditionalProperties").ToList();
            return properties.Count == 1
                   && properties[0].Type is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } inner
                   && !IsCollection(inner)
                   && inner.ContainingNamespace.ToDisplayString() == type.ContainingNamespace.ToDisplayString()
                ? properties[0]
                : null;
        }

        /// <summary>
        /// A request body that wraps one record (<c>{"feature": {...}}</c>), possibly next to scalar body-level settings
        /// (<c>"fields"</c>); null when the body has another shape.
        /// </summary>
        private static (IPropertySymbol Inner, List<IPropertySymbol> Extras)? WrappedBody(INamedTypeSymbol type)
        {
            var properties = PublicProperties(type).Where(p => p.Name != "AdditionalProperties").ToList();
            var records = properties.Where(p => p.Type is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } t && !IsCollection(t)
                                                && t.ContainingNamespace.ToDisplayString() == type.ContainingNamespace.ToDisplayString()).ToList();
            if (records.Count != 1)
            {
                return null;
            }

            var extras = properties.Where(p => !SymbolEqualityComparer.Default.Equals(p, records[0])).ToList();
            var scalar = extras.All(p => p.SetMethod != null && (p.Type.SpecialType == SpecialType.System_String && p.NullableAnnotation == NullableAnnotation.Annotated
                || p.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }));
            return scalar ? (records[0], extras) : null;
        }

        private static string JsonName(IPropertySymbol property)
        {
            var attribute = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "JsonPropertyAttribute");
            return attribute?.ConstructorArguments.FirstOrDefault().Value as string ?? property.Name;
        }

        private static bool HasDefaultConstructor(INamedTypeSymbol type)
            => type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public);

        private static bool IsCollection(INamedTypeSymbol type)
            => type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.IEnumerable<T>");

        private static bool IsType(ITypeSymbol type, INamedTypeSymbol expected)
            => SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), expected);

        private static INamedTypeSymbol? TaskResult(ITypeSymbol type)
            => type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } task
               && task.OriginalDefinition.ToDisplayString() == "System.Threading.Tasks.Task<TResult>"
               && task.TypeArguments[0] is INamedTypeSymbol { TypeKind: TypeKind.Class } result
                ? result
                : null;

        internal static IEnumerable<IPropertySymbol> PublicProperties(INamedTypeSymbol type)
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
            return new ParameterModel(
                Escape(parameter.Name),
                parameter.Type.ToDisplayString(TypeFormat),
                defaultText,
                checkNotNull,
                isToken,
                ParamDoc(method, parameter.Name),
                Pascal(parameter.Name),
                parameter.Type.SpecialType == SpecialType.System_String);
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

        internal static string Pascal(string name)
        {
            var parts = name.TrimStart('@').Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries);
            return string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
        }

        internal static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

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

        /// <summary>The summary of a symbol's XML docs (a body property's description from the spec), or null.</summary>
        private static string? SummaryOf(ISymbol symbol)
        {
            var node = ParseDoc(symbol)?.Element("summary");
            var text = node is null ? null : InnerXml(node);
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        private static string? ParamDoc(IMethodSymbol method, string name)
        {
            var doc = ParseDoc(method);
            var node = doc?.Elements("param").FirstOrDefault(e => (string?)e.Attribute("name") == name);
            return node is null ? null : InnerXml(node);
        }

        private static XElement? ParseDoc(ISymbol symbol)
        {
            var xml = symbol.GetDocumentationCommentXml();
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
