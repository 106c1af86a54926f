using System;
using System.Globalization;
using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Serialization
{
    /// <summary>
    /// The JSON settings every generated client uses (applied through each client's
    /// <c>UpdateJsonSerializerSettings</c> hook by the Aha.Client source generator), so that what Aha! sends is kept
    /// exactly: free-form values (custom fields, unknown attributes) are written back as they were read.
    /// </summary>
    /// <remarks>
    /// Why each setting:
    /// <list type="bullet">
    /// <item><description><see cref="DateParseHandling.None"/>: Newtonsoft otherwise turns every date-looking JSON
    /// string inside a free-form value into a <see cref="DateTime"/>, and writes it back in another format (or
    /// another time zone). Typed date properties still parse, because the serializer reads them by their CLR type.</description></item>
    /// <item><description><see cref="FloatParseHandling.Double"/>: shortest round-trip text for every finite number;
    /// integers of any size are kept exactly (as <see cref="long"/> or <see cref="System.Numerics.BigInteger"/>).</description></item>
    /// <item><description><see cref="MetadataPropertyHandling.Ignore"/> and <see cref="TypeNameHandling.None"/>:
    /// a <c>$type</c> or <c>$id</c> key in Aha! data is data, never an instruction to the serializer.</description></item>
    /// <item><description>Invariant culture and ISO 8601 dates for everything written.</description></item>
    /// <item><description>A contract resolver that checks the shape of every member of a generated model, so a value
    /// of an unexpected shape is kept by its record instead of failing the whole answer.</description></item>
    /// </list>
    /// </remarks>
    public static class AhaJson
    {
        private static readonly Lazy<JsonSerializerSettings> SharedSettings = new Lazy<JsonSerializerSettings>(CreateSettings, true);
        private static readonly Lazy<JsonSerializer> SharedSerializer = new Lazy<JsonSerializer>(() => JsonSerializer.Create(SharedSettings.Value), true);

        /// <summary>Applies the client's settings to <paramref name="settings"/> (called for every generated client).</summary>
        /// <param name="settings">The settings to change.</param>
        public static void Configure(JsonSerializerSettings settings)
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            settings.DateParseHandling = DateParseHandling.None;
            settings.DateFormatHandling = DateFormatHandling.IsoDateFormat;
            settings.DateTimeZoneHandling = DateTimeZoneHandling.RoundtripKind;
            settings.FloatParseHandling = FloatParseHandling.Double;
            settings.FloatFormatHandling = FloatFormatHandling.String;
            settings.MetadataPropertyHandling = MetadataPropertyHandling.Ignore;
            settings.TypeNameHandling = TypeNameHandling.None;
            settings.Culture = CultureInfo.InvariantCulture;
            settings.MissingMemberHandling = MissingMemberHandling.Ignore;
            settings.ContractResolver = AhaContractResolver.Instance;
        }

        /// <summary>Creates a new settings object configured by <see cref="Configure"/>.</summary>
        /// <returns>New settings.</returns>
        public static JsonSerializerSettings CreateSettings()
        {
            var settings = new JsonSerializerSettings();
            Configure(settings);
            return settings;
        }

        /// <summary>A shared serializer with the client's settings (thread-safe for serialization and deserialization).</summary>
        public static JsonSerializer Serializer => SharedSerializer.Value;

        /// <summary>Serializes <paramref name="value"/> with the client's settings.</summary>
        /// <param name="value">The value (a DTO, a <see cref="JToken"/>, ...).</param>
        /// <returns>Compact JSON text.</returns>
        public static string Serialize(object? value) => JsonConvert.SerializeObject(value, Formatting.None, SharedSettings.Value);

        /// <summary>Deserializes <paramref name="json"/> with the client's settings.</summary>
        /// <typeparam name="T">The target type.</typeparam>
        /// <param name="json">JSON text.</param>
        /// <returns>The value, or <c>default</c> for JSON <c>null</c>.</returns>
        public static T? Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, SharedSettings.Value);

        /// <summary>
        /// Parses JSON text into a <see cref="JToken"/> without reinterpreting anything: date strings stay strings,
        /// unlike <see cref="JToken.Parse(string)"/>.
        /// </summary>
        /// <param name="json">JSON text.</param>
        /// <returns>The token (a <see cref="JValue"/> of type <see cref="JTokenType.Null"/> for <c>null</c>).</returns>
        public static JToken ParseToken(string json)
        {
            if (json is null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            using var reader = new JsonTextReader(new StringReader(json))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Double,
            };
            var token = JToken.ReadFrom(reader);
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
            {
                throw new JsonReaderException("Additional text found in JSON after the first value.");
            }

            return token;
        }

        /// <summary>
        /// Reads the next value of <paramref name="reader"/> as a <see cref="JToken"/> with date parsing switched off for
        /// the duration, so free-form values are kept verbatim even under settings that parse dates.
        /// </summary>
        internal static JToken ReadVerbatim(JsonReader reader)
        {
            var previous = reader.DateParseHandling;
            reader.DateParseHandling = DateParseHandling.None;
            try
            {
                return JToken.ReadFrom(reader);
            }
            finally
            {
                reader.DateParseHandling = previous;
            }
        }

        /// <summary>The compact JSON text of a token (<c>null</c> when absent).</summary>
        internal static string ToJson(JToken? token) => token is null ? "null" : token.ToString(Formatting.None);
    }
}
