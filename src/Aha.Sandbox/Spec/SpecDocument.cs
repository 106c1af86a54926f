using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Aha.Sandbox.Spec
{
    /// <summary>An operation of the OpenAPI description: method, path (relative to <c>/api/v1</c>) and its JSON.</summary>
    internal sealed class SpecOperation
    {
        public SpecOperation(string method, string path, JsonObject operation)
        {
            Method = method;
            Path = path;
            Operation = operation;
        }

        public string Method { get; }

        public string Path { get; }

        public JsonObject Operation { get; }

        public string? OperationId => (Operation["operationId"] as JsonValue)?.GetValue<string>();

        /// <summary>The named examples (and the single <c>example</c>) of the 200 answer.</summary>
        public IEnumerable<JsonNode> ResponseExamples()
        {
            var media = SpecRoutes.JsonMedia(Operation["responses"]?["200"]?["content"] ?? Operation["responses"]?["201"]?["content"]);
            if (media?["example"] is JsonNode single)
            {
                yield return single;
            }

            if (media?["examples"] is JsonObject named)
            {
                foreach (var pair in named)
                {
                    if (pair.Value?["value"] is JsonNode value)
                    {
                        yield return value;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Reads <c>openapi/aha.yaml</c> (the copy embedded in this assembly, or a file) into <see cref="JsonNode"/>s with
    /// YamlDotNet. Only what the sandbox needs: the operations and their examples. Parsed documents are cached.
    /// </summary>
    internal static class SpecDocument
    {
        internal const string EmbeddedName = "Aha.Sandbox.aha.yaml";
        private static readonly ConcurrentDictionary<string, Lazy<JsonObject?>> Cache = new ConcurrentDictionary<string, Lazy<JsonObject?>>(StringComparer.Ordinal);
        private static readonly string[] Methods = { "get", "put", "post", "delete", "patch" };

        /// <summary>The document at <paramref name="path"/>, or the embedded one when null; null if there is none.</summary>
        public static JsonObject? Load(string? path) =>
            Cache.GetOrAdd(path ?? "<embedded>", p => new Lazy<JsonObject?>(() => Read(path))).Value;

        public static IReadOnlyList<SpecOperation> Operations(JsonObject document)
        {
            var list = new List<SpecOperation>();
            if (document["paths"] is not JsonObject paths)
            {
                return list;
            }

            foreach (var path in paths)
            {
                if (path.Value is not JsonObject item)
                {
                    continue;
                }

                foreach (var method in Methods)
                {
                    if (item[method] is JsonObject operation)
                    {
                        list.Add(new SpecOperation(method.ToUpperInvariant(), path.Key, operation));
                    }
                }
            }

            return list;
        }

        private static JsonObject? Read(string? path)
        {
            string text;
            if (path != null)
            {
                text = File.ReadAllText(path);
            }
            else
            {
                using var stream = typeof(SpecDocument).Assembly.GetManifestResourceStream(EmbeddedName);
                if (stream == null)
                {
                    return null;
                }

                using var reader = new StreamReader(stream);
                text = reader.ReadToEnd();
            }

            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            return yaml.Documents.Count == 0 ? null : ToJson(yaml.Documents[0].RootNode) as JsonObject;
        }

        /// <summary>Converts a YAML node to JSON, resolving plain scalars by the YAML 1.2 core schema.</summary>
        internal static JsonNode? ToJson(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    var o = new JsonObject();
                    foreach (var pair in map.Children)
                    {
                        o[((YamlScalarNode)pair.Key).Value ?? string.Empty] = ToJson(pair.Value);
                    }

                    return o;
                case YamlSequenceNode seq:
                    return new JsonArray(seq.Children.Select(ToJson).ToArray());
                case YamlScalarNode scalar:
                    return Scalar(scalar);
                default:
                    return null;
            }
        }

        private static JsonNode? Scalar(YamlScalarNode scalar)
        {
            var value = scalar.Value ?? string.Empty;
            if (scalar.Style != ScalarStyle.Plain || scalar.Tag == "tag:yaml.org,2002:str")
            {
                return JsonValue.Create(value);
            }

            switch (value)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    return null;
                case "true" or "True" or "TRUE":
                    return JsonValue.Create(true);
                case "false" or "False" or "FALSE":
                    return JsonValue.Create(false);
            }

            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }

            if (value.Length > 0 && (char.IsDigit(value[0]) || value[0] is '-' or '+' or '.')
                && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            return JsonValue.Create(value);
        }
    }
}
