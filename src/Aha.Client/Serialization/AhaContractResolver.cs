using System;
using System.CodeDom.Compiler;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Aha.Client.Serialization
{
    /// <summary>
    /// The contract resolver of every generated client: as Newtonsoft's default, plus a shape check on each member of a
    /// generated model whose type has no converter of its own (text, numbers, flags, lists, maps). A value of a shape
    /// that member cannot hold exactly (an object where text is usual, text where a list is usual, a fraction in a whole
    /// number, a flag in a text member) is reported as <see cref="AhaUnexpectedShapeException"/>, so the owning model keeps
    /// it verbatim in its <c>AdditionalProperties</c> and the rest of the answer is read. Members with a converter (records,
    /// timestamps, days, custom fields, pagination) check their own shapes.
    /// </summary>
    internal sealed class AhaContractResolver : DefaultContractResolver
    {
        /// <summary>The one instance: contracts are cached per resolver, so sharing it shares the cache.</summary>
        internal static readonly AhaContractResolver Instance = new AhaContractResolver();

        private AhaContractResolver()
        {
        }

        protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
        {
            var property = base.CreateProperty(member, memberSerialization);
            if (property.PropertyType is not { } type || property.DeclaringType is not { } owner || !IsGeneratedModel(owner))
            {
                return property;
            }

            if (property.Converter is null && ShapeGuardConverter.Kind(type) is { } kind)
            {
                property.Converter = new ShapeGuardConverter(type, kind);
            }
            else if (property.Converter is Newtonsoft.Json.Converters.StringEnumConverter names)
            {
                property.Converter = new EnumGuardConverter(names);
            }

            return property;
        }

        private static bool IsGeneratedModel(Type type) =>
            type.Assembly == typeof(AhaContractResolver).Assembly && type.Namespace == "Aha.Client"
            && type.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "NJsonSchema";
    }

    /// <summary>Reads one member of a generated model, reporting a value of the wrong shape instead of failing the answer.</summary>
    internal sealed class ShapeGuardConverter : JsonConverter
    {
        private readonly Type _type;
        private readonly ValueKind _kind;
        private readonly bool _nullable;

        // For a list of text, flags or numbers: the guard of one item (lists of records are read by the record converter),
        // and the list type built for the member (found once here, not per value read).
        private readonly ShapeGuardConverter? _item;
        private readonly Type? _listType;

        internal ShapeGuardConverter(Type type, ValueKind kind)
        {
            _type = type;
            _kind = kind;
            _nullable = !type.IsValueType || Nullable.GetUnderlyingType(type) != null;
            if (kind == ValueKind.List && ItemType(type) is { } itemType && Kind(itemType) is { } itemKind && itemKind < ValueKind.List
                && typeof(List<>).MakeGenericType(itemType) is var listType && type.IsAssignableFrom(listType))
            {
                _item = new ShapeGuardConverter(itemType, itemKind);
                _listType = listType;
            }
        }

        internal enum ValueKind
        {
            Text,
            Flag,
            Int32,
            Int64,
            Double,
            Decimal,
            List,
            Map,
        }

        public override bool CanWrite => false;

        public override bool CanConvert(Type objectType) => objectType == _type;

        /// <summary>The kind of member the guard checks, or null for types that check their own shape (or take any JSON).</summary>
        internal static ValueKind? Kind(Type type)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            if (t == typeof(string))
            {
                return ValueKind.Text;
            }

            if (t == typeof(bool))
            {
                return ValueKind.Flag;
            }

            if (t == typeof(int))
            {
                return ValueKind.Int32;
            }

            if (t == typeof(long))
            {
                return ValueKind.Int64;
            }

            if (t == typeof(double))
            {
                return ValueKind.Double;
            }

            if (t == typeof(decimal))
            {
                return ValueKind.Decimal;
            }

            if (t.GetCustomAttribute<JsonConverterAttribute>() != null || t == typeof(object) || typeof(JToken).IsAssignableFrom(t))
            {
                return null;
            }

            if (typeof(IDictionary).IsAssignableFrom(t) || IsGeneric(t, typeof(IDictionary<,>)))
            {
                return ValueKind.Map;
            }

            return typeof(IEnumerable).IsAssignableFrom(t) ? ValueKind.List : (ValueKind?)null;
        }

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            var token = reader.TokenType;
            if (token == JsonToken.Null || token == JsonToken.Undefined)
            {
                return _nullable ? null : Unexpected(reader, "null");
            }

            switch (_kind)
            {
                case ValueKind.Text:
                    switch (token)
                    {
                        case JsonToken.String:
                            return reader.Value;
                        case JsonToken.Integer:
                        case JsonToken.Float:
                            // An id or a code sent as a number: its exact digits (README, "What the models read and write back").
                            return Convert.ToString(reader.Value, CultureInfo.InvariantCulture);
                        default:
                            return Unexpected(reader, "text");
                    }

                case ValueKind.Flag:
                    // Only a JSON boolean: "true" or 1 would be written back in another form.
                    return token == JsonToken.Boolean ? reader.Value : Unexpected(reader, "true or false");

                case ValueKind.Int32:
                case ValueKind.Int64:
                case ValueKind.Double:
                case ValueKind.Decimal:
                    return ReadNumber(reader) ?? Unexpected(reader, _kind == ValueKind.Int32 || _kind == ValueKind.Int64 ? "a whole number" : "a number");

                case ValueKind.List:
                    if (token != JsonToken.StartArray)
                    {
                        return Unexpected(reader, "a list");
                    }

                    return _item is { } item ? ReadScalarList(reader, item) : serializer.Deserialize(reader, _type);

                default:
                    return token == JsonToken.StartObject ? serializer.Deserialize(reader, _type) : Unexpected(reader, "an object");
            }
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
            throw new NotSupportedException("The shape guard only reads.");

        private static bool IsGeneric(Type t, Type definition)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == definition)
            {
                return true;
            }

            foreach (var i in t.GetInterfaces())
            {
                if (i.IsGenericType && i.GetGenericTypeDefinition() == definition)
                {
                    return true;
                }
            }

            return false;
        }

        private static Type? ItemType(Type t)
        {
            if (t.IsGenericType && t.GetGenericArguments().Length == 1)
            {
                return t.GetGenericArguments()[0];
            }

            foreach (var i in t.GetInterfaces())
            {
                if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                {
                    return i.GetGenericArguments()[0];
                }
            }

            return null;
        }

        // A list of scalars: read whole, then item by item; one item of another shape keeps the whole list verbatim.
        private object ReadScalarList(JsonReader reader, ShapeGuardConverter item)
        {
            var raw = (JArray)AhaJson.ReadVerbatim(reader);
            var list = (IList)Activator.CreateInstance(_listType!)!;
            foreach (var element in raw)
            {
                if (!item.TryConvert(element, out var value))
                {
                    throw new AhaUnexpectedShapeException($"Expected a list of {item._kind} at '{reader.Path}', got an item {element.Type}: {AhaModelConverter.Short(element)}.", raw, reader.Path);
                }

                list.Add(value);
            }

            return list;
        }

        // One scalar item of a list, by the same rules as a member.
        private bool TryConvert(JToken element, out object? value)
        {
            value = null;
            if (element.Type == JTokenType.Null)
            {
                return _nullable;
            }

            if (element is not JValue scalar)
            {
                return false;
            }

            switch (_kind)
            {
                case ValueKind.Text:
                    if (scalar.Type == JTokenType.String)
                    {
                        value = (string?)scalar.Value;
                        return true;
                    }

                    if (scalar.Type == JTokenType.Integer || scalar.Type == JTokenType.Float)
                    {
                        value = Convert.ToString(scalar.Value, CultureInfo.InvariantCulture);
                        return true;
                    }

                    return false;
                case ValueKind.Flag:
                    value = scalar.Type == JTokenType.Boolean ? scalar.Value : null;
                    return value != null;
                default:
                    value = scalar.Type switch
                    {
                        JTokenType.Integer => FromInteger(scalar.Value is BigInteger big ? big : new BigInteger(Convert.ToInt64(scalar.Value, CultureInfo.InvariantCulture))),
                        JTokenType.Float => FromDouble(Convert.ToDouble(scalar.Value, CultureInfo.InvariantCulture), scalar.Value),
                        _ => null,
                    };
                    return value != null;
            }
        }

        // The member's number, or null when the value is not one the member can hold exactly.
        private object? ReadNumber(JsonReader reader)
        {
            var value = reader.Value;
            switch (reader.TokenType)
            {
                case JsonToken.Integer:
                    return FromInteger(value is BigInteger big ? big : new BigInteger(Convert.ToInt64(value, CultureInfo.InvariantCulture)));
                case JsonToken.Float:
                    return FromDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture), value);
                case JsonToken.String:
                    // Numbers sent as decimal text ("55000.0"): read as the number, as Aha! means them.
                    var text = (string)value!;
                    if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                    {
                        return FromInteger(whole);
                    }

                    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && !double.IsInfinity(real)
                        ? FromDouble(real, text)
                        : null;
                default:
                    return null;
            }
        }

        private object? FromInteger(BigInteger value) => _kind switch
        {
            ValueKind.Int32 => value >= int.MinValue && value <= int.MaxValue ? (int)value : null,
            ValueKind.Int64 => value >= long.MinValue && value <= long.MaxValue ? (long)value : null,
            ValueKind.Double => (double)value,
            _ => value >= (BigInteger)decimal.MinValue && value <= (BigInteger)decimal.MaxValue ? (decimal)value : null,
        };

        private object? FromDouble(double value, object? sent)
        {
            switch (_kind)
            {
                case ValueKind.Double:
                    return value;
                case ValueKind.Decimal:
                    return sent is string s && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) ? exact : (decimal)value;
                default:
                    return Math.Floor(value) == value && !double.IsInfinity(value) ? FromInteger(new BigInteger(value)) : null;
            }
        }

        private static object? Unexpected(JsonReader reader, string expected)
        {
            var raw = AhaJson.ReadVerbatim(reader);
            throw new AhaUnexpectedShapeException($"Expected {expected} at '{reader.Path}', got {raw.Type}: {AhaModelConverter.Short(raw)}.", raw, reader.Path);
        }
    }
}

namespace Aha.Client.Serialization
{
    /// <summary>
    /// A member whose values are named (an enumeration): a name the library does not know (one Aha! added later, an empty
    /// string) is reported as an unexpected shape, so the record keeps it verbatim instead of the answer failing.
    /// </summary>
    internal sealed class EnumGuardConverter : JsonConverter
    {
        private readonly JsonConverter _names;

        internal EnumGuardConverter(JsonConverter names) => _names = names;

        public override bool CanConvert(Type objectType) => _names.CanConvert(objectType);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.StartObject || reader.TokenType == JsonToken.StartArray)
            {
                var raw = AhaJson.ReadVerbatim(reader);
                throw new AhaUnexpectedShapeException($"Expected one of the names of {objectType.Name} at '{reader.Path}', got {raw.Type}: {AhaModelConverter.Short(raw)}.", raw, reader.Path);
            }

            try
            {
                return _names.ReadJson(reader, objectType, existingValue, serializer);
            }
            catch (JsonSerializationException ex)
            {
                // A scalar: the reader is still on it, nothing past it was read.
                var raw = new JValue(reader.Value);
                throw new AhaUnexpectedShapeException($"Expected one of the names of {objectType.Name} at '{reader.Path}', got {AhaModelConverter.Short(raw)} ({ex.Message})", raw, reader.Path);
            }
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) => _names.WriteJson(writer, value, serializer);
    }
}
