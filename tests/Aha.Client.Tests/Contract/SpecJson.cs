using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Aha.Client.Tests.Contract
{
    /// <summary>
    /// The spec as a plain JSON tree, for example values. (Microsoft.OpenApi retypes example strings by the schema's
    /// format and writes timestamps back as dates, so example values are read from the YAML directly, with the YAML 1.2
    /// core schema: quoted scalars are strings, plain scalars may be numbers, booleans or null.)
    /// </summary>
    internal static class SpecJson
    {
        private static readonly Lazy<JToken> LazyRoot = new(() => Load(Repo.SpecPath));

        /// <summary>Any OpenAPI YAML (or JSON) file as a JSON tree, read the same way as the spec.</summary>
        public static JToken Load(string path)
        {
            var text = File.ReadAllText(path);
            if (text.TrimStart().StartsWith("{", StringComparison.Ordinal))
            {
                // JSON is YAML, and Newtonsoft reads it much faster (mutated copies of the spec are written as JSON).
                using var json = new Newtonsoft.Json.JsonTextReader(new StringReader(text)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
                return JToken.ReadFrom(json);
            }

            var yaml = new YamlStream();
            using (var reader = new StringReader(text))
            {
                yaml.Load(reader);
            }

            return Convert(yaml.Documents[0].RootNode);
        }

        public static JToken Root => LazyRoot.Value;

        /// <summary>The value of a named example of an operation's request body, as JSON text.</summary>
        public static string RequestExample(SpecOperation operation, string name) =>
            Example(operation, "requestBody", name);

        /// <summary>The value of a named example of an operation's success response, as JSON text.</summary>
        public static string ResponseExample(SpecOperation operation, string name) =>
            Example(operation, "responses", name);

        private static string Example(SpecOperation operation, string where, string name)
        {
            var op = Root["paths"]![operation.Path]![operation.Method.ToLowerInvariant()]!;
            var content = where == "requestBody" ? op["requestBody"]!["content"] : op["responses"]![operation.Success.Key]!["content"];
            var value = content?["application/json"]?["examples"]?[name]?["value"]
                ?? throw new InvalidOperationException($"{operation}: no {where} example '{name}'");
            return value.ToString(Newtonsoft.Json.Formatting.None);
        }

        private static JToken Convert(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    return new JObject(map.Children.Select(kv => new JProperty(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value))));
                case YamlSequenceNode seq:
                    return new JArray(seq.Children.Select(Convert));
                case YamlScalarNode scalar:
                    var text = scalar.Value ?? string.Empty;
                    if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
                    {
                        return new JValue(text);
                    }

                    if (text is "null" or "~" or "")
                    {
                        return JValue.CreateNull();
                    }

                    if (text is "true" or "false")
                    {
                        return new JValue(text == "true");
                    }

                    if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    {
                        return new JValue(l);
                    }

                    if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    {
                        return new JValue(d);
                    }

                    return new JValue(text);
                default:
                    throw new NotSupportedException(node.GetType().Name);
            }
        }
    }
}
