using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.Schemas
{
    /// <summary>One example value of the spec, with the schema it must satisfy.</summary>
    public sealed class SpecExample
    {
        public SpecExample(string pointer, string schemaPointer, JToken value, string? operationId, string where, string name, string? component)
        {
            Pointer = pointer;
            SchemaPointer = schemaPointer;
            Value = value;
            OperationId = operationId;
            Where = where;
            Name = name;
            Component = component;
        }

        /// <summary>JSON pointer of the example in openapi/aha.yaml.</summary>
        public string Pointer { get; }

        /// <summary>JSON pointer of the schema the example must validate against.</summary>
        public string SchemaPointer { get; }

        public JToken Value { get; }

        /// <summary>The operation the example belongs to (null for shared components).</summary>
        public string? OperationId { get; }

        /// <summary>"request", "response 200", "response 400", "parameter per_page", "header Retry-After", "schema".</summary>
        public string Where { get; }

        public string Name { get; }

        /// <summary>The component schema the example stands for (a plain <c>$ref</c>), if any.</summary>
        public string? Component { get; }

        public bool IsRequestBody => Where == "request";

        public bool IsSuccessBody => Where.StartsWith("response 2", StringComparison.Ordinal);

        public override string ToString() => $"{OperationId ?? "components"} {Where} '{Name}'";
    }

    /// <summary>Every example of openapi/aha.yaml: media types (request and response bodies), parameters, headers, schemas.</summary>
    internal static class SpecExamples
    {
        private static readonly Lazy<IReadOnlyList<SpecExample>> LazyAll = new(Find);

        public static IReadOnlyList<SpecExample> All => LazyAll.Value;

        /// <summary>Every <c>example</c>/<c>examples</c> entry of the spec, counted independently, for the "none missed" check.</summary>
        public static IReadOnlyList<string> AllExamplePointers()
        {
            var result = new List<string>();
            foreach (var property in ((JContainer)SpecJson.Root).Descendants().OfType<JProperty>())
            {
                if (InsideExampleValue(property))
                {
                    continue;
                }

                if (property.Name == "example")
                {
                    result.Add(SpecSchemas.Pointer(property.Value));
                }
                else if (property.Name == "examples" && property.Value is JObject named && !InsideSchemaProperties(property))
                {
                    result.AddRange(named.Properties().Select(p => SpecSchemas.Pointer(p.Value["value"] ?? p.Value)));
                }
            }

            return result;
        }

        private static IReadOnlyList<SpecExample> Find()
        {
            var root = SpecJson.Root;
            var found = new List<SpecExample>();
            foreach (var holder in ((JContainer)root).DescendantsAndSelf().OfType<JObject>())
            {
                if (holder.Parent != null && InsideExampleValue(holder))
                {
                    continue;
                }

                var holderPointer = SpecSchemas.Pointer(holder);
                string schemaPointer;
                JToken? schemaNode;
                if (holder["schema"] is JObject schema && (holder["example"] != null || holder["examples"] != null))
                {
                    schemaNode = schema;
                    schemaPointer = SpecSchemas.Pointer(schema);
                }
                else if (holder.Parent?.Parent is JObject schemas && holder.Parent.Parent == root["components"]?["schemas"] && holder["example"] != null)
                {
                    schemaNode = null;
                    schemaPointer = holderPointer;
                }
                else
                {
                    continue;
                }

                var (operationId, where) = Describe(holderPointer);
                var component = schemaNode is null ? ((JProperty)holder.Parent!).Name : SpecSchemas.ComponentName(schemaNode);
                if (holder["example"] is { } single)
                {
                    found.Add(new SpecExample(SpecSchemas.Pointer(single), schemaPointer, single, operationId, where, "example", component));
                }

                if (holder["examples"] is JObject named)
                {
                    foreach (var example in named.Properties())
                    {
                        var value = example.Value["value"] ?? throw new InvalidOperationException($"{holderPointer}: example '{example.Name}' has no value (external examples are not used in this spec)");
                        found.Add(new SpecExample(SpecSchemas.Pointer(value), schemaPointer, value, operationId, where, example.Name, component));
                    }
                }
            }

            return found;
        }

        /// <summary>Which operation and which part of it a pointer under /paths is in.</summary>
        private static (string? OperationId, string Where) Describe(string pointer)
        {
            var segments = pointer.Substring(2).Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
            string? operationId = null;
            if (segments[0] == "paths" && segments.Length > 2)
            {
                operationId = (string?)SpecJson.Root["paths"]?[segments[1]]?[segments[2]]?["operationId"];
            }

            var where = "schema";
            for (var i = 0; i < segments.Length; i++)
            {
                switch (segments[i])
                {
                    case "requestBody":
                        where = "request";
                        break;
                    case "responses" when i + 1 < segments.Length:
                        where = "response " + segments[i + 1];
                        break;
                    case "parameters" when i + 1 < segments.Length:
                        var parameter = SpecJson.Root.SelectToken(string.Join(".", segments.Take(i + 2).Select(s => $"['{s}']")));
                        where = "parameter " + ((string?)parameter?["name"] ?? segments[i + 1]);
                        break;
                    case "headers" when i + 1 < segments.Length:
                        where = "header " + segments[i + 1];
                        break;
                }
            }

            if (segments[0] == "components" && segments.Length > 2)
            {
                // components/responses/RateLimited (+ header X-Ratelimit-Limit), components/schemas/CustomFieldUpdate
                var header = Array.IndexOf(segments, "headers");
                where = segments[1] + "/" + segments[2] + (header > 0 && header + 1 < segments.Length ? " header " + segments[header + 1] : string.Empty);
            }

            return (operationId, where);
        }

        private static bool InsideExampleValue(JToken token)
        {
            for (var t = token.Parent; t != null; t = t.Parent)
            {
                if (t is JProperty p && (p.Name == "example" || (p.Name == "value" && p.Parent?.Parent is JProperty named && named.Parent?.Parent is JProperty examples && examples.Name == "examples")))
                {
                    return true;
                }
            }

            return false;
        }

        // A schema property literally named "examples" is not an examples map.
        private static bool InsideSchemaProperties(JProperty property) =>
            property.Parent?.Parent is JProperty parent && parent.Name == "properties";
    }
}
