#if NET8_0_OR_GREATER
using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aha.Client.Serialization
{
    /// <summary>
    /// Lets System.Text.Json (ASP.NET Core's serializer) read and write the Aha! models exactly as Aha! sends them:
    /// snake_case attribute names, custom-field values of every type, and attributes the spec does not name. Every model
    /// class (generated, through <c>build/nswag-templates/Class.Annotations.liquid</c>) and the custom-field types carry
    /// <c>[System.Text.Json.Serialization.JsonConverter(typeof(SystemTextJsonBridge))]</c>, so no options are needed;
    /// the converter hands the value to the client's own Newtonsoft.Json settings (<see cref="AhaJson"/>), which define
    /// the wire format. Serializer options such as a naming policy therefore do not apply to these types: their JSON is
    /// Aha!'s.
    /// </summary>
    /// <remarks>.NET 8 and later, where System.Text.Json is part of the framework; the netstandard2.0 build does not
    /// reference System.Text.Json at all.</remarks>
    internal sealed class SystemTextJsonBridge : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => true;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Bridge<>).MakeGenericType(typeToConvert))!;

        private sealed class Bridge<T> : JsonConverter<T>
        {
            public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                using var document = JsonDocument.ParseValue(ref reader);
                return AhaJson.Deserialize<T>(document.RootElement.GetRawText());
            }

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
            {
                // Newtonsoft wrote it, so it is valid JSON: no second validation pass.
                writer.WriteRawValue(AhaJson.Serialize(value), skipInputValidation: true);
            }
        }
    }
}
#endif
