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
                        var kind = Kinds.FromWrapper(pair.Key);
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
                            }
                        }
                    }
                }
            }

            foreach (var (record, source) in added)
            {
                Link(store, record, source);
            }

            return added.Count;
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
                if (pair.Key is not ("id" or "reference_num" or "reference_prefix" or "url" or "resource" or "custom_fields"))
                {
                    data[pair.Key] = pair.Value?.DeepClone();
                }
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

        private static void Link(SandboxStore store, Record record, JsonObject source)
        {
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
