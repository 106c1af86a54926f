using System;
using System.Collections.Generic;
using System.Globalization;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>
    /// One custom field of a record, read-only: its <see cref="Key"/>, declared <see cref="Type"/> and value, with
    /// typed accessors (<see cref="AsString"/>, <see cref="AsNumber"/>, <see cref="AsDate"/>, <see cref="AsStrings"/>,
    /// <see cref="AsUsers"/>, <see cref="AsHtml"/>, <see cref="As{T}"/>) and the raw JSON (<see cref="ValueJson"/>).
    /// </summary>
    /// <remarks>
    /// The accessors read the value as it is, whatever the declared type says; a value that does not fit throws a
    /// <see cref="CustomFieldConversionException"/> naming the key, the declared type and the JSON. An absent or
    /// <c>null</c> value reads as <c>null</c> (or an empty list). Types Aha! may add later are kept as raw JSON.
    /// </remarks>
#if NET8_0_OR_GREATER
    [System.Text.Json.Serialization.JsonConverter(typeof(Serialization.SystemTextJsonBridge))]
#endif
    [JsonConverter(typeof(CustomFieldValueConverter))]
    public sealed class CustomFieldValue
    {
        private readonly JObject _item;
        private readonly JToken? _value;

        internal CustomFieldValue(JObject item, string key, JToken? value, bool fromObjectForm)
        {
            _item = item;
            Key = key;
            _value = value;
            FromObjectForm = fromObjectForm;
        }

        /// <summary>The field key (<c>priority</c>): the name used to read and to write it.</summary>
        public string Key { get; }

        /// <summary>The field's display name, when sent.</summary>
        public string? Name => StringMember("name");

        /// <summary>The declared type (see <see cref="CustomFieldType"/>); <c>null</c> when not sent (object-form fields).</summary>
        public string? Type => StringMember("type");

        /// <summary>The field id, as a string also when Aha! sent a number; <c>null</c> when not sent.</summary>
        public string? Id => StringMember("id");

        /// <summary>When the value was last changed, from <c>updatedAt</c> or <c>updated_at</c>.</summary>
        public DateTimeOffset? UpdatedAt => DateMember("updatedAt") ?? DateMember("updated_at");

        /// <summary>When the value was created (<c>created_at</c>, sent for notes).</summary>
        public DateTimeOffset? CreatedAt => DateMember("created_at");

        /// <summary>The HTML body of a note field (<c>body</c>), when sent.</summary>
        public string? Body => StringMember("body");

        /// <summary>Whether the field carries a <c>value</c> member at all (attachment fields do not).</summary>
        public bool HasValueMember => _value != null;

        /// <summary>Whether the value is present and not JSON <c>null</c>.</summary>
        public bool HasValue => _value != null && _value.Type != JTokenType.Null;

        /// <summary>The value exactly as sent, as compact JSON (<c>null</c> when absent).</summary>
        public string ValueJson => AhaJson.ToJson(_value);

        /// <summary>A copy of the value exactly as sent (<c>null</c> when absent).</summary>
        public JToken? RawValue => _value?.DeepClone();

        /// <summary>A copy of the whole field object as sent (for the object form: <c>{"key", "value"}</c>).</summary>
        public JObject Raw => (JObject)_item.DeepClone();

        /// <summary>Whether the record sent its custom fields as an object (<c>{"key": value}</c>, idea organizations).</summary>
        public bool FromObjectForm { get; }

        internal JToken? ValueToken => _value;

        internal JObject Item => _item;

        /// <summary>The value as text: a string as is, a number or boolean as its JSON text.</summary>
        /// <returns>The text, or <c>null</c> when the value is absent or null.</returns>
        /// <exception cref="CustomFieldConversionException">The value is an array or object.</exception>
        public string? AsString()
        {
            switch (_value?.Type)
            {
                case null:
                case JTokenType.Null:
                    return null;
                case JTokenType.String:
                    return (string?)_value;
                case JTokenType.Integer:
                case JTokenType.Float:
                case JTokenType.Boolean:
                    return _value.ToString(Formatting.None);
                default:
                    throw Mismatch("a string");
            }
        }

        /// <summary>The value as a number: a JSON number, or a string holding one (invariant culture).</summary>
        /// <returns>The number, or <c>null</c> when the value is absent, null or an empty string.</returns>
        /// <exception cref="CustomFieldConversionException">The value is not a number.</exception>
        public decimal? AsNumber()
        {
            switch (_value?.Type)
            {
                case null:
                case JTokenType.Null:
                    return null;
                case JTokenType.Integer:
                case JTokenType.Float:
                    if (decimal.TryParse(_value.ToString(Formatting.None), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    {
                        return number;
                    }

                    throw Mismatch("a number (outside the range of decimal)");
                case JTokenType.String:
                    var text = ((string?)_value)?.Trim();
                    if (string.IsNullOrEmpty(text))
                    {
                        return null;
                    }

                    if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }

                    throw Mismatch("a number");
                default:
                    throw Mismatch("a number");
            }
        }

        /// <summary>
        /// The value as a calendar date: <c>yyyy-MM-dd</c>, or the date part (as written) of an ISO 8601 timestamp.
        /// </summary>
        /// <returns>The date (time 00:00, <see cref="DateTimeKind.Unspecified"/>), or <c>null</c> when absent, null or empty.</returns>
        /// <exception cref="CustomFieldConversionException">The value is not a date.</exception>
        public DateTime? AsDate()
        {
            var text = DateText("a date");
            if (text is null)
            {
                return null;
            }

            if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp))
            {
                return DateTime.SpecifyKind(timestamp.Date, DateTimeKind.Unspecified);
            }

            throw Mismatch("a date");
        }

        /// <summary>The value as a point in time (an ISO 8601 timestamp; a plain date is midnight UTC).</summary>
        /// <returns>The timestamp, or <c>null</c> when absent, null or empty.</returns>
        /// <exception cref="CustomFieldConversionException">The value is not a date or timestamp.</exception>
        public DateTimeOffset? AsDateTimeOffset()
        {
            var text = DateText("a timestamp");
            if (text is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                return timestamp;
            }

            throw Mismatch("a timestamp");
        }

        /// <summary>
        /// The value as a list of strings (multiple choice, tags): an array of strings or scalars; a single string is
        /// a list of one.
        /// </summary>
        /// <returns>The strings; empty when the value is absent or null.</returns>
        /// <exception cref="CustomFieldConversionException">The value is an object, or an array holding objects or arrays.</exception>
        public IReadOnlyList<string> AsStrings()
        {
            switch (_value?.Type)
            {
                case null:
                case JTokenType.Null:
                    return Array.Empty<string>();
                case JTokenType.String:
                case JTokenType.Integer:
                case JTokenType.Float:
                case JTokenType.Boolean:
                    return new[] { AsString()! };
                case JTokenType.Array:
                    var result = new List<string>();
                    foreach (var element in (JArray)_value)
                    {
                        switch (element.Type)
                        {
                            case JTokenType.String:
                                result.Add((string)element!);
                                break;
                            case JTokenType.Integer:
                            case JTokenType.Float:
                            case JTokenType.Boolean:
                                result.Add(element.ToString(Formatting.None));
                                break;
                            case JTokenType.Null:
                                break;
                            default:
                                throw Mismatch("a list of strings");
                        }
                    }

                    return result;
                default:
                    throw Mismatch("a list of strings");
            }
        }

        /// <summary>
        /// The value as users: user objects (<c>{"id", "name", "email"}</c>), one object, or ids/emails as strings or
        /// numbers.
        /// </summary>
        /// <returns>The users; empty when the value is absent or null.</returns>
        /// <exception cref="CustomFieldConversionException">The value holds something else.</exception>
        public IReadOnlyList<CustomFieldUser> AsUsers()
        {
            switch (_value?.Type)
            {
                case null:
                case JTokenType.Null:
                    return Array.Empty<CustomFieldUser>();
                case JTokenType.Array:
                    var users = new List<CustomFieldUser>();
                    foreach (var element in (JArray)_value)
                    {
                        if (element.Type != JTokenType.Null)
                        {
                            users.Add(ToUser(element) ?? throw Mismatch("users"));
                        }
                    }

                    return users;
                default:
                    return new[] { ToUser(_value) ?? throw Mismatch("users") };
            }
        }

        /// <summary>The value as one user (a user object, an id or email, or an array of exactly one).</summary>
        /// <returns>The user, or <c>null</c> when the value is absent, null or an empty array.</returns>
        /// <exception cref="CustomFieldConversionException">The value holds something else, or several users.</exception>
        public CustomFieldUser? AsUser()
        {
            var users = AsUsers();
            return users.Count switch
            {
                0 => null,
                1 => users[0],
                _ => throw Mismatch("a single user"),
            };
        }

        /// <summary>The HTML of a note field: the value when it is a string, else the <c>body</c> member.</summary>
        /// <returns>The HTML, or <c>null</c> when there is none.</returns>
        /// <exception cref="CustomFieldConversionException">The value is a number, array or object without <c>body</c>.</exception>
        public string? AsHtml()
        {
            switch (_value?.Type)
            {
                case null:
                case JTokenType.Null:
                    return Body;
                case JTokenType.String:
                    return (string?)_value;
                case JTokenType.Object when ((JObject)_value).TryGetValue("body", StringComparison.Ordinal, out var body) && body.Type == JTokenType.String:
                    return (string?)body;
                default:
                    throw Mismatch("HTML");
            }
        }

        /// <summary>
        /// Deserializes the value into <typeparamref name="T"/> with the client's JSON settings (for equation sheets,
        /// worksheets and types this SDK does not know).
        /// </summary>
        /// <typeparam name="T">The target type (a DTO, <see cref="JObject"/>, a dictionary, ...).</typeparam>
        /// <returns>The value, or <c>default</c> when absent or null.</returns>
        /// <exception cref="CustomFieldConversionException">The JSON does not fit <typeparamref name="T"/>.</exception>
        public T? As<T>()
        {
            if (!HasValue)
            {
                return default;
            }

            try
            {
                return _value!.ToObject<T>(AhaJson.Serializer);
            }
            catch (Exception ex) when (ex is JsonException || ex is FormatException || ex is InvalidCastException || ex is OverflowException || ex is ArgumentException)
            {
                throw new CustomFieldConversionException(Key, Type, typeof(T).Name, ValueJson, ex);
            }
        }

        /// <summary>
        /// Deserializes any member of the field object (for example <c>score_facts</c> or <c>attachments</c>).
        /// </summary>
        /// <typeparam name="T">The target type.</typeparam>
        /// <param name="member">The JSON member name.</param>
        /// <returns>The member, or <c>default</c> when absent or null.</returns>
        /// <exception cref="CustomFieldConversionException">The JSON does not fit <typeparamref name="T"/>.</exception>
        public T? GetMember<T>(string member)
        {
            if (!_item.TryGetValue(member, StringComparison.Ordinal, out var token) || token.Type == JTokenType.Null)
            {
                return default;
            }

            try
            {
                return token.ToObject<T>(AhaJson.Serializer);
            }
            catch (Exception ex) when (ex is JsonException || ex is FormatException || ex is InvalidCastException || ex is OverflowException || ex is ArgumentException)
            {
                throw new CustomFieldConversionException(Key, Type, typeof(T).Name + " (member '" + member + "')", AhaJson.ToJson(token), ex);
            }
        }

        /// <inheritdoc />
        public override string ToString() => Key + " (" + (Type ?? "untyped") + ") = " + ValueJson;

        private string? DateText(string requested)
        {
            switch (_value?.Type)
            {
                case null:
                case JTokenType.Null:
                    return null;
                case JTokenType.String:
                    var text = ((string?)_value)?.Trim();
                    return string.IsNullOrEmpty(text) ? null : text;
                case JTokenType.Date:
                    // Only under settings that parse dates (not the client's): normalise back to ISO text.
                    return _value.ToString(Formatting.None).Trim('"');
                default:
                    throw Mismatch(requested);
            }
        }

        private CustomFieldConversionException Mismatch(string requested) => new CustomFieldConversionException(Key, Type, requested, ValueJson);

        private string? StringMember(string name)
        {
            if (!_item.TryGetValue(name, StringComparison.Ordinal, out var token))
            {
                return null;
            }

            return token.Type switch
            {
                JTokenType.String => (string?)token,
                JTokenType.Integer or JTokenType.Float or JTokenType.Boolean => token.ToString(Formatting.None),
                _ => null,
            };
        }

        private DateTimeOffset? DateMember(string name)
        {
            var text = StringMember(name);
            return text != null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : (DateTimeOffset?)null;
        }

        private static CustomFieldUser? ToUser(JToken token)
        {
            switch (token.Type)
            {
                case JTokenType.Object:
                    var obj = (JObject)token;
                    var (id, name, email) = (Scalar(obj, "id"), Scalar(obj, "name"), Scalar(obj, "email"));
                    return id is null && name is null && email is null ? null : new CustomFieldUser(id, name, email, token);
                case JTokenType.String:
                    var text = (string)token!;
                    return text.IndexOf('@') >= 0 ? new CustomFieldUser(null, null, text, token) : new CustomFieldUser(text, null, null, token);
                case JTokenType.Integer:
                    return new CustomFieldUser(token.ToString(Formatting.None), null, null, token);
                default:
                    return null;
            }
        }

        private static string? Scalar(JObject obj, string name)
        {
            if (!obj.TryGetValue(name, StringComparison.Ordinal, out var token))
            {
                return null;
            }

            return token.Type switch
            {
                JTokenType.String => (string?)token,
                JTokenType.Integer or JTokenType.Float => token.ToString(Formatting.None),
                _ => null,
            };
        }

        /// <summary>Builds a field from one element of the array form.</summary>
        internal static CustomFieldValue FromArrayItem(JObject item)
        {
            var key = item.TryGetValue("key", StringComparison.Ordinal, out var keyToken) && keyToken.Type != JTokenType.Null
                ? keyToken.Type == JTokenType.String ? (string)keyToken! : keyToken.ToString(Formatting.None)
                : string.Empty;
            item.TryGetValue("value", StringComparison.Ordinal, out var value);
            return new CustomFieldValue(item, key, value, fromObjectForm: false);
        }

        /// <summary>Builds a field from one member of the object form (<c>{"industry": "Technology"}</c>).</summary>
        internal static CustomFieldValue FromObjectMember(string key, JToken value)
        {
            // Some servers put a full field object under its key: {"industry": {"key": "industry", "value": ...}}.
            if (value is JObject full && full.TryGetValue("key", StringComparison.Ordinal, out var inner)
                && inner.Type == JTokenType.String && (string)inner! == key
                && (full.ContainsKey("value") || full.ContainsKey("type")))
            {
                full.TryGetValue("value", StringComparison.Ordinal, out var innerValue);
                return new CustomFieldValue(full, key, innerValue, fromObjectForm: true);
            }

            var item = new JObject { ["key"] = key, ["value"] = value };
            return new CustomFieldValue(item, key, item["value"], fromObjectForm: true);
        }
    }

    /// <summary>Reads one custom field object; writes it back exactly as read.</summary>
    internal sealed class CustomFieldValueConverter : JsonConverter
    {
        public override bool CanConvert(Type objectType) => objectType == typeof(CustomFieldValue);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null)
            {
                return null;
            }

            var token = AhaJson.ReadVerbatim(reader);
            if (token is not JObject item)
            {
                throw new JsonSerializationException("A custom field must be a JSON object, not " + token.Type + ".");
            }

            return CustomFieldValue.FromArrayItem(item);
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            if (value is CustomFieldValue field)
            {
                field.Item.WriteTo(writer);
            }
            else
            {
                writer.WriteNull();
            }
        }
    }
}
