using System;
using System.CodeDom.Compiler;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Aha.Client.Serialization
{
    /// <summary>
    /// A member value whose JSON shape the declared type cannot hold exactly (a string where a record is usual, an
    /// empty string or a timestamp in a date field, text in a timestamp field). The model that owns the member keeps
    /// <see cref="Raw"/> in its <c>AdditionalProperties</c> under the member's JSON name; where no model can keep it,
    /// the generated client reports it as an <c>AhaApiException</c> (deserialization failure).
    /// </summary>
    internal sealed class AhaUnexpectedShapeException : JsonSerializationException
    {
        public AhaUnexpectedShapeException(string message, JToken raw, string path)
            : base(message)
        {
            Raw = raw;
            MemberPath = path;
        }

        /// <summary>The JSON path of the value (its last segment is the member name of the model that may keep it).</summary>
        public string MemberPath { get; }

        /// <summary>Whether <paramref name="member"/> is the member this value was read for (not an ancestor's).</summary>
        public bool IsFor(string member) =>
            MemberPath == member || MemberPath.EndsWith("." + member, StringComparison.Ordinal) || MemberPath.EndsWith("['" + member + "']", StringComparison.Ordinal);

        /// <summary>The value exactly as Aha! sent it.</summary>
        public JToken Raw { get; }
    }

    /// <summary>
    /// Reads the generated models (classes generated from openapi/aha.yaml): a JSON object is read as usual; another
    /// shape is reported as <see cref="AhaUnexpectedShapeException"/> so the owning model keeps it verbatim. A
    /// single-record answer (<c>*Response</c>) that has members but none of its documented ones (no wrapper key such as
    /// <c>feature</c>) fails instead of giving a response whose record is silently <c>null</c>.
    /// </summary>
    internal sealed class AhaModelConverter : JsonConverter
    {
        private static readonly ConcurrentDictionary<Type, bool> Models = new ConcurrentDictionary<Type, bool>();

        public override bool CanWrite => false;

        public override bool CanConvert(Type objectType) => Models.GetOrAdd(objectType, IsGeneratedModel);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonToken.StartObject)
            {
                var raw = AhaJson.ReadVerbatim(reader);
                throw new AhaUnexpectedShapeException($"Expected a JSON object for {objectType.Name} at '{reader.Path}', got {raw.Type}: {Short(raw)}.", raw, reader.Path);
            }

            // A model is read with the client's own rules even under a caller's serializer (JsonConvert's defaults, an
            // application's settings): the member shape checks of AhaContractResolver and verbatim free-form values.
            var own = serializer.ContractResolver is AhaContractResolver ? serializer : AhaJson.Serializer;
            var contract = (JsonObjectContract)own.ContractResolver.ResolveContract(objectType);
            var model = existingValue ?? contract.DefaultCreator!();
            own.Populate(reader, model);
            if (objectType.Name.EndsWith("Response", StringComparison.Ordinal))
            {
                CheckWrapper(model, contract, reader.Path);
            }

            return model;
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
            throw new NotSupportedException("AhaModelConverter only reads.");

        private static void CheckWrapper(object model, JsonObjectContract contract, string path)
        {
            // An answer that carries members, none of them documented (the record's own attributes at the top level,
            // or the record under another key), would leave the record silently null. An empty answer has nothing to lose.
            var declared = contract.Properties.Where(p => !p.Ignored && p.Readable && p.ValueProvider != null).ToList();
            var extra = contract.ExtensionDataGetter?.Invoke(model)?.Cast<KeyValuePair<object, object>>().Select(p => "'" + p.Key + "'").ToList();
            if (declared.Count == 0 || extra is not { Count: > 0 } || declared.Any(p => p.ValueProvider!.GetValue(model) != null))
            {
                return;
            }

            var names = string.Join(", ", declared.Select(p => "'" + p.PropertyName + "'"));
            var got = "members " + string.Join(", ", extra.Take(8)) + (extra.Count > 8 ? ", ..." : string.Empty);
            throw new JsonSerializationException(
                $"The single-record answer has no {names} wrapper (got {got}{(path.Length > 0 ? " at '" + path + "'" : string.Empty)}): "
                + $"{contract.UnderlyingType.Name} cannot be read, and its record is not silently left null.");
        }

        private static bool IsGeneratedModel(Type type) =>
            type.IsClass && !type.IsAbstract && type.Assembly == typeof(AhaModelConverter).Assembly
            && type.Namespace == "Aha.Client"
            && type.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "NJsonSchema";

        internal static string Short(JToken raw)
        {
            var text = raw.ToString(Formatting.None);
            return text.Length <= 80 ? text : text.Substring(0, 80) + "…";
        }
    }

    /// <summary>
    /// Timestamps (<c>format: date-time</c>) as <see cref="DateTimeOffset"/>, independent of the machine's time zone and
    /// culture: ISO 8601 text is parsed with the invariant culture, a timestamp without a zone is taken as UTC, and a
    /// timestamp is written as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (Aha!'s own form; the offset instead of <c>Z</c> when it is
    /// not zero, seven fraction digits when milliseconds are not enough). Anything else is an unexpected shape.
    /// </summary>
    internal sealed class AhaDateTimeConverter : JsonConverter
    {
        private static readonly string[] Formats =
        {
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK",
            "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK",
        };

        public override bool CanConvert(Type objectType) => objectType == typeof(DateTimeOffset) || objectType == typeof(DateTimeOffset?);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null)
            {
                return objectType == typeof(DateTimeOffset) ? throw new AhaUnexpectedShapeException($"null is not a timestamp at '{reader.Path}'.", JValue.CreateNull(), reader.Path) : null;
            }

            if (reader.TokenType == JsonToken.Date && reader.Value is DateTimeOffset parsed)
            {
                return parsed;
            }

            if (reader.TokenType == JsonToken.Date && reader.Value is DateTime dateTime)
            {
                return dateTime.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dateTime, TimeSpan.Zero) : new DateTimeOffset(dateTime.ToUniversalTime(), TimeSpan.Zero);
            }

            if (reader.TokenType == JsonToken.String && TryParse((string)reader.Value!, out var value))
            {
                return value;
            }

            var raw = AhaJson.ReadVerbatim(reader);
            throw new AhaUnexpectedShapeException($"Expected an ISO 8601 timestamp at '{reader.Path}', got {AhaModelConverter.Short(raw)}.", raw, reader.Path);
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            if (value is DateTimeOffset timestamp)
            {
                writer.WriteValue(Format(timestamp));
            }
            else
            {
                writer.WriteNull();
            }
        }

        /// <summary>Parses ISO 8601 text; no zone means UTC.</summary>
        internal static bool TryParse(string text, out DateTimeOffset value) =>
            DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

        internal static string Format(DateTimeOffset timestamp)
        {
            var fraction = timestamp.Ticks % TimeSpan.TicksPerMillisecond == 0 ? "fff" : "fffffff";
            return timestamp.Offset == TimeSpan.Zero
                ? timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss." + fraction + "'Z'", CultureInfo.InvariantCulture)
                : timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss." + fraction + "zzz", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Day values (<c>format: date</c>) as <see cref="DateTimeOffset"/> at midnight UTC, read and written as
    /// <c>yyyy-MM-dd</c> with the invariant culture. Any other text (an empty string, a full timestamp) is an unexpected
    /// shape, kept verbatim by the owning model.
    /// </summary>
    internal sealed class AhaDateConverter : JsonConverter
    {
        public override bool CanConvert(Type objectType) => objectType == typeof(DateTimeOffset) || objectType == typeof(DateTimeOffset?);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null && objectType == typeof(DateTimeOffset?))
            {
                return null;
            }

            if (reader.TokenType == JsonToken.String
                && DateTime.TryParseExact((string)reader.Value!, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new DateTimeOffset(day, TimeSpan.Zero);
            }

            var raw = AhaJson.ReadVerbatim(reader);
            throw new AhaUnexpectedShapeException($"Expected a date (yyyy-MM-dd) at '{reader.Path}', got {AhaModelConverter.Short(raw)}.", raw, reader.Path);
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            if (value is DateTimeOffset day)
            {
                writer.WriteValue(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull();
            }
        }
    }

    /// <summary>The error hook of every generated model that keeps unknown attributes (called by the DTO template).</summary>
    internal static class AhaModelErrors
    {
        /// <summary>
        /// Keeps a member value of an unexpected shape verbatim in <paramref name="additionalProperties"/> under its JSON
        /// name (the typed property stays unset) instead of losing the whole answer.
        /// </summary>
        public static void KeepUnexpectedShape(object model, IDictionary<string, object> additionalProperties, ErrorContext errorContext)
        {
            if (errorContext.Handled || !ReferenceEquals(errorContext.OriginalObject, model) || errorContext.Member is not string member)
            {
                return;
            }

            if (errorContext.Error is AhaUnexpectedShapeException unexpected && unexpected.IsFor(member))
            {
                additionalProperties[member] = unexpected.Raw;
                errorContext.Handled = true;
            }
        }
    }
}
