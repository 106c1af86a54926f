using System;
using System.Collections.Generic;
using System.Globalization;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>
    /// Position of a page in an Aha! list (<c>{"total_records", "total_pages", "current_page"}</c>, sometimes with
    /// <c>per_page</c>, <c>next_page</c> and <c>prev_page</c>). Hand-written (excluded from NSwag generation) because
    /// Aha! sends it in several shapes: an object, an array of one object, or under <c>meta.pagination</c>; all are
    /// read into this type, and it is written back as the canonical object.
    /// </summary>
    [JsonConverter(typeof(PaginationConverter))]
    public sealed class Pagination
    {
        /// <summary>Number of records in the whole list.</summary>
        public int TotalRecords { get; set; }

        /// <summary>Number of pages in the whole list (0 for an empty list).</summary>
        public int TotalPages { get; set; }

        /// <summary>The 1-based number of this page.</summary>
        public int CurrentPage { get; set; }

        /// <summary>The page size the server used, when it says so.</summary>
        public int? PerPage { get; set; }

        /// <summary>The next page number, when the server says so (<c>null</c> on the last page).</summary>
        public int? NextPage { get; set; }

        /// <summary>The previous page number, when the server says so.</summary>
        public int? PrevPage { get; set; }

        /// <summary>Which members the server actually sent (a member not sent keeps its default value).</summary>
        public PaginationMembers Present { get; set; }

        /// <summary>Members not named above, kept as sent.</summary>
        public IDictionary<string, JToken> AdditionalProperties { get; set; } = new Dictionary<string, JToken>(StringComparer.Ordinal);

        /// <summary>
        /// The pagination of a list response, wherever the server put it: the top-level <c>pagination</c> (object or
        /// one-element array), <c>meta.pagination</c>, or either of those among the response's unknown attributes.
        /// Used by the generated <c>ListAll...Async</c> wrappers; <c>null</c> means the list is a single page.
        /// </summary>
        /// <param name="pagination">The response's <c>pagination</c> property, if its type has one.</param>
        /// <param name="metaPagination">The response's <c>meta.pagination</c>, if its type has one.</param>
        /// <param name="additionalProperties">The response's unknown attributes, if its type keeps them.</param>
        /// <returns>The pagination, or <c>null</c> when the response has none.</returns>
        public static Pagination? Find(Pagination? pagination, Pagination? metaPagination, IDictionary<string, object>? additionalProperties)
        {
            // A pagination with no known member (an empty array, a string) counts as none.
            if (pagination != null && pagination.Present != PaginationMembers.None)
            {
                return pagination;
            }

            if (metaPagination != null && metaPagination.Present != PaginationMembers.None)
            {
                return metaPagination;
            }

            if (additionalProperties is null)
            {
                return null;
            }

            if (additionalProperties.TryGetValue("pagination", out var top) && FromUntyped(top) is { Present: not PaginationMembers.None } fromTop)
            {
                return fromTop;
            }

            if (additionalProperties.TryGetValue("meta", out var meta) && meta is JObject metaObject
                && metaObject.TryGetValue("pagination", StringComparison.Ordinal, out var nested)
                && FromToken(nested) is { Present: not PaginationMembers.None } fromMeta)
            {
                return fromMeta;
            }

            return null;
        }

        private static Pagination? FromUntyped(object? value) => value switch
        {
            null => null,
            Pagination p => p,
            JToken token => FromToken(token),
            _ => null,
        };

        /// <summary>Reads any of the pagination shapes from a JSON token; <c>null</c> for null, an empty array or a non-object.</summary>
        /// <param name="token">The token.</param>
        /// <returns>The pagination or <c>null</c>.</returns>
        public static Pagination? FromToken(JToken? token)
        {
            var read = Read(token);
            if (read != null)
            {
                read._sent = token!.DeepClone();
            }

            return read;
        }

        private static Pagination? Read(JToken? token)
        {
            switch (token)
            {
                case JObject obj:
                    return FromObject(obj);
                case JArray array:
                    // The overview prints "pagination": [ { ... } ]: take the first object.
                    foreach (var element in array)
                    {
                        if (element is JObject first)
                        {
                            return FromObject(first);
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        private static Pagination FromObject(JObject obj)
        {
            var result = new Pagination();
            foreach (var property in obj.Properties())
            {
                switch (property.Name)
                {
                    case "total_records":
                        if (ReadInt(property.Value) is { } records)
                        {
                            result.TotalRecords = records;
                            result.Present |= PaginationMembers.TotalRecords;
                        }

                        break;
                    case "total_pages":
                        if (ReadInt(property.Value) is { } pages)
                        {
                            result.TotalPages = pages;
                            result.Present |= PaginationMembers.TotalPages;
                        }

                        break;
                    case "current_page":
                        if (ReadInt(property.Value) is { } current)
                        {
                            result.CurrentPage = current;
                            result.Present |= PaginationMembers.CurrentPage;
                        }

                        break;
                    case "per_page":
                        result.PerPage = ReadInt(property.Value);
                        result.Present |= PaginationMembers.PerPage;
                        break;
                    case "next_page":
                        result.NextPage = ReadInt(property.Value);
                        result.Present |= PaginationMembers.NextPage;
                        break;
                    case "prev_page":
                        result.PrevPage = ReadInt(property.Value);
                        result.Present |= PaginationMembers.PrevPage;
                        break;
                    default:
                        result.AdditionalProperties[property.Name] = property.Value.DeepClone();
                        break;
                }
            }

            return result;
        }

        // Lenient: numbers, numeric strings; anything else is "not sent".
        private static int? ReadInt(JToken token)
        {
            switch (token.Type)
            {
                case JTokenType.Integer:
                    var value = token.Value<object>();
                    if (value is long l)
                    {
                        return l > int.MaxValue ? int.MaxValue : l < int.MinValue ? int.MinValue : (int)l;
                    }

                    return value is System.Numerics.BigInteger big ? (big.Sign > 0 ? int.MaxValue : int.MinValue) : Convert.ToInt32(value, CultureInfo.InvariantCulture);
                case JTokenType.Float:
                    var d = token.Value<double>();
                    return double.IsNaN(d) ? (int?)null : (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, Math.Floor(d)));
                case JTokenType.String:
                    return int.TryParse(token.Value<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
                default:
                    return null;
            }
        }

        // The pagination exactly as Aha! sent it (its shape and every value), written back while nothing was changed.
        private JToken? _sent;

        /// <summary>
        /// What is written back: the pagination exactly as it was read (an array, a string page number, a member sent as
        /// <c>null</c>) while its values are unchanged; the canonical object once a value was changed or for a new one.
        /// </summary>
        internal JToken ToToken()
        {
            var canonical = ToJObject();
            if (_sent != null && (Read(_sent) ?? new Pagination()).ToJObject() is var asRead && JToken.DeepEquals(asRead, canonical))
            {
                return _sent.DeepClone();
            }

            return canonical;
        }

        /// <summary>An unreadable pagination (not an object nor an array holding one): no member present, kept as sent.</summary>
        internal static Pagination Unreadable(JToken token) => new Pagination { _sent = token };

        internal JObject ToJObject()
        {
            var obj = new JObject
            {
                ["total_records"] = TotalRecords,
                ["total_pages"] = TotalPages,
                ["current_page"] = CurrentPage,
            };
            if ((Present & PaginationMembers.PerPage) != 0 || PerPage.HasValue)
            {
                obj["per_page"] = PerPage;
            }

            if ((Present & PaginationMembers.NextPage) != 0 || NextPage.HasValue)
            {
                obj["next_page"] = NextPage;
            }

            if ((Present & PaginationMembers.PrevPage) != 0 || PrevPage.HasValue)
            {
                obj["prev_page"] = PrevPage;
            }

            foreach (var pair in AdditionalProperties)
            {
                obj[pair.Key] = pair.Value?.DeepClone();
            }

            return obj;
        }

        /// <inheritdoc />
        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "page {0} of {1} ({2} records)", CurrentPage, TotalPages, TotalRecords);
    }

    /// <summary>The members of a <see cref="Pagination"/> that the server sent.</summary>
    [Flags]
    public enum PaginationMembers
    {
        /// <summary>None.</summary>
        None = 0,

        /// <summary><c>total_records</c>.</summary>
        TotalRecords = 1,

        /// <summary><c>total_pages</c>.</summary>
        TotalPages = 2,

        /// <summary><c>current_page</c>.</summary>
        CurrentPage = 4,

        /// <summary><c>per_page</c>.</summary>
        PerPage = 8,

        /// <summary><c>next_page</c>.</summary>
        NextPage = 16,

        /// <summary><c>prev_page</c>.</summary>
        PrevPage = 32,
    }

    /// <summary>Reads every pagination shape (object, one-element array, null); writes back what was read while unchanged, else the canonical object.</summary>
    internal sealed class PaginationConverter : JsonConverter
    {
        public override bool CanConvert(Type objectType) => objectType == typeof(Pagination);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null || reader.TokenType == JsonToken.Undefined)
            {
                return null;
            }

            // Never null for a non-null token: Newtonsoft would then hand the consumed value to the extension data
            // and fail. An unreadable shape becomes a pagination with no member present, which Find ignores.
            var token = AhaJson.ReadVerbatim(reader);
            return Pagination.FromToken(token) ?? Pagination.Unreadable(token);
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            if (value is Pagination pagination)
            {
                pagination.ToToken().WriteTo(writer);
            }
            else
            {
                writer.WriteNull();
            }
        }
    }
}
