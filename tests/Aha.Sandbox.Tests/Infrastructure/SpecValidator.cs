using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NJsonSchema;
using NJsonSchema.Validation;
using Newtonsoft.Json.Linq;

namespace Aha.Sandbox.Tests.Infrastructure
{
    /// <summary>
    /// Validates JSON against the schemas of an OpenAPI document with NJsonSchema, translated to JSON Schema draft 4 the
    /// way the contract tests do (tests/Aha.Client.Tests/Contract/Schemas/SpecSchemas.cs): component refs become
    /// definitions, <c>nullable</c> becomes a type array with null, OpenAPI-only keywords are dropped, and every inline
    /// schema under <c>paths</c> becomes a definition of its own, found by its JSON pointer.
    /// </summary>
    internal sealed class SpecValidator
    {
        private readonly Dictionary<string, JsonSchema> _byPointer;

        public SpecValidator(string openApiJson)
        {
            var spec = JObject.Parse(openApiJson);
            var definitions = new JObject();
            var pointers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (spec["components"]?["schemas"] is JObject components)
            {
                foreach (var component in components.Properties())
                {
                    definitions[component.Name] = Translate(component.Value);
                    pointers["#/components/schemas/" + component.Name] = component.Name;
                }
            }

            var synthetic = 0;
            foreach (var property in spec.SelectTokens("$.paths..schema").Select(t => t.Parent).OfType<JProperty>().ToList())
            {
                var name = "__inline" + synthetic++;
                definitions[name] = Translate(property.Value);
                pointers[Pointer(property.Value)] = name;
            }

            var document = new JObject { ["$schema"] = "http://json-schema.org/draft-04/schema#", ["definitions"] = definitions };
            var root = JsonSchema.FromJsonAsync(document.ToString()).GetAwaiter().GetResult();
            _byPointer = pointers.ToDictionary(p => p.Key, p => root.Definitions[p.Value], StringComparer.Ordinal);
        }

        public bool Has(string pointer) => _byPointer.ContainsKey(pointer);

        /// <summary>The problems of <paramref name="json"/> against the schema at <paramref name="pointer"/>, each as "JSON pointer: kind".</summary>
        public IReadOnlyList<string> Validate(string pointer, string json)
        {
            var errors = _byPointer[pointer].Validate(json);
            return Flatten(errors).Distinct().ToList();
        }

        /// <summary>NJsonSchema's paths (<c>#/features[0].name</c>) as JSON pointers (<c>/features/0/name</c>).</summary>
        internal static string ToPointer(string? path)
        {
            if (string.IsNullOrEmpty(path) || path == "#")
            {
                return "/";
            }

            var text = path!.StartsWith("#/", StringComparison.Ordinal) ? path.Substring(2) : path.TrimStart('#');
            text = Regex.Replace(text, "\\[(\\d+)\\]", "/$1");
            return "/" + text.Replace('.', '/');
        }

        private static IEnumerable<string> Flatten(IEnumerable<ValidationError> errors)
        {
            foreach (var error in errors)
            {
                if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
                {
                    foreach (var inner in child.Errors.SelectMany(e => Flatten(e.Value)))
                    {
                        yield return $"{ToPointer(error.Path)}: {error.Kind} ({inner})";
                    }
                }
                else
                {
                    yield return $"{ToPointer(error.Path)}: {error.Kind}";
                }
            }
        }

        public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

        private static string Pointer(JToken token)
        {
            var segments = new List<string>();
            for (var t = token; t.Parent != null;)
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

        private static JToken Translate(JToken schema)
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
                    case "nullable" or "example" or "examples" or "discriminator" or "xml" or "externalDocs" or "deprecated" or "readOnly" or "writeOnly" or "contentMediaType":
                        break;
                    case "properties" or "patternProperties":
                        target[property.Name] = new JObject(((JObject)property.Value).Properties().Select(p => new JProperty(p.Name, Translate(p.Value))));
                        break;
                    case "items" or "additionalProperties" or "not":
                        target[property.Name] = Translate(property.Value);
                        break;
                    case "allOf" or "anyOf" or "oneOf":
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
                    target = new JObject { ["anyOf"] = new JArray(new JObject { ["type"] = "null" }, target) };
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
