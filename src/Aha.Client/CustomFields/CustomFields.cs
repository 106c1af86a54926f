using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>
    /// The custom fields of a record, read-only: <c>record.CustomFields["priority"].AsString()</c>,
    /// <see cref="TryGet"/>, or enumerate them in the order Aha! sent them.
    /// </summary>
    /// <remarks>
    /// Aha! sends custom fields as an array of <c>{id, key, name, value, type, updatedAt, ...}</c>, but some records
    /// (idea organizations) send an object <c>{"key": value}</c>: both are read into this type (see
    /// <see cref="Form"/>), and it is written back in the form it was read, with every member kept as sent. To
    /// change fields, build a <see cref="CustomFieldUpdate"/> (<see cref="ToUpdate"/> starts one from these values).
    /// </remarks>
#if NET8_0_OR_GREATER
    [System.Text.Json.Serialization.JsonConverter(typeof(Serialization.SystemTextJsonBridge))]
#endif
    [JsonConverter(typeof(CustomFieldsConverter))]
    public sealed class CustomFields : IReadOnlyList<CustomFieldValue>
    {
        private readonly List<CustomFieldValue> _fields;
        private readonly Dictionary<string, CustomFieldValue> _byKey;

        // The array exactly as sent, when some of its items are not field objects (written back instead of the fields).
        private readonly JArray? _verbatim;

        internal CustomFields(List<CustomFieldValue> fields, CustomFieldsForm form, JToken? unrecognised = null, JArray? verbatim = null)
        {
            _fields = fields;
            Form = form;
            Unrecognised = unrecognised;
            _verbatim = verbatim;
            _byKey = new Dictionary<string, CustomFieldValue>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                // A key sent twice: the first one is the one read by key; both stay in the list.
                if (!_byKey.ContainsKey(field.Key))
                {
                    _byKey.Add(field.Key, field);
                }
            }
        }

        /// <summary>No custom fields.</summary>
        public static CustomFields Empty { get; } = new CustomFields(new List<CustomFieldValue>(), CustomFieldsForm.Array);

        /// <summary>The form Aha! sent: an array of field objects, or an object keyed by field key.</summary>
        public CustomFieldsForm Form { get; }

        /// <summary>The number of fields.</summary>
        public int Count => _fields.Count;

        /// <summary>The field keys, in the order sent.</summary>
        public IEnumerable<string> Keys => _fields.Select(f => f.Key);

        /// <summary>The field at <paramref name="index"/>, in the order sent.</summary>
        /// <param name="index">0-based position.</param>
        public CustomFieldValue this[int index] => _fields[index];

        /// <summary>The field with key <paramref name="key"/>.</summary>
        /// <param name="key">The field key, e.g. <c>priority</c> (case-sensitive, as in Aha!).</param>
        /// <exception cref="KeyNotFoundException">The record has no such field; the message lists the keys it has.</exception>
        public CustomFieldValue this[string key]
        {
            get
            {
                if (key is null)
                {
                    throw new ArgumentNullException(nameof(key));
                }

                if (_byKey.TryGetValue(key, out var field))
                {
                    return field;
                }

                var known = _fields.Count == 0 ? "it has none (ask for them with fields=custom_fields or read a single record)" : "it has: " + string.Join(", ", _fields.Select(f => f.Key));
                throw new KeyNotFoundException("The record has no custom field '" + key + "'; " + known + ".");
            }
        }

        /// <summary>
        /// What could not be read as fields, kept and never an error: the whole value when it was neither an array nor an
        /// object, or the items of the array that are not field objects (as an array, in the order sent); else
        /// <c>null</c>. Such a value is written back exactly as it was sent.
        /// </summary>
        public JToken? Unrecognised { get; }

        /// <summary>Looks a field up by key.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="field">The field, when found.</param>
        /// <returns>Whether the record has the field.</returns>
        public bool TryGet(string key, [NotNullWhen(true)] out CustomFieldValue? field)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            return _byKey.TryGetValue(key, out field);
        }

        /// <summary>Whether the record has a field with key <paramref name="key"/>.</summary>
        /// <param name="key">The field key.</param>
        /// <returns><c>true</c> when present.</returns>
        public bool ContainsKey(string key) => key != null && _byKey.ContainsKey(key);

        /// <summary>
        /// A write builder holding every field's current value exactly as read (fields without a <c>value</c>, such
        /// as attachments, are left out), to change some and write the record back.
        /// </summary>
        /// <returns>A new <see cref="CustomFieldUpdate"/>.</returns>
        public CustomFieldUpdate ToUpdate() => CustomFieldUpdate.From(this);

        /// <inheritdoc />
        public IEnumerator<CustomFieldValue> GetEnumerator() => _fields.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <inheritdoc />
        public override string ToString() => Count + " custom field(s): " + string.Join(", ", Keys);

        internal static CustomFields FromToken(JToken token)
        {
            switch (token)
            {
                case JArray array:
                    var fromArray = new List<CustomFieldValue>(array.Count);
                    JArray? others = null;
                    foreach (var element in array)
                    {
                        if (element is JObject item)
                        {
                            fromArray.Add(CustomFieldValue.FromArrayItem(item));
                        }
                        else
                        {
                            (others ??= new JArray()).Add(element.DeepClone());
                        }
                    }

                    return others is null
                        ? new CustomFields(fromArray, CustomFieldsForm.Array)
                        : new CustomFields(fromArray, CustomFieldsForm.Array, others, (JArray)array.DeepClone());
                case JObject obj:
                    var fromObject = new List<CustomFieldValue>();
                    foreach (var property in obj.Properties())
                    {
                        fromObject.Add(CustomFieldValue.FromObjectMember(property.Name, property.Value));
                    }

                    return new CustomFields(fromObject, CustomFieldsForm.Object);
                default:
                    return new CustomFields(new List<CustomFieldValue>(), CustomFieldsForm.Array, token.DeepClone());
            }
        }

        internal JToken ToToken()
        {
            if (_verbatim != null)
            {
                return _verbatim.DeepClone();
            }

            if (Unrecognised != null)
            {
                return Unrecognised.DeepClone();
            }

            if (Form == CustomFieldsForm.Object)
            {
                var obj = new JObject();
                foreach (var field in _fields)
                {
                    obj[field.Key] = field.ValueToken?.DeepClone() ?? JValue.CreateNull();
                }

                return obj;
            }

            return new JArray(_fields.Select(f => f.Item.DeepClone()));
        }
    }

    /// <summary>How a record's custom fields arrived.</summary>
    public enum CustomFieldsForm
    {
        /// <summary>An array of field objects (<c>[{"key": "priority", "value": "P3", "type": "string"}]</c>): most records.</summary>
        Array = 0,

        /// <summary>An object keyed by field key (<c>{"priority": "P3"}</c>): idea organizations.</summary>
        Object = 1,
    }

    /// <summary>Reads the array and the object form; writes back the form that was read.</summary>
    internal sealed class CustomFieldsConverter : JsonConverter
    {
        public override bool CanConvert(Type objectType) => objectType == typeof(CustomFields);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null || reader.TokenType == JsonToken.Undefined)
            {
                return null;
            }

            return CustomFields.FromToken(AhaJson.ReadVerbatim(reader));
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            if (value is CustomFields fields)
            {
                fields.ToToken().WriteTo(writer);
            }
            else
            {
                writer.WriteNull();
            }
        }
    }
}
