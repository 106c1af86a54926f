using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Data
{
    /// <summary>A custom field defined on a record type.</summary>
    internal sealed class CustomFieldDefinition
    {
        public CustomFieldDefinition(JsonNode? id, string key, string name, string type, int order)
        {
            Id = id;
            Key = key;
            Name = name;
            Type = type;
            Order = order;
        }

        /// <summary>The id as Aha! renders it: some definitions as a JSON string, others as a JSON number.</summary>
        public JsonNode? Id { get; }

        public string Key { get; }

        public string Name { get; }

        /// <summary><c>string</c>, <c>number</c>, <c>date</c>, <c>note</c>, <c>array</c>, <c>users</c>, <c>url</c>, <c>equation_sheet</c>, <c>attachment</c>, or whatever a spec example used.</summary>
        public string Type { get; }

        public int Order { get; }
    }

    /// <summary>The value of one custom field on one record.</summary>
    internal sealed class CustomFieldEntry
    {
        public CustomFieldEntry(CustomFieldDefinition definition, JsonNode? value, DateTimeOffset updatedAt, JsonObject? extras = null)
        {
            Definition = definition;
            Value = value;
            UpdatedAt = updatedAt;
            Extras = extras;
        }

        public CustomFieldDefinition Definition { get; }

        /// <summary>The value; null for value-less kinds (attachments).</summary>
        public JsonNode? Value { get; }

        public DateTimeOffset UpdatedAt { get; }

        /// <summary>Type-specific members rendered next to the value (<c>attachments</c>, <c>body</c>, ...).</summary>
        public JsonObject? Extras { get; }

        public CustomFieldEntry Clone() => new CustomFieldEntry(Definition, Value?.DeepClone(), UpdatedAt, (JsonObject?)Extras?.DeepClone());
    }

    /// <summary>One stored record. Its own attributes live in <see cref="Data"/>; references to other records in <see cref="Links"/>.</summary>
    internal sealed class Record
    {
        public Record(ResourceKind kind, string id, string? key, long sequence, JsonObject data)
        {
            Kind = kind;
            Id = id;
            Key = key;
            Sequence = sequence;
            Data = data;
        }

        public ResourceKind Kind { get; }

        public string Id { get; }

        /// <summary>Reference number (<c>APP-12</c>) or, for products, the reference prefix.</summary>
        public string? Key { get; }

        /// <summary>Creation order; lists are returned in this order.</summary>
        public long Sequence { get; }

        public JsonObject Data { get; set; }

        /// <summary>Link name (a relation attribute such as <c>release</c>, <c>goals</c>, or a parent kind such as <c>feature</c>) to record ids.</summary>
        public Dictionary<string, List<string>> Links { get; set; } = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        public List<CustomFieldEntry> CustomFields { get; set; } = new List<CustomFieldEntry>();

        /// <summary>Whether the record came verbatim from a spec example (rendered as stored, with links added).</summary>
        public bool FromExample { get; set; }

        public string? Link(string name) => Links.TryGetValue(name, out var ids) && ids.Count > 0 ? ids[0] : null;

        public bool HasLink(string name, string id) => Links.TryGetValue(name, out var ids) && ids.Contains(id, StringComparer.Ordinal);

        public void SetLink(string name, string? id)
        {
            if (id == null)
            {
                Links.Remove(name);
            }
            else
            {
                Links[name] = new List<string> { id };
            }
        }

        public string? Name => Data["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        public DateTimeOffset? Timestamp(string attribute) =>
            Data[attribute] is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
