using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Data
{
    /// <summary>
    /// Record types that only the spec knows, served by the generic layer: registered from the spec's wrappers, seeded
    /// from its examples, written by merging the request's attributes into the shape the record already has.
    /// </summary>
    internal sealed partial class SandboxStore
    {
        private readonly Dictionary<string, ResourceKind> _genericByName = new Dictionary<string, ResourceKind>(StringComparer.Ordinal);
        private readonly List<ResourceKind> _genericKinds = new List<ResourceKind>();

        /// <summary>Every record type: the hand-modelled ones, then those registered from the spec.</summary>
        public IEnumerable<ResourceKind> AllKinds => Kinds.All.Concat(_genericKinds);

        /// <summary>The record type of a wrapper (<c>feature</c>, <c>features</c>) or URL segment, or null.</summary>
        public ResourceKind? KindOf(string wrapperOrSegment) =>
            Kinds.FromWrapper(wrapperOrSegment) ?? (_genericByName.TryGetValue(wrapperOrSegment, out var kind) ? kind : null);

        /// <summary>The record type with this singular wrapper, registered as a generic one if nothing knows it yet.</summary>
        public ResourceKind RegisterKind(string singular, string? plural)
        {
            var known = KindOf(singular) ?? (plural != null ? KindOf(plural) : null);
            if (known != null)
            {
                return known;
            }

            var kind = new ResourceKind(singular, plural ?? singular + "s", keyInfix: null)
            {
                Generic = true,
                ProductAttribute = null,
                HasUrls = false,
                ListFields = null,
                RequiredOnCreate = Array.Empty<string>(),
            };
            _genericKinds.Add(kind);
            _genericByName[singular] = kind;
            _genericByName.TryAdd(kind.Plural, kind);
            _tables[kind.Name] = new Table();
            return kind;
        }

        /// <summary>Lets another URL segment name a record type (<c>to_dos</c> for the kind whose wrapper is <c>todo</c>).</summary>
        public void AliasKind(string segment, ResourceKind kind)
        {
            if (KindOf(segment) == null)
            {
                _genericByName[segment] = kind;
            }
        }

        /// <summary>
        /// Creates a generic record: the answer's documented example as the template (so it has every attribute a real
        /// one has), the written attributes merged in, a new id, timestamps, url and resource, and a link to the parent.
        /// </summary>
        public Record CreateGeneric(ResourceKind kind, JsonObject attributes, Record? parent, JsonObject? template)
        {
            var now = Now;
            var id = NextId();
            var data = template != null ? (JsonObject)template.DeepClone() : new JsonObject();
            foreach (var name in new[] { "id", "reference_num", "reference_prefix" })
            {
                data.Remove(name);
            }

            if (parent != null && data[parent.Kind.Name + "_id"] is JsonValue parentId)
            {
                data[parent.Kind.Name + "_id"] = parentId.GetValueKind() == JsonValueKind.Number && long.TryParse(parent.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? JsonValue.Create(n)
                    : JsonValue.Create(parent.Id);
            }

            MergeInShape(data, attributes);
            data["created_at"] = Iso(now);
            data["updated_at"] = Iso(now);
            var path = kind.Plural + "/" + id;
            data["url"] = "https://sandbox.aha.io/" + path;
            data["resource"] = BaseUrl + path;

            var record = Insert(kind, id, null, data);
            if (parent != null)
            {
                record.SetLink(parent.Kind.Name, parent.Id);
                if (parent.Kind != Kinds.Product && parent.Link("product") is string product)
                {
                    record.SetLink("product", product);
                }
            }

            AuditCreate(record);
            return record;
        }

        /// <summary>
        /// Merges written attributes into a generic record (a PUT changes only what it names). <paramref name="shapes"/>,
        /// the operation's documented answer, gives the read shape of an attribute the record does not hold yet.
        /// </summary>
        public void UpdateGeneric(Record record, JsonObject attributes, JsonObject? shapes = null)
        {
            var before = SnapshotForAudit(record);
            var data = (JsonObject)record.Data.DeepClone();
            MergeInShape(data, attributes, shapes);
            data["updated_at"] = Iso(Now);
            record.Data = data;
            AuditUpdate(record, before);
        }

        /// <summary>
        /// Each written attribute replaces the stored one, in the stored one's shape where Aha! reads a value in another
        /// form than it is written: a string into a rich-text or named object (its <c>body</c>, <c>name</c>, <c>email</c>
        /// or <c>value</c>), a comma-separated string into a list of strings, a number into a string id and back.
        /// </summary>
        private static void MergeInShape(JsonObject data, JsonObject attributes, JsonObject? shapes = null)
        {
            foreach (var pair in attributes)
            {
                if (pair.Key is "id" or "created_at" or "updated_at" or "url" or "resource")
                {
                    continue;
                }

                data[pair.Key] = pair.Key == "custom_object_links" && pair.Value is JsonObject links
                    ? ObjectLinks(data[pair.Key] as JsonArray, links)
                    : InShape(data[pair.Key] ?? shapes?[pair.Key], pair.Value);
            }
        }

        /// <summary>
        /// Custom-object links are written as <c>{"table_key": [record ids]}</c> and read as
        /// <c>[{"key": ..., "record_ids": [...]}]</c>: each written table replaces that table's ids.
        /// </summary>
        private static JsonArray ObjectLinks(JsonArray? current, JsonObject written)
        {
            var links = current != null ? (JsonArray)current.DeepClone() : new JsonArray();
            foreach (var (key, ids) in written)
            {
                var link = links.OfType<JsonObject>().FirstOrDefault(o => o["key"] is JsonValue k && k.GetValueKind() == JsonValueKind.String && k.GetValue<string>() == key);
                if (link == null)
                {
                    link = new JsonObject { ["key"] = key, ["name"] = key };
                    links.Add(link);
                }

                link["record_ids"] = ids is JsonArray list ? list.DeepClone() : new JsonArray(ids?.DeepClone());
            }

            return links;
        }

        private static JsonNode? InShape(JsonNode? current, JsonNode? value)
        {
            if (value == null || current == null)
            {
                return value?.DeepClone();
            }

            switch (current, value)
            {
                case (JsonArray fields, JsonObject written) when fields.All(item => item is JsonObject o && o.ContainsKey("key")):
                    // custom_fields: written as {key: value}, read as [{key, name, value, type, ...}]
                    var merged = (JsonArray)fields.DeepClone();
                    foreach (var (key, fieldValue) in written)
                    {
                        var item = merged.OfType<JsonObject>().FirstOrDefault(o => o["key"]?.GetValueKind() == JsonValueKind.String && o["key"]!.GetValue<string>() == key);
                        if (item != null)
                        {
                            item["value"] = InShape(item["value"], fieldValue);
                        }
                        else
                        {
                            merged.Add(new JsonObject { ["key"] = key, ["name"] = key, ["value"] = fieldValue?.DeepClone() });
                        }
                    }

                    return merged;
                case (JsonObject stored, JsonObject written):
                    // a relation written by one member ({"name": ...}, {"id": ...}) keeps the members it is read with
                    var copy = (JsonObject)stored.DeepClone();
                    foreach (var (name, member) in written)
                    {
                        copy[name] = InShape(copy[name], member);
                    }

                    return copy;
            }

            if (value is JsonValue v)
            {
                var kind = v.GetValueKind();
                switch (current)
                {
                    case JsonObject o when kind == JsonValueKind.String:
                        var member = new[] { "body", "name", "email", "value" }.FirstOrDefault(o.ContainsKey);
                        if (member != null)
                        {
                            var copy = (JsonObject)o.DeepClone();
                            copy[member] = v.DeepClone();
                            return copy;
                        }

                        break;
                    case JsonArray a when kind == JsonValueKind.String && a.All(item => item is JsonValue iv && iv.GetValueKind() == JsonValueKind.String):
                        return new JsonArray(v.GetValue<string>().Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => (JsonNode?)s).ToArray());
                    case JsonValue c when c.GetValueKind() == JsonValueKind.String && kind == JsonValueKind.Number:
                        return JsonValue.Create(v.ToJsonString());
                    case JsonValue c when c.GetValueKind() == JsonValueKind.Number && kind == JsonValueKind.String
                                          && decimal.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                        return JsonValue.Create(number);
                    case JsonValue c when c.GetValueKind() == JsonValueKind.Number && kind == JsonValueKind.String
                                          && v.GetValue<string>() is { Length: 7 } hex && hex[0] == '#'
                                          && int.TryParse(hex.Substring(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var color):
                        return JsonValue.Create(color); // a colour written as "#rrggbb", read as a number
                    case JsonValue c when c.GetValueKind() is JsonValueKind.True or JsonValueKind.False && kind == JsonValueKind.String
                                          && bool.TryParse(v.GetValue<string>(), out var flag):
                        return JsonValue.Create(flag);
                    case JsonObject o when kind is JsonValueKind.Number && o.ContainsKey("value"):
                        var withValue = (JsonObject)o.DeepClone();
                        withValue["value"] = v.DeepClone();
                        return withValue;
                }
            }

            return value.DeepClone();
        }
    }
}
