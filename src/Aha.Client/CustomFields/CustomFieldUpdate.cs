using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>
    /// Custom-field values to write, serialised as the object form Aha! expects in a <c>PUT</c>
    /// (<c>{"custom_fields": {"priority": "P3", "score": 7, "components": ["web", "api"]}}</c>). Fields not named are
    /// left unchanged by Aha!.
    /// </summary>
    /// <example>
    /// <code>
    /// var update = CustomFieldUpdate.Set("priority", "P3").Set("score", 7).Set("components", new[] { "web", "api" });
    /// await aha.Features.UpdateCustomFieldsAsync("PRJ1-1", update);
    /// </code>
    /// </example>
    /// <remarks>
    /// <c>CustomFieldUpdate.Set(...)</c> starts a builder; <c>.Set(...)</c> on a builder adds to it (those are the
    /// extension methods of <see cref="CustomFieldUpdateExtensions"/>, so both read the same). Values are kept as
    /// JSON tokens and written exactly: a value copied from a read field (<see cref="From"/>) reaches the wire as
    /// it was read.
    /// </remarks>
#if NET8_0_OR_GREATER
    [System.Text.Json.Serialization.JsonConverter(typeof(Serialization.SystemTextJsonBridge))]
#endif
    [JsonConverter(typeof(CustomFieldUpdateConverter))]
    public sealed class CustomFieldUpdate : IReadOnlyDictionary<string, JToken>
    {
        private readonly List<string> _order = new List<string>();
        private readonly Dictionary<string, JToken> _values = new Dictionary<string, JToken>(StringComparer.Ordinal);

        /// <summary>Creates an empty update.</summary>
        public CustomFieldUpdate()
        {
        }

        /// <summary>The number of fields to write.</summary>
        public int Count => _order.Count;

        /// <summary>The keys to write, in the order they were set.</summary>
        public IEnumerable<string> Keys => _order;

        /// <summary>The values to write, in key order.</summary>
        public IEnumerable<JToken> Values
        {
            get
            {
                foreach (var key in _order)
                {
                    yield return _values[key];
                }
            }
        }

        /// <summary>The JSON value that will be written for <paramref name="key"/>.</summary>
        /// <param name="key">The field key.</param>
        public JToken this[string key] => _values[key];

        /// <summary>Starts an update that writes <paramref name="value"/> (a string, or JSON null) to field <paramref name="key"/>.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value; <c>null</c> writes JSON null, which clears the field (as <see cref="SetNull(string)"/>).</param>
        /// <returns>The new update, to chain more <c>Set</c> calls on.</returns>
        /// <remarks>
        /// Preferred over the other overloads for a <c>null</c> literal, so <c>Set("key", null)</c> compiles with C# 13 or
        /// later (the default from .NET 9); with C# 12 or earlier, write <c>SetNull("key")</c>.
        /// </remarks>
        [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
        public static CustomFieldUpdate Set(string key, string? value) => new CustomFieldUpdate().Put(key, value is null ? JValue.CreateNull() : new JValue(value));

        /// <summary>Starts an update that writes an integer.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, long value) => new CustomFieldUpdate().Put(key, new JValue(value));

        /// <summary>Starts an update that writes a number.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, double value) => new CustomFieldUpdate().Put(key, Number(value, key));

        /// <summary>Starts an update that writes a decimal number (written with its exact digits).</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, decimal value) => new CustomFieldUpdate().Put(key, new JValue(value));

        /// <summary>Starts an update that writes a boolean.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, bool value) => new CustomFieldUpdate().Put(key, new JValue(value));

        /// <summary>
        /// Starts an update that writes a date: <c>yyyy-MM-dd</c> when <paramref name="value"/> has no time of day
        /// (what date fields expect), else an ISO 8601 timestamp.
        /// </summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, DateTime value) => new CustomFieldUpdate().Put(key, Date(value));

        /// <summary>Starts an update that writes an ISO 8601 timestamp.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, DateTimeOffset value) => new CustomFieldUpdate().Put(key, new JValue(value.ToString("o", CultureInfo.InvariantCulture)));

        /// <summary>Starts an update that writes a list of strings (multiple choice, tags).</summary>
        /// <param name="key">The field key.</param>
        /// <param name="values">The values.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, IEnumerable<string> values) => new CustomFieldUpdate().Put(key, Strings(values, key));

        /// <summary>Starts an update that writes a JSON value as is (an object for worksheets, ...).</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value (<c>null</c> writes JSON null).</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, JToken? value) => new CustomFieldUpdate().Put(key, value?.DeepClone() ?? JValue.CreateNull());

        /// <summary>Starts an update that writes the value of a field as read, unchanged.</summary>
        /// <param name="key">The field key to write (usually <c>field.Key</c>).</param>
        /// <param name="field">The field read from a record.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, CustomFieldValue field) => new CustomFieldUpdate().Put(key, Copy(field, key));

        /// <summary>Starts an update that writes any value, serialised with the client's JSON settings.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value (<c>null</c> writes JSON null).</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate Set(string key, object? value) => new CustomFieldUpdate().Put(key, FromObject(value));

        /// <summary>Starts an update that writes JSON text, parsed without reinterpreting dates.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="json">JSON text, e.g. <c>{"values": {"123": {"value": 10}}}</c>.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate SetJson(string key, string json) => new CustomFieldUpdate().Put(key, AhaJson.ParseToken(json ?? throw new ArgumentNullException(nameof(json))));

        /// <summary>Starts an update that clears field <paramref name="key"/> (writes JSON null).</summary>
        /// <param name="key">The field key.</param>
        /// <returns>The new update.</returns>
        public static CustomFieldUpdate SetNull(string key) => new CustomFieldUpdate().Put(key, JValue.CreateNull());

        /// <summary>
        /// An update holding every field of <paramref name="fields"/> that has a <c>value</c>, exactly as read (ids
        /// as numbers stay numbers, dates stay the same text, HTML and long number strings are untouched). Change the
        /// fields you mean to change with <c>Set</c>, then write it back.
        /// </summary>
        /// <param name="fields">Custom fields read from a record.</param>
        /// <returns>A new update.</returns>
        public static CustomFieldUpdate From(CustomFields fields)
        {
            if (fields is null)
            {
                throw new ArgumentNullException(nameof(fields));
            }

            var update = new CustomFieldUpdate();
            foreach (var field in fields)
            {
                if (field.HasValueMember && field.Key.Length > 0 && !update.ContainsKey(field.Key))
                {
                    update.Put(field.Key, field.ValueToken!.DeepClone());
                }
            }

            return update;
        }

        /// <summary>Whether the update writes field <paramref name="key"/>.</summary>
        /// <param name="key">The field key.</param>
        /// <returns><c>true</c> when it does.</returns>
        public bool ContainsKey(string key) => key != null && _values.ContainsKey(key);

        /// <summary>Gets the JSON value that will be written for <paramref name="key"/>.</summary>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value, when present.</param>
        /// <returns>Whether the update writes that field.</returns>
#pragma warning disable CS8767 // netstandard2.0's IReadOnlyDictionary is not annotated; the newer ones match this signature.
        public bool TryGetValue(string key, [MaybeNullWhen(false)] out JToken value)
#pragma warning restore CS8767
        {
            if (key is null)
            {
                value = null!;
                return false;
            }

            return _values.TryGetValue(key, out value);
        }

        /// <summary>Stops writing field <paramref name="key"/> (Aha! then leaves it unchanged).</summary>
        /// <param name="key">The field key.</param>
        /// <returns>This update.</returns>
        public CustomFieldUpdate Remove(string key)
        {
            if (key != null && _values.Remove(key))
            {
                _order.Remove(key);
            }

            return this;
        }

        /// <summary>The object form as compact JSON, e.g. <c>{"priority":"P3"}</c>.</summary>
        /// <returns>JSON text.</returns>
        public string ToJson() => ToJObject().ToString(Formatting.None);

        /// <inheritdoc />
        public override string ToString() => ToJson();

        /// <inheritdoc />
        public IEnumerator<KeyValuePair<string, JToken>> GetEnumerator()
        {
            foreach (var key in _order)
            {
                yield return new KeyValuePair<string, JToken>(key, _values[key]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        internal CustomFieldUpdate Put(string key, JToken value)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("A custom field key must not be empty.", nameof(key));
            }

            if (!_values.ContainsKey(key))
            {
                _order.Add(key);
            }

            _values[key] = value;
            return this;
        }

        internal JObject ToJObject()
        {
            var obj = new JObject();
            foreach (var key in _order)
            {
                obj[key] = _values[key].DeepClone();
            }

            return obj;
        }

        internal static JToken Number(double value, string key)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Custom field '" + key + "': JSON has no NaN or infinity.");
            }

            return new JValue(value);
        }

        internal static JToken Date(DateTime value)
            => new JValue(value.TimeOfDay == TimeSpan.Zero
                ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : value.ToString("o", CultureInfo.InvariantCulture));

        internal static JToken Strings(IEnumerable<string> values, string key)
        {
            if (values is null)
            {
                throw new ArgumentNullException(nameof(values), "Custom field '" + key + "': use SetNull to clear a field.");
            }

            var array = new JArray();
            foreach (var value in values)
            {
                array.Add(value is null ? JValue.CreateNull() : new JValue(value));
            }

            return array;
        }

        internal static JToken Copy(CustomFieldValue field, string key)
        {
            if (field is null)
            {
                throw new ArgumentNullException(nameof(field));
            }

            if (!field.HasValueMember)
            {
                throw new ArgumentException("Custom field '" + key + "' (type '" + (field.Type ?? "none") + "') has no value to copy.", nameof(field));
            }

            return field.ValueToken!.DeepClone();
        }

        internal static JToken FromObject(object? value) => value switch
        {
            null => JValue.CreateNull(),
            JToken token => token.DeepClone(),
            CustomFieldValue field => Copy(field, field.Key),
            DateTime date => Date(date),
            _ => JToken.FromObject(value, AhaJson.Serializer),
        };
    }

    /// <summary>
    /// The chaining half of <see cref="CustomFieldUpdate"/>: <c>update.Set("score", 7)</c> adds to an existing update
    /// (the static <c>CustomFieldUpdate.Set</c> methods start one).
    /// </summary>
    public static class CustomFieldUpdateExtensions
    {
        /// <summary>Writes <paramref name="value"/> (a string, or JSON null) to field <paramref name="key"/>.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value; <c>null</c> writes JSON null, which clears the field.</param>
        /// <returns>The same update.</returns>
        [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, string? value) => Check(update).Put(key, value is null ? JValue.CreateNull() : new JValue(value));

        /// <summary>Writes an integer.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, long value) => Check(update).Put(key, new JValue(value));

        /// <summary>Writes a number.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, double value) => Check(update).Put(key, CustomFieldUpdate.Number(value, key));

        /// <summary>Writes a decimal number (with its exact digits).</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, decimal value) => Check(update).Put(key, new JValue(value));

        /// <summary>Writes a boolean.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, bool value) => Check(update).Put(key, new JValue(value));

        /// <summary>Writes a date: <c>yyyy-MM-dd</c> when it has no time of day, else an ISO 8601 timestamp.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, DateTime value) => Check(update).Put(key, CustomFieldUpdate.Date(value));

        /// <summary>Writes an ISO 8601 timestamp.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, DateTimeOffset value) => Check(update).Put(key, new JValue(value.ToString("o", CultureInfo.InvariantCulture)));

        /// <summary>Writes a list of strings (multiple choice, tags).</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="values">The values.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, IEnumerable<string> values) => Check(update).Put(key, CustomFieldUpdate.Strings(values, key));

        /// <summary>Writes a JSON value as is.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value (<c>null</c> writes JSON null).</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, JToken? value) => Check(update).Put(key, value?.DeepClone() ?? JValue.CreateNull());

        /// <summary>Writes the value of a field as read, unchanged.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key to write.</param>
        /// <param name="field">The field read from a record.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, CustomFieldValue field) => Check(update).Put(key, CustomFieldUpdate.Copy(field, key));

        /// <summary>Writes any value, serialised with the client's JSON settings.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="value">The value (<c>null</c> writes JSON null).</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate Set(this CustomFieldUpdate update, string key, object? value) => Check(update).Put(key, CustomFieldUpdate.FromObject(value));

        /// <summary>Writes JSON text, parsed without reinterpreting dates.</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <param name="json">JSON text.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate SetJson(this CustomFieldUpdate update, string key, string json) => Check(update).Put(key, AhaJson.ParseToken(json ?? throw new ArgumentNullException(nameof(json))));

        /// <summary>Clears field <paramref name="key"/> (writes JSON null).</summary>
        /// <param name="update">The update.</param>
        /// <param name="key">The field key.</param>
        /// <returns>The same update.</returns>
        public static CustomFieldUpdate SetNull(this CustomFieldUpdate update, string key) => Check(update).Put(key, JValue.CreateNull());

        private static CustomFieldUpdate Check(CustomFieldUpdate update) => update ?? throw new ArgumentNullException(nameof(update));
    }

    /// <summary>Writes the object form; reads it back (for tests and request examples).</summary>
    internal sealed class CustomFieldUpdateConverter : JsonConverter
    {
        public override bool CanConvert(Type objectType) => objectType == typeof(CustomFieldUpdate);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null)
            {
                return null;
            }

            var token = AhaJson.ReadVerbatim(reader);
            if (token is not JObject obj)
            {
                throw new JsonSerializationException("Custom fields to write must be a JSON object keyed by field key, not " + token.Type + ".");
            }

            var update = new CustomFieldUpdate();
            foreach (var property in obj.Properties())
            {
                update.Put(property.Name, property.Value.DeepClone());
            }

            return update;
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            if (value is CustomFieldUpdate update)
            {
                update.ToJObject().WriteTo(writer);
            }
            else
            {
                writer.WriteNull();
            }
        }
    }
}
