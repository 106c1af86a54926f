using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Spec
{
    /// <summary>What the generic layer does for an operation that no hand-written route serves.</summary>
    internal enum GenericAction
    {
        /// <summary><c>GET /things</c> or <c>GET /parents/{parent_id}/things</c> answering a list wrapper.</summary>
        List,

        /// <summary><c>GET /things/{id}</c> answering a single-record wrapper.</summary>
        Get,

        /// <summary><c>POST</c> on a collection whose body and answer carry the same record wrapper.</summary>
        Create,

        /// <summary><c>PUT /things/{id}</c> answering a single-record wrapper.</summary>
        Update,

        /// <summary><c>DELETE /things/{id}</c>.</summary>
        Delete,

        /// <summary>Anything else (actions, singletons, downloads): answered with the operation's first example.</summary>
        Example,
    }

    /// <summary>An operation of the spec as the generic layer serves it: its action, record wrappers and parent.</summary>
    internal sealed class GenericRoute
    {
        public GenericRoute(SpecOperation operation, GenericAction action)
        {
            Operation = operation;
            Action = action;
        }

        public SpecOperation Operation { get; }

        public GenericAction Action { get; }

        /// <summary>The record's singular wrapper (<c>requirement</c>); null for <see cref="GenericAction.Example"/>.</summary>
        public string? Singular { get; set; }

        /// <summary>The list wrapper (<c>requirements</c>), when a list of the record type is known.</summary>
        public string? Plural { get; set; }

        /// <summary>The wrapper of this operation's answer (a list's or a record's), as the spec names it.</summary>
        public string? AnswerWrapper { get; set; }

        /// <summary>Wrappers the request body may use.</summary>
        public IReadOnlyList<string> RequestWrappers { get; set; } = Array.Empty<string>();

        /// <summary>URL segment of the record's collection (<c>requirements</c>).</summary>
        public string? Segment { get; set; }

        /// <summary>URL segment of the parent collection (<c>features</c> in <c>/features/{feature_id}/requirements</c>).</summary>
        public string? ParentSegment { get; set; }

        /// <summary>Name of the parent's path parameter (<c>feature_id</c>).</summary>
        public string? ParentParameter { get; set; }

        /// <summary>Name of the record's path parameter (<c>id</c>) for get, update and delete.</summary>
        public string? IdParameter { get; set; }

        /// <summary>Success status of the operation (200, 201 or 204).</summary>
        public int SuccessStatus { get; set; } = 200;

        /// <summary>The operation's first success example, and the record it shows (the template of a create).</summary>
        public JsonNode? Example { get; set; }
    }

    /// <summary>
    /// Derives, from the spec alone, how each operation reads and writes records: the resource and its parent from the
    /// path (<c>/features/{feature_id}/requirements</c>, <c>/requirements/{id}</c>), the wrappers from the request and
    /// response schemas. Nothing here knows a particular resource, so a grown spec is served without code changes.
    /// </summary>
    internal sealed class SpecRoutes
    {
        private readonly JsonObject _document;

        internal SpecRoutes(JsonObject document)
        {
            _document = document;
        }

        /// <summary>Singular wrapper → list wrapper, for every record type a list operation shows.</summary>
        public Dictionary<string, string> PluralOf { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public List<GenericRoute> Routes { get; } = new List<GenericRoute>();

        public static SpecRoutes Analyze(JsonObject document)
        {
            var routes = new SpecRoutes(document);
            var operations = SpecDocument.Operations(document);

            // Pass 1: which URL segment stands for which wrappers (a list at /things, a record at /things/{id}).
            var singularBySegment = new Dictionary<string, string>(StringComparer.Ordinal);
            var pluralBySegment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                var (segment, _, itemPath) = routes.Shape(operation.Path);
                if (segment == null)
                {
                    continue;
                }

                var answer = routes.AnswerSchema(operation);
                if (operation.Method == "GET" && !itemPath && routes.ListWrapper(answer) is string plural && !pluralBySegment.ContainsKey(segment))
                {
                    pluralBySegment[segment] = plural;
                }
                else if (itemPath && routes.RecordWrappers(answer).FirstOrDefault() is string singular && !singularBySegment.ContainsKey(segment))
                {
                    singularBySegment[segment] = singular;
                }
            }

            foreach (var pair in singularBySegment)
            {
                if (pluralBySegment.TryGetValue(pair.Key, out var plural) && !routes.PluralOf.ContainsKey(pair.Value))
                {
                    routes.PluralOf[pair.Value] = plural;
                }
            }

            // Pass 2: the action of each operation.
            foreach (var operation in operations)
            {
                routes.Routes.Add(routes.Classify(operation, singularBySegment, pluralBySegment));
            }

            return routes;
        }

        private GenericRoute Classify(SpecOperation operation, Dictionary<string, string> singularBySegment, Dictionary<string, string> pluralBySegment)
        {
            var (segment, parent, itemPath) = Shape(operation.Path);
            var answer = AnswerSchema(operation);
            var (status, example) = SuccessOf(operation);
            GenericRoute Example() => new GenericRoute(operation, GenericAction.Example) { SuccessStatus = status, Example = example };

            if (segment == null)
            {
                return Example();
            }

            var segments = operation.Path.Trim('/').Split('/');
            var idParameter = itemPath ? segments[segments.Length - 1].Trim('{', '}') : null;
            GenericRoute Make(GenericAction action, string singular, string? answerWrapper) => new GenericRoute(operation, action)
            {
                Singular = singular,
                Plural = PluralOf.TryGetValue(singular, out var p) ? p : pluralBySegment.TryGetValue(segment!, out var q) ? q : null,
                AnswerWrapper = answerWrapper,
                RequestWrappers = RecordWrappers(RequestSchema(operation)).ToArray(),
                Segment = segment,
                ParentSegment = parent?.Segment,
                ParentParameter = parent?.Parameter,
                IdParameter = idParameter,
                SuccessStatus = status,
                Example = example,
            };

            var record = RecordWrappers(answer).FirstOrDefault();

            // A record path names its record by "id" or "<type>_id"; another parameter (DELETE /users/{id}/roles/{product_id})
            // names something else, so the operation is an action on the parent, answered from its example.
            if (itemPath && idParameter != "id" && idParameter != Singularize(segment) + "_id" && (record == null || idParameter != record + "_id"))
            {
                return Example();
            }

            switch (operation.Method)
            {
                case "GET" when !itemPath && ListWrapper(answer) is string plural:
                    var singularOfList = PluralOf.FirstOrDefault(p => p.Value == plural).Key
                        ?? (singularBySegment.TryGetValue(segment, out var s) && pluralBySegment.TryGetValue(segment, out var sp) && sp == plural ? s : null)
                        ?? Singularize(plural);
                    var list = Make(GenericAction.List, singularOfList, plural);
                    list.Plural = plural;
                    return list;
                case "GET" when itemPath && record != null:
                    return Make(GenericAction.Get, record, record);
                case "POST" when !itemPath && record != null && RecordWrappers(RequestSchema(operation)).Contains(record, StringComparer.Ordinal):
                    return Make(GenericAction.Create, record, record);
                case "PUT" when itemPath && record != null:
                    return Make(GenericAction.Update, record, record);
                case "DELETE" when itemPath:
                    return Make(GenericAction.Delete, singularBySegment.TryGetValue(segment, out var d) ? d : Singularize(segment), null);
                default:
                    return Example();
            }
        }

        /// <summary>
        /// The collection segment of a path, its parent (segment and parameter) and whether the path names one record.
        /// <c>/features/{feature_id}/requirements</c> → (requirements, (features, feature_id), false);
        /// <c>/requirements/{id}</c> → (requirements, null, true). A path of another shape gives a null segment.
        /// </summary>
        internal (string? Segment, (string Segment, string Parameter)? Parent, bool ItemPath) Shape(string path)
        {
            var segments = path.Trim('/').Split('/');
            static bool IsParameter(string s) => s.Length > 2 && s[0] == '{' && s[s.Length - 1] == '}' && s.IndexOf('}') == s.Length - 1;
            static bool IsLiteral(string s) => s.Length > 0 && s.IndexOf('{') < 0 && s.IndexOf('.') < 0;

            var last = segments.Length - 1;
            var itemPath = IsParameter(segments[last]);
            var collection = itemPath ? last - 1 : last;
            if (collection < 0 || !IsLiteral(segments[collection]))
            {
                return (null, null, false);
            }

            (string, string)? parent = null;
            if (collection >= 2 && IsParameter(segments[collection - 1]) && IsLiteral(segments[collection - 2]))
            {
                parent = (segments[collection - 2], segments[collection - 1].Trim('{', '}'));
            }
            else if (collection != 0)
            {
                return (null, null, false); // /me/assigned, /features/fields/...: not a plain collection
            }

            if (parent != null && collection - 2 != 0)
            {
                return (null, null, false); // deeper nesting (/a/{a}/b/{b}/c): served from the example
            }

            return (segments[collection], parent, itemPath);
        }

        internal static string Singularize(string plural) =>
            plural.EndsWith("ies", StringComparison.Ordinal) ? plural.Substring(0, plural.Length - 3) + "y"
            : plural.EndsWith("sses", StringComparison.Ordinal) ? plural.Substring(0, plural.Length - 2)
            : plural.EndsWith("s", StringComparison.Ordinal) ? plural.Substring(0, plural.Length - 1)
            : plural;

        // ------------------------------------------------------------------ schemas

        /// <summary>The success status (200, 201 or 204) and the first JSON example of that answer.</summary>
        internal (int Status, JsonNode? Example) SuccessOf(SpecOperation operation)
        {
            foreach (var code in new[] { "200", "201", "204" })
            {
                if (Resolve(operation.Operation["responses"]?[code]) is JsonObject response)
                {
                    var media = JsonMedia(response["content"]);
                    JsonNode? example = media?["example"]?.DeepClone();
                    if (example == null && media?["examples"] is JsonObject named)
                    {
                        example = named.Select(p => Resolve(p.Value)?["value"]).FirstOrDefault(v => v != null)?.DeepClone();
                    }

                    return (int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), example);
                }
            }

            return (200, null);
        }

        private JsonObject? AnswerSchema(SpecOperation operation)
        {
            foreach (var code in new[] { "200", "201" })
            {
                if (Resolve(operation.Operation["responses"]?[code]) is JsonObject response)
                {
                    return Resolve(JsonMedia(response["content"])?["schema"]) as JsonObject;
                }
            }

            return null;
        }

        /// <summary>
        /// The JSON request schema: the <c>application/json</c> content, or the JSON form a file upload declares in
        /// <c>x-aha-json-alternative</c> (an attachment link), which the sandbox serves as a create.
        /// </summary>
        private JsonObject? RequestSchema(SpecOperation operation)
        {
            var body = Resolve(operation.Operation["requestBody"]);
            return Resolve(JsonMedia(body?["content"])?["schema"] ?? body?["x-aha-json-alternative"]?["schema"]) as JsonObject;
        }

        /// <summary>The <c>application/json</c> media type (any parameters, e.g. <c>; charset=utf-8</c>).</summary>
        internal static JsonNode? JsonMedia(JsonNode? content) =>
            content is JsonObject media ? media.FirstOrDefault(p => p.Key.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)).Value : null;

        /// <summary>Names of the properties whose schema is an object that is not the pagination: the record wrappers.</summary>
        private IEnumerable<string> RecordWrappers(JsonObject? schema)
        {
            foreach (var (name, property) in Properties(schema))
            {
                if (name is "pagination" or "meta" or "fields")
                {
                    continue;
                }

                if (Resolve(property) is JsonObject resolved && IsObject(resolved))
                {
                    yield return name;
                }
            }
        }

        /// <summary>The property of a list answer that holds the array of records.</summary>
        private string? ListWrapper(JsonObject? schema)
        {
            foreach (var (name, property) in Properties(schema))
            {
                if (name is "pagination" or "meta")
                {
                    continue;
                }

                if (Resolve(property) is JsonObject resolved && (resolved["type"]?.ToString() == "array" || resolved["items"] != null))
                {
                    return name;
                }
            }

            return null;
        }

        private bool IsObject(JsonObject schema)
        {
            if (schema["type"]?.ToString() == "object" || schema["properties"] != null)
            {
                return true;
            }

            foreach (var combinator in new[] { "allOf", "anyOf", "oneOf" })
            {
                if (schema[combinator] is JsonArray parts && parts.Any(p => Resolve(p) is JsonObject r && IsObject(r)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The properties of an object schema, through <c>allOf</c>.</summary>
        private IEnumerable<(string Name, JsonNode? Schema)> Properties(JsonObject? schema)
        {
            if (schema == null)
            {
                yield break;
            }

            if (schema["properties"] is JsonObject properties)
            {
                foreach (var pair in properties)
                {
                    yield return (pair.Key, pair.Value);
                }
            }

            if (schema["allOf"] is JsonArray parts)
            {
                foreach (var part in parts)
                {
                    foreach (var inner in Properties(Resolve(part) as JsonObject))
                    {
                        yield return inner;
                    }
                }
            }
        }

        /// <summary>Follows local <c>$ref</c>s (<c>#/components/...</c>).</summary>
        internal JsonNode? Resolve(JsonNode? node)
        {
            for (var depth = 0; depth < 16 && node is JsonObject o && o["$ref"] is JsonValue reference; depth++)
            {
                var pointer = reference.ToString();
                if (!pointer.StartsWith("#/", StringComparison.Ordinal))
                {
                    return null;
                }

                JsonNode? target = _document;
                foreach (var part in pointer.Substring(2).Split('/'))
                {
                    target = target?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
                }

                node = target;
            }

            return node;
        }
    }
}
