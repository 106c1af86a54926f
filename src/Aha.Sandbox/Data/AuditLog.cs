using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Data
{
    /// <summary>
    /// The change history of the sandbox, in the shape of Aha!'s <c>GET /audits</c>: one entry per create, update and
    /// destroy that a request caused, with only the changed fields. Ids ascend with every entry (the <c>after_id</c>
    /// cursor relies on it). Callers hold the store's gate.
    /// </summary>
    internal sealed class AuditLog
    {
        /// <summary>Above the record ids (701...) and the example ids (677...): 19 digits, strictly ascending.</summary>
        private const long IdBase = 7020000000000000000L;

        private readonly List<JsonObject> _entries = new List<JsonObject>();
        private long _count;

        /// <summary>Called with every new entry (the webhook dispatcher queues it for delivery).</summary>
        public Action<JsonObject>? Appended { get; set; }

        public IReadOnlyList<JsonObject> Entries => _entries;

        /// <summary>The numeric value of an audit id, for the <c>after_id</c> cursor.</summary>
        public static long Number(JsonObject audit) =>
            long.Parse(audit["id"]!.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture);

        public JsonObject Append(AuditEntry entry)
        {
            var audit = new JsonObject
            {
                ["id"] = (IdBase + ++_count).ToString(CultureInfo.InvariantCulture),
                ["audit_action"] = entry.Action,
                ["created_at"] = SandboxStore.Iso(entry.At),
                ["interesting"] = true,
                ["user"] = entry.User?.DeepClone(),
                ["contributors"] = entry.User == null ? new JsonArray() : new JsonArray(new JsonObject { ["user"] = entry.User.DeepClone() }),
                ["auditable_type"] = entry.AuditableType,
                ["auditable_id"] = NumericId(entry.AuditableId),
                ["associated_type"] = entry.AssociatedType,
                ["associated_id"] = entry.AssociatedId == null ? null : NumericId(entry.AssociatedId),
                ["description"] = entry.Description,
                ["auditable_url"] = entry.Url,
                ["changes"] = new JsonArray(entry.Changes.Select(c => (JsonNode?)new JsonObject { ["field_name"] = c.Field, ["value"] = c.Value?.DeepClone() }).ToArray()),
            };
            _entries.Add(audit);
            Appended?.Invoke((JsonObject)audit.DeepClone());
            return audit;
        }

        /// <summary>Aha! sends the audited record's id as a JSON number; an id that is not a number stays a string.</summary>
        private static JsonNode NumericId(string id) =>
            long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(id)!;

        /// <summary>
        /// How a changed value is shown, always as text (null when the value was removed): text as it is, numbers and
        /// booleans as JSON text, a rich-text note by its HTML body, a reference by its name (or email), a list as its
        /// items joined with ", ".
        /// </summary>
        public static JsonNode? Display(JsonNode? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case JsonValue v:
                    return JsonValue.Create(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()); // Aha! shows every value as text
                case JsonObject o:
                    var text = SandboxStore.Str(o["body"]) ?? SandboxStore.Str(o["name"]) ?? SandboxStore.Str(o["email"]) ?? SandboxStore.Str(o["reference_num"]);
                    return text != null ? JsonValue.Create(text) : JsonValue.Create(o.ToJsonString());
                case JsonArray a:
                    return JsonValue.Create(string.Join(", ", a.Select(item => Display(item) is JsonValue iv
                        ? (iv.GetValueKind() == JsonValueKind.String ? iv.GetValue<string>() : iv.ToJsonString())
                        : string.Empty)));
                default:
                    return null;
            }
        }
    }

    /// <summary>What one audit says; <see cref="AuditLog.Append"/> numbers and renders it.</summary>
    internal sealed class AuditEntry
    {
        public string Action { get; set; } = "update";

        public DateTimeOffset At { get; set; }

        public JsonObject? User { get; set; }

        public string AuditableType { get; set; } = string.Empty;

        public string AuditableId { get; set; } = string.Empty;

        public string? AssociatedType { get; set; }

        public string? AssociatedId { get; set; }

        public string Description { get; set; } = string.Empty;

        public string? Url { get; set; }

        public List<(string Field, JsonNode? Value)> Changes { get; } = new List<(string, JsonNode?)>();
    }

    /// <summary>One entry of the recycle bin: the removed record itself, so that a restore brings it back unchanged.</summary>
    internal sealed class Deletion
    {
        public Deletion(string id, Record record, DateTimeOffset deletedAt, JsonObject? deletedBy)
        {
            Id = id;
            Record = record;
            DeletedAt = deletedAt;
            DeletedBy = deletedBy;
        }

        public string Id { get; }

        public Record Record { get; }

        public DateTimeOffset DeletedAt { get; }

        public JsonObject? DeletedBy { get; }
    }
}
