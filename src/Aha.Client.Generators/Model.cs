using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace System.Runtime.CompilerServices
{
    // netstandard2.0 polyfill so that records compile.
    internal static class IsExternalInit
    {
    }
}

namespace Aha.Client.Generators
{
    /// <summary>
    /// Everything the emitter needs about one NSwag client class (the internal <c>FeaturesRestClient</c>) and the public
    /// client it is wrapped in (<c>FeaturesClient</c>): plain, equatable data (no symbols), so the incremental pipeline caches it.
    /// </summary>
    internal sealed record ClientModel(
        string Namespace,
        string RestClassName,
        string PublicClassName,
        bool ImplementSerializerHook,
        bool ImplementRequestHooks,
        bool SignalPageResponses,
        EquatableArray<OperationModel> Operations,
        EquatableArray<PagedListMethod> Lists,
        EquatableArray<CustomFieldsUpdateMethod> Updates,
        EquatableArray<ToUpdateModel> ToUpdates,
        EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>A parameter of a generated method, as it is re-declared on a wrapper.</summary>
    internal sealed record ParameterModel(string Name, string Type, string? DefaultText, bool CheckNotNull, bool IsCancellationToken, string? Doc, string PropertyName, bool IsString);

    /// <summary>One operation of the spec: the NSwag method it is sent with and the public shape it is given.</summary>
    internal sealed record OperationModel(
        string MethodName,
        string Stem,
        string Verb,
        string? Summary,
        string? Remarks,
        string OptionsType,
        EquatableArray<ParameterModel> PathParameters,
        EquatableArray<ParameterModel> QueryParameters,
        ParameterModel? Body,
        string? BodyWrapperType,
        string? BodyWrapperProperty,
        EquatableArray<ParameterModel> BodyExtras,
        string? ResultType,
        string? ResultWrapperProperty,
        string? ResultWrapperJsonName,
        string? RestResultType,
        EquatableArray<string> RestArgumentOrder,
        bool CanTryGet,
        bool IsDeprecated = false);

    /// <summary>A list operation with <c>page</c>/<c>perPage</c> and the shape of its response.</summary>
    internal sealed record PagedListMethod(
        string MethodName,
        string WrapperName,
        string ResponseType,
        string ItemType,
        string ItemsExpression,
        string PaginationExpression,
        string? IdExpression,
        string OptionsType,
        string PageProperty,
        string PerPageProperty,
        EquatableArray<ParameterModel> PathParameters,
        string? Summary,
        string? FieldsProperty = null,
        string? AfterIdProperty = null,
        bool IsDeprecated = false);

    /// <summary>An update whose body reaches a <c>CustomFieldUpdate</c>, and how to build that body.</summary>
    internal sealed record CustomFieldsUpdateMethod(
        string MethodName,
        string WrapperName,
        string ReturnType,
        string BodyExpressionFormat,
        string OptionsType,
        EquatableArray<ParameterModel> PathParameters,
        bool HasBody,
        string? Summary,
        bool IsDeprecated = false);

    /// <summary>A read model that can be turned into the update model of the same client.</summary>
    internal sealed record ToUpdateModel(string ReadType, string UpdateType, string UpdateMethod, EquatableArray<string> Assignments);

    /// <summary>A diagnostic as data (a <see cref="Location"/> is not cache-friendly).</summary>
    internal sealed record DiagnosticInfo(string Id, string Message, string? FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static DiagnosticInfo Create(string id, string message, Location? location)
        {
            var lineSpan = location?.GetLineSpan();
            return new DiagnosticInfo(id, message, location?.SourceTree?.FilePath, location?.SourceSpan ?? default, lineSpan?.Span ?? default);
        }

        public Location ToLocation() => FilePath is null ? Location.None : Location.Create(FilePath, Span, LineSpan);
    }

    /// <summary>An immutable array with value equality, for incremental-generator models.</summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
        where T : IEquatable<T>
    {
        private readonly T[]? _items;

        public EquatableArray(IEnumerable<T> items) => _items = items.ToArray();

        public int Count => _items?.Length ?? 0;

        public T this[int index] => (_items ?? Array.Empty<T>())[index];

        public bool Equals(EquatableArray<T> other) => (_items ?? Array.Empty<T>()).SequenceEqual(other._items ?? Array.Empty<T>());

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            var hash = 17;
            foreach (var item in _items ?? Array.Empty<T>())
            {
                hash = unchecked((hash * 31) + (item?.GetHashCode() ?? 0));
            }

            return hash;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

namespace Aha.Client.Generators
{
    /// <summary>A model class (NJsonSchema-generated) that gets a <c>ToString()</c>: the properties it is described by.</summary>
    internal sealed record ModelInfo(string Namespace, string Name, string? IdProperty, string? ReferenceProperty, string? NameProperty);
}
