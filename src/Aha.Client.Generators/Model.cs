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
    /// <summary>Everything the emitter needs about one NSwag client class: plain, equatable data (no symbols), so the incremental pipeline caches it.</summary>
    internal sealed record ClientModel(
        string Namespace,
        string ClassName,
        string InterfaceFullName,
        string InterfaceName,
        bool IsPublic,
        bool ImplementSerializerHook,
        bool ImplementResponseHook,
        EquatableArray<PagedListMethod> Lists,
        EquatableArray<CustomFieldsUpdateMethod> Updates,
        EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>A parameter of a generated method, as it is re-declared on a wrapper.</summary>
    internal sealed record ParameterModel(string Name, string Type, string? DefaultText, bool CheckNotNull, bool IsCancellationToken, string? Doc);

    /// <summary>A list method with <c>page</c>/<c>perPage</c> parameters and the shape of its response.</summary>
    internal sealed record PagedListMethod(
        string MethodName,
        string WrapperName,
        string ResponseType,
        string ItemType,
        string ItemsExpression,
        string PaginationExpression,
        string? IdExpression,
        string PageParameter,
        string PerPageParameter,
        EquatableArray<ParameterModel> Parameters,
        string? Summary,
        string? FieldsParameter = null,
        bool ClearableId = false);

    /// <summary>A PUT whose request body carries a <c>CustomFieldUpdate</c>, and the path from the body to it.</summary>
    internal sealed record CustomFieldsUpdateMethod(
        string MethodName,
        string WrapperName,
        string ReturnType,
        string BodyParameter,
        string BodyType,
        string? WrapperProperty,
        string? WrapperType,
        string CustomFieldsProperty,
        EquatableArray<ParameterModel> Parameters,
        string? Summary);

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
