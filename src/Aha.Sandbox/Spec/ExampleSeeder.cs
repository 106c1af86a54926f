using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aha.Sandbox.Data;

namespace Aha.Sandbox.Spec
{
    /// <summary>
    /// Adds the records shown in the spec's response examples to the store, so that what the documentation shows
    /// (<c>GET /features/APP-1</c>, ...) can be fetched from the sandbox. Records are stored as the example shows them;
    /// their custom-field arrays become typed custom fields, and their embedded product, release, epic and feature
    /// references become links where the referenced record exists (an embedded product is added if it is missing).
    /// An example whose id or key is already taken is skipped.
    /// </summary>
    internal static class ExampleSeeder
    {
        public static int Seed(SandboxStore store, JsonObject document)
        {
            var added = new List<(Record Record, JsonObject Source)>();
            var listedUnder = new List<(Record Record, string ParentSegment)>();
            foreach (var operation in SpecDocument.Operations(document).Where(o => o.Method == "GET").Concat(SpecDocument.Operations(document).Where(o => o.Method != "GET")))
            {
                foreach (var example in operation.ResponseExamples())
                {
                    if (example is not JsonObject body)
                    {
                        continue;
                    }

                    foreach (var pair in body)
                    {
                        var kind = store.KindOf(pair.Key);
                        if (kind == null)
                        {
                            continue;
                        }

                        var items = pair.Value switch
                        {
                            JsonObject single when pair.Key != kind.Plural => new[] { single },
                            JsonArray many when pair.Key == kind.Plural => many.OfType<JsonObject>().ToArray(),
                            _ => Array.Empty<JsonObject>(),
                        };
                        foreach (var item in items)
                        {
                            if (Add(store, kind, item) is Record record)
                            {
                                added.Add((record, item));
                                if (operation.Method == "GET" && ListParentSegment(operation.Path) is string parentSegment)
                                {
                                    listedUnder.Add((record, parentSegment));
                                }
                            }
                        }
                    }
                }
            }

            // Records that the examples only embed (a feature's goals, a release's owner, watchers...) become records too,
            // so the documented request examples that refer to them by id are accepted.
            var everyExample = SpecDocument.Operations(document).SelectMany(o => o.ResponseExamples()).ToList();
            foreach (var example in everyExample)
            {
                foreach (var embedded in Embedded(example))
                {
                    if (Add(store, embedded.Kind, embedded.Item) is Record record)
                    {
                        added.Add((record, embedded.Item));
                    }
                }
            }

            foreach (var (record, source) in added)
            {
                Link(store, record, source);
            }

            LinkListedUnderParent(store, listedUnder);

            DefineRequestCustomFields(store, document);
            return added.Count;
        }

        private static readonly Dictionary<string, ResourceKind> EmbeddedKinds = new Dictionary<string, ResourceKind>(StringComparer.Ordinal)
        {
            ["assigned_to_user"] = Kinds.User, ["created_by_user"] = Kinds.User, ["owner"] = Kinds.User, ["user"] = Kinds.User,
            ["watchers"] = Kinds.User, ["endorsed_by_user"] = Kinds.User, ["responded_by_user"] = Kinds.User, ["assigned_by_user"] = Kinds.User,
            ["release"] = Kinds.Release, ["parent"] = Kinds.Release, ["epic"] = Kinds.Epic, ["master_feature"] = Kinds.Epic,
            ["goals"] = Kinds.Goal, ["initiative"] = Kinds.Initiative, ["initiatives"] = Kinds.Initiative, ["feature"] = Kinds.Feature,
        };

        private static IEnumerable<(ResourceKind Kind, JsonObject Item)> Embedded(JsonNode? node)
        {
            if (node is JsonArray list)
            {
                foreach (var element in list)
                {
                    foreach (var found in Embedded(element))
                    {
                        yield return found;
                    }
                }
            }

            if (node is not JsonObject source)
            {
                yield break;
            }

            foreach (var pair in source)
            {
                if (EmbeddedKinds.TryGetValue(pair.Key, out var kind))
                {
                    var items = pair.Value is JsonArray array ? array.OfType<JsonObject>() : pair.Value is JsonObject single ? new[] { single } : Enumerable.Empty<JsonObject>();
                    foreach (var item in items)
                    {
                        if (Text(item["id"]) != null && (Text(item["name"]) != null || Text(item["email"]) != null))
                        {
                            yield return (kind, item);
                        }
                    }
                }

                foreach (var found in Embedded(pair.Value))
                {
                    yield return found;
                }
            }
        }

        /// <summary>Custom fields that the request examples write (<c>{"custom_fields": {"region": ...}}</c>) are defined on their record type.</summary>
        private static void DefineRequestCustomFields(SandboxStore store, JsonObject document)
        {
            foreach (var operation in SpecDocument.Operations(document).Where(o => o.Method is "POST" or "PUT"))
            {
                var media = operation.Operation["requestBody"]?["content"]?["application/json"];
                var bodies = (media?["examples"] as JsonObject)?.Select(p => p.Value?["value"]).ToList() ?? new List<JsonNode?>();
                if (media?["example"] is JsonNode single)
                {
                    bodies.Add(single);
                }

                foreach (var body in bodies.OfType<JsonObject>())
                {
                    foreach (var pair in body)
                    {
                        if (store.KindOf(pair.Key) is ResourceKind kind && kind.HasCustomFields && pair.Value?["custom_fields"] is JsonObject fields)
                        {
                            foreach (var field in fields)
                            {
                                if (store.FieldDefinitions(kind).All(d => d.Key != field.Key))
                                {
                                    store.DefineCustomField(kind, JsonValue.Create(store.NextId()), field.Key, SandboxStore.Humanize(field.Key), Guess(field.Value));
                                }
                            }
                        }
                    }
                }
            }
        }

        private static Record? Add(SandboxStore store, ResourceKind kind, JsonObject item)
        {
            var id = Text(item["id"]);
            if (id == null)
            {
                return null;
            }

            var key = kind == Kinds.Product ? Text(item["reference_prefix"]) : kind.HasKey ? Text(item["reference_num"]) : null;
            if (store.Contains(kind, id, key))
            {
                return null;
            }

            var data = new JsonObject();
            foreach (var pair in item)
            {
                var stripped = pair.Key is "id" or "reference_num" or "reference_prefix"
                    || (!kind.Generic && pair.Key is "url" or "resource")
                    || (!kind.Generic && pair.Key == "custom_fields");
                if (!stripped)
                {
                    data[pair.Key] = pair.Value?.DeepClone();
                }
            }

            if (kind.Generic && item["id"] is JsonValue idValue && idValue.GetValueKind() == JsonValueKind.Number)
            {
                kind.NumericIds = true;
            }

            var record = store.Insert(kind, id, key, data);
            record.FromExample = true;
            if (kind.HasCustomFields)
            {
                AddCustomFields(store, record, item["custom_fields"]);
            }

            return record;
        }

        private static void AddCustomFields(SandboxStore store, Record record, JsonNode? fields)
        {
            var entries = fields switch
            {
                JsonArray array => array.OfType<JsonObject>().Where(f => Text(f["key"]) != null).ToList(),
                JsonObject map => map.Select(p => new JsonObject { ["key"] = p.Key, ["name"] = SandboxStore.Humanize(p.Key), ["value"] = p.Value?.DeepClone(), ["type"] = Guess(p.Value) }).ToList(),
                _ => new List<JsonObject>(),
            };
            foreach (var field in entries)
            {
                var key = Text(field["key"])!;
                var def = store.FieldDefinitions(record.Kind).FirstOrDefault(d => d.Key == key)
                    ?? store.DefineCustomField(record.Kind, field["id"]?.DeepClone(), key, Text(field["name"]) ?? SandboxStore.Humanize(key), Text(field["type"]) ?? Guess(field["value"]));
                var updated = DateTimeOffset.TryParse(Text(field["updatedAt"]) ?? Text(field["updated_at"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : store.Now;
                var extras = new JsonObject();
                foreach (var pair in field)
                {
                    if (pair.Key is not ("id" or "key" or "name" or "value" or "type" or "updatedAt"))
                    {
                        extras[pair.Key] = pair.Value?.DeepClone();
                    }
                }

                record.CustomFields.RemoveAll(e => e.Definition.Key == key);
                record.CustomFields.Add(new CustomFieldEntry(def, field["value"]?.DeepClone(), updated, extras.Count > 0 ? extras : null));
            }
        }

        private static string Guess(JsonNode? value) => value switch
        {
            JsonArray => "array",
            JsonObject => "equation_sheet",
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => "number",
            _ => "string",
        };

        /// <summary>
        /// <c>/capacity_investments/{id}/estimate_values</c> → <c>capacity_investments</c>: the parent collection of a list
        /// kept under one record; null for any other path.
        /// </summary>
        internal static string? ListParentSegment(string path)
        {
            var segments = path.Trim('/').Split('/');
            return segments.Length == 3 && segments[0].IndexOf('{') < 0 && segments[1].StartsWith("{", StringComparison.Ordinal) && segments[2].IndexOf('{') < 0
                ? segments[0]
                : null;
        }

        /// <summary>
        /// A record of a type only the spec knows, shown by the example of a list kept under a parent
        /// (<c>GET /capacity_investments/{id}/estimate_values</c>), that its own attributes tie to no such parent, belongs to
        /// the first record of that parent type, so the list under that record holds it (an example names no parent id).
        /// </summary>
        private static void LinkListedUnderParent(SandboxStore store, List<(Record Record, string ParentSegment)> listed)
        {
            foreach (var (record, segment) in listed)
            {
                if (!record.Kind.Generic || store.KindOf(segment) is not ResourceKind parentKind || parentKind == record.Kind || record.Link(parentKind.Name) != null)
                {
                    continue;
                }

                if (store.All(parentKind).FirstOrDefault() is Record parent)
                {
                    record.SetLink(parentKind.Name, parent.Id);
                }
            }
        }

        private static void Link(SandboxStore store, Record record, JsonObject source)
        {
            if (record.Kind.Generic)
            {
                // A record type only the spec knows belongs to the records its example names: feature_id: 1, or feature: {id}.
                foreach (var pair in source)
                {
                    var name = pair.Key.EndsWith("_id", StringComparison.Ordinal) ? pair.Key.Substring(0, pair.Key.Length - 3) : pair.Key;
                    var id = pair.Value is JsonObject embedded ? Text(embedded["id"]) : name != pair.Key ? Text(pair.Value) : null;
                    if (id != null && store.KindOf(name) is ResourceKind parentKind && parentKind != record.Kind && store.Find(parentKind, id) is Record parent)
                    {
                        record.SetLink(parentKind.Name, parent.Id);
                    }
                }
            }

            var product = source["project"] as JsonObject ?? source["product"] as JsonObject;
            var productId = Text(product?["id"]) ?? Text(source["product_id"]);
            if (productId != null && record.Kind != Kinds.Product)
            {
                var found = store.Find(Kinds.Product, productId);
                if (found == null && product != null && Text(product["id"]) is string pid)
                {
                    found = Add(store, Kinds.Product, product);
                }

                if (found != null)
                {
                    record.SetLink("product", found.Id);
                }
            }

            foreach (var relation in record.Kind.Relations)
            {
                var value = source[relation.Attribute] ?? (relation.Attribute == "epic" ? source["master_feature"] : null);
                var target = Kinds.ByName(relation.Kind);
                var ids = (value is JsonArray many ? many.ToArray() : new[] { value })
                    .Select(v => v is JsonObject o ? Text(o["id"]) ?? Text(o["reference_num"]) : Text(v))
                    .Where(v => v != null)
                    .Select(v => store.Find(target, v!)?.Id)
                    .Where(v => v != null)
                    .Select(v => v!)
                    .ToList();
                if (ids.Count > 0)
                {
                    record.Links[relation.Attribute] = ids;
                }
            }

            if (record.Kind == Kinds.ReleasePhase && Text(source["release_id"]) is string releaseId && store.Find(Kinds.Release, releaseId) is Record release)
            {
                record.SetLink("release", release.Id);
            }
        }

        private static string? Text(JsonNode? node) => node is JsonValue v
            ? v.GetValueKind() switch
            {
                JsonValueKind.String => v.GetValue<string>(),
                JsonValueKind.Number => v.ToJsonString(),
                _ => null,
            }
            : null;
    }
}
