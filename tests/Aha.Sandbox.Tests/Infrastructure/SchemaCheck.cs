using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Tests.Infrastructure
{
    /// <summary>
    /// A small JSON-schema check for OpenAPI 3.0 schemas, enough to compare the sandbox's answers with the spec:
    /// $ref, type (with nullable), properties, required, items, additionalProperties: false, oneOf, formats date and
    /// date-time. Members a schema does not declare are collected separately (the spec allows them).
    /// Per the spec's decision on ids, a JSON number is accepted where an id (a member named id or *_id) is typed string.
    /// </summary>
    internal sealed class SchemaCheck
    {
        private readonly JsonObject _document;

        public SchemaCheck(JsonObject document)
        {
            _document = document;
        }

        public List<string> Errors { get; } = new List<string>();

        public SortedSet<string> Undeclared { get; } = new SortedSet<string>(StringComparer.Ordinal);

        public JsonObject Resolve(JsonNode schema)
        {
            var s = schema.AsObject();
            var guard = 0;
            while (s["$ref"] is JsonValue r && guard++ < 20)
            {
                var path = r.GetValue<string>().TrimStart('#', '/').Split('/');
                JsonNode? node = _document;
                foreach (var part in path)
                {
                    node = node?[part];
                }

                s = node?.AsObject() ?? throw new InvalidOperationException("Unresolved $ref " + r);
            }

            return s;
        }

        public void Check(JsonNode? value, JsonNode schemaNode, string where, string member = "")
        {
            var schema = Resolve(schemaNode);
            var name = schemaNode["$ref"] is JsonValue refValue ? refValue.GetValue<string>().Split('/').Last() : where;
            if (value == null)
            {
                if (schema["nullable"] is JsonValue n && n.GetValue<bool>())
                {
                    return;
                }

                if (schema["type"] == null && schema["oneOf"] == null && schema["properties"] == null)
                {
                    return; // free-form
                }

                Errors.Add($"{where}: null where {name} is not nullable");
                return;
            }

            if (schema["oneOf"] is JsonArray oneOf)
            {
                foreach (var option in oneOf)
                {
                    var probe = new SchemaCheck(_document);
                    probe.Check(value, option!, where, member);
                    if (probe.Errors.Count == 0)
                    {
                        return;
                    }
                }

                Errors.Add($"{where}: matches no oneOf option");
                return;
            }

            var type = (schema["type"] as JsonValue)?.GetValue<string>() ?? (schema["properties"] != null ? "object" : null);
            var kind = value.GetValueKind();
            switch (type)
            {
                case null:
                    return;
                case "object":
                    if (value is not JsonObject o)
                    {
                        Errors.Add($"{where}: expected an object ({name}), got {kind}");
                        return;
                    }

                    var properties = schema["properties"] as JsonObject;
                    foreach (var required in (schema["required"] as JsonArray ?? new JsonArray()).Select(r => r!.GetValue<string>()))
                    {
                        if (!o.ContainsKey(required))
                        {
                            Errors.Add($"{where}: required member '{required}' missing ({name})");
                        }
                    }

                    foreach (var pair in o)
                    {
                        if (properties?[pair.Key] is JsonNode propertySchema)
                        {
                            Check(pair.Value, propertySchema, where + "." + pair.Key, pair.Key);
                        }
                        else if (schema["additionalProperties"] is JsonValue ap && ap.GetValueKind() == JsonValueKind.False)
                        {
                            Errors.Add($"{where}: member '{pair.Key}' not allowed by {name}");
                        }
                        else if (schema["additionalProperties"] is JsonObject additional)
                        {
                            Check(pair.Value, additional, where + "." + pair.Key, pair.Key);
                        }
                        else if (properties != null)
                        {
                            Undeclared.Add(name + "." + pair.Key);
                        }
                    }

                    return;
                case "array":
                    if (value is not JsonArray a)
                    {
                        Errors.Add($"{where}: expected an array ({name}), got {kind}");
                        return;
                    }

                    if (schema["items"] is JsonNode items)
                    {
                        for (var i = 0; i < a.Count; i++)
                        {
                            Check(a[i], items, where + "[" + i + "]", member);
                        }
                    }

                    return;
                case "string":
                    if (kind == JsonValueKind.Number && (member == "id" || member.EndsWith("_id", StringComparison.Ordinal)))
                    {
                        return; // ids arrive as numbers too (spec decision)
                    }

                    if (kind != JsonValueKind.String)
                    {
                        Errors.Add($"{where}: expected a string, got {kind}");
                        return;
                    }

                    var text = value.GetValue<string>();
                    var format = (schema["format"] as JsonValue)?.GetValue<string>();
                    if (format == "date" && !DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    {
                        Errors.Add($"{where}: '{text}' is not a date");
                    }
                    else if (format == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    {
                        Errors.Add($"{where}: '{text}' is not a date-time");
                    }

                    if (schema["enum"] is JsonArray values && !values.Any(v => v?.GetValue<string>() == text))
                    {
                        Errors.Add($"{where}: '{text}' is not one of the enum values");
                    }

                    return;
                case "integer":
                    if (kind != JsonValueKind.Number || !long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        Errors.Add($"{where}: expected an integer, got {value.ToJsonString()}");
                    }

                    return;
                case "number":
                    if (kind != JsonValueKind.Number)
                    {
                        Errors.Add($"{where}: expected a number, got {kind}");
                    }

                    return;
                case "boolean":
                    if (kind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        Errors.Add($"{where}: expected a boolean, got {kind}");
                    }

                    return;
            }
        }
    }
}
