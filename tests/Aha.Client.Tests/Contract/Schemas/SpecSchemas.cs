using System;
using System.Collections.Generic;
using System.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.Schemas
{
    /// <summary>
    /// The schemas of openapi/aha.yaml as a JSON Schema (draft 4) document that NJsonSchema validates with. OpenAPI 3.0
    /// schemas are a dialect of draft 4, so the translation is small: <c>#/components/schemas/X</c> becomes
    /// <c>#/definitions/X</c>; <c>nullable: true</c> becomes a type array with <c>"null"</c> (and <c>null</c> in an
    /// <c>enum</c>); OpenAPI-only keywords (<c>example</c>, <c>discriminator</c>, <c>xml</c>, <c>externalDocs</c>,
    /// <c>deprecated</c>, <c>x-*</c>) are dropped. Inline schemas of operations (request and response bodies,
    /// parameters, headers) are added as synthetic definitions, so every schema is validated with the same resolver.
    /// </summary>
    internal static class SpecSchemas
    {
        private static readonly Lazy<(JsonSchema Root, Dictionary<string, JsonSchema> ByPointer)> Loaded = new(Load);

        /// <summary>The JSON Schema of a component (<c>#/components/schemas/{name}</c>).</summary>
        public static JsonSchema Component(string name) => At("#/components/schemas/" + name);

        /// <summary>
        /// The JSON Schema found at a JSON pointer of the spec (a component, or the <c>schema</c> of a media type,
        /// parameter or header, for example <c>#/paths/~1features/get/responses/200/content/application~1json/schema</c>).
        /// </summary>
        public static JsonSchema At(string pointer) =>
            Loaded.Value.ByPointer.TryGetValue(pointer, out var schema)
                ? schema
                : throw new KeyNotFoundException("No schema at " + pointer);

        public static bool Has(string pointer) => Loaded.Value.ByPointer.ContainsKey(pointer);

        /// <summary>Validates a JSON value; returns the errors, one line each, flattened (empty when valid).</summary>
        public static IReadOnlyList<string> Validate(JsonSchema schema, JToken value)
        {
            var errors = schema.Validate(value);
            return Flatten(errors).Distinct().ToList();
        }

        /// <summary>The component a schema pointer stands for when it is a plain <c>$ref</c>, else null.</summary>
        public static string? ComponentName(JToken? schemaNode)
        {
            var reference = (string?)schemaNode?["$ref"];
            const string Prefix = "#/components/schemas/";
            return reference != null && reference.StartsWith(Prefix, StringComparison.Ordinal) ? reference.Substring(Prefix.Length) : null;
        }

        /// <summary>Escapes a key for a JSON pointer segment.</summary>
        public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

        private static IEnumerable<string> Flatten(IEnumerable<ValidationError> errors)
        {
            foreach (var error in errors)
            {
                if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
                {
                    // anyOf/oneOf branches: report the branch errors, which say what is wrong
                    foreach (var inner in child.Errors.SelectMany(e => Flatten(e.Value)))
                    {
                        yield return $"{error.Path}: {error.Kind} ({inner})";
                    }
                }
                else
                {
                    yield return $"{error.Path ?? "#"}: {error.Kind}";
                }
            }
        }

        private static (JsonSchema, Dictionary<string, JsonSchema>) Load()
        {
            var spec = SpecJson.Root;
            var definitions = new JObject();
            var pointers = new Dictionary<string, string>(StringComparer.Ordinal); // spec pointer -> definition name

            foreach (var component in ((JObject)spec["components"]!["schemas"]!).Properties())
            {
                definitions[component.Name] = Translate(component.Value);
                pointers["#/components/schemas/" + component.Name] = component.Name;
            }

            // Every inline "schema" under paths (media types, parameters, headers) and under shared
            // components (parameters, responses, headers, requestBodies) becomes a synthetic definition.
            var synthetic = 0;
            foreach (var schemaProperty in spec.SelectTokens("$..schema").Select(t => t.Parent).OfType<JProperty>())
            {
                var pointer = Pointer(schemaProperty.Value);
                if (pointer.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                {
                    continue; // a property that happens to be called "schema"
                }

                var name = "__inline" + synthetic++;
                definitions[name] = Translate(schemaProperty.Value);
                pointers[pointer] = name;
            }

            var document = new JObject
            {
                ["$schema"] = "http://json-schema.org/draft-04/schema#",
                ["definitions"] = definitions,
            };
            var root = JsonSchema.FromJsonAsync(document.ToString()).GetAwaiter().GetResult();
            var byPointer = pointers.ToDictionary(p => p.Key, p => root.Definitions[p.Value], StringComparer.Ordinal);
            return (root, byPointer);
        }

        /// <summary>The JSON pointer of a token of the spec tree.</summary>
        public static string Pointer(JToken token)
        {
            var segments = new List<string>();
            var t = token;
            while (t.Parent != null)
            {
                if (t.Parent is JProperty property)
                {
                    segments.Add(Escape(property.Name));
                    if (property.Parent == null)
                    {
                        break;
                    }

                    t = property.Parent;
                }
                else
                {
                    var array = (JArray)t.Parent;
                    segments.Add(array.IndexOf(t).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    t = array;
                }
            }

            segments.Reverse();
            return "#/" + string.Join("/", segments);
        }

        /// <summary>OpenAPI 3.0 schema object to JSON Schema draft 4.</summary>
        internal static JToken Translate(JToken schema)
        {
            if (schema is not JObject source)
            {
                return schema.DeepClone();
            }

            var target = new JObject();
            foreach (var property in source.Properties())
            {
                switch (property.Name)
                {
                    case "$ref":
                        target["$ref"] = ((string)property.Value!).Replace("#/components/schemas/", "#/definitions/");
                        break;
                    case "nullable":
                    case "example":
                    case "discriminator":
                    case "xml":
                    case "externalDocs":
                    case "deprecated":
                    case "readOnly":
                    case "writeOnly":
                        break;
                    case "properties":
                    case "patternProperties":
                        target[property.Name] = new JObject(((JObject)property.Value).Properties().Select(p => new JProperty(p.Name, Translate(p.Value))));
                        break;
                    case "items":
                    case "additionalProperties":
                    case "not":
                        target[property.Name] = Translate(property.Value);
                        break;
                    case "allOf":
                    case "anyOf":
                    case "oneOf":
                        target[property.Name] = new JArray(property.Value.Select(Translate));
                        break;
                    default:
                        if (!property.Name.StartsWith("x-", StringComparison.Ordinal))
                        {
                            target[property.Name] = property.Value.DeepClone();
                        }

                        break;
                }
            }

            if ((bool?)source["nullable"] == true)
            {
                if (target["type"] is JValue type)
                {
                    target["type"] = new JArray(type, "null");
                }
                else if (target["type"] == null)
                {
                    // nullable without a type (allOf/oneOf/$ref): null or the schema
                    var inner = target;
                    target = new JObject { ["anyOf"] = new JArray(new JObject { ["type"] = "null" }, inner) };
                }

                if (target["enum"] is JArray values && !values.Any(v => v.Type == JTokenType.Null))
                {
                    values.Add(JValue.CreateNull());
                }
            }

            return target;
        }
    }
}
