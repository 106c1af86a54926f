using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Aha.Sandbox.Http;

namespace Aha.Sandbox.Data
{
    /// <summary>
    /// Audits and the recycle bin. Once <see cref="Auditing"/> is on (after seeding), every create, update and remove
    /// of the store appends audits, and a removed record goes to the recycle bin for seven days.
    /// </summary>
    internal sealed partial class SandboxStore
    {
        /// <summary>How long a deleted record can be restored, as in Aha!.</summary>
        public static readonly TimeSpan RecycleBinRetention = TimeSpan.FromDays(7);

        private const long DeletionIdBase = 7030000000000000000L;

        /// <summary>Members that every write touches or that are derived: never reported as a change.</summary>
        private static readonly HashSet<string> Unaudited = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "reference_num", "reference_prefix", "url", "resource", "created_at", "updated_at", "product_id", "custom_fields", "description",
        };

        private readonly List<Deletion> _recycleBin = new List<Deletion>();
        private long _deletions;

        public AuditLog Audits { get; } = new AuditLog();

        /// <summary>Off while seeding (demo data and examples have no history), on once the sandbox serves requests.</summary>
        public bool Auditing { get; set; }

        // ---------------------------------------------------------------- audits of writes

        private JsonObject? SnapshotForAudit(Record record) => Auditing ? Full(record) : null;

        private void AuditCreate(Record record, string verb = "created")
        {
            if (!Auditing)
            {
                return;
            }

            var entry = Entry(record, "create", verb);
            var full = Full(record);
            foreach (var pair in full)
            {
                if (!Unaudited.Contains(pair.Key) && pair.Value != null)
                {
                    entry.Changes.Add((Humanize(pair.Key), AuditLog.Display(pair.Value)));
                }
            }

            if (full["description"] is JsonNode description)
            {
                entry.Changes.Add(("Description", AuditLog.Display(description)));
            }

            foreach (var field in CustomFieldsByKey(full))
            {
                entry.Changes.Add((field.Value.Name ?? field.Key, AuditLog.Display(field.Value.Value)));
            }

            Audits.Append(entry);
        }

        private void AuditUpdate(Record record, JsonObject? before)
        {
            if (!Auditing || before == null)
            {
                return;
            }

            var after = Full(record);
            var entry = Entry(record, "update", "updated");
            foreach (var name in before.Select(p => p.Key).Union(after.Select(p => p.Key)))
            {
                if (!Unaudited.Contains(name) && !JsonNode.DeepEquals(before[name], after[name]))
                {
                    entry.Changes.Add((Humanize(name), AuditLog.Display(after[name])));
                }
            }

            if (entry.Changes.Count > 0)
            {
                Audits.Append(entry);
            }

            // Secondary objects get audits of their own, associated with the record, as Aha! keeps them.
            if (!JsonNode.DeepEquals(before["description"], after["description"]))
            {
                var note = Entry(record, "update", "updated");
                note.AuditableType = "note";
                note.AuditableId = IdText((after["description"] as JsonObject)?["id"] ?? (before["description"] as JsonObject)?["id"]) is { Length: > 0 } noteId ? noteId : SecondaryId(record, "description");
                note.AssociatedType = record.Kind.Name;
                note.AssociatedId = record.Id;
                note.Changes.Add(("Description", AuditLog.Display(after["description"])));
                Audits.Append(note);
            }

            var oldFields = CustomFieldsByKey(before);
            var newFields = CustomFieldsByKey(after);
            foreach (var key in oldFields.Keys.Union(newFields.Keys))
            {
                oldFields.TryGetValue(key, out var old);
                newFields.TryGetValue(key, out var now);
                if (!JsonNode.DeepEquals(old.Value, now.Value))
                {
                    var field = Entry(record, old.Name != null && now.Name == null ? "destroy" : old.Name == null ? "create" : "update", "updated");
                    field.AuditableType = "custom_field_value";
                    field.AuditableId = SecondaryId(record, "custom_field|" + key);
                    field.AssociatedType = record.Kind.Name;
                    field.AssociatedId = record.Id;
                    field.Changes.Add((now.Name ?? old.Name ?? key, AuditLog.Display(now.Value)));
                    Audits.Append(field);
                }
            }
        }

        private void AuditDestroy(Record record)
        {
            if (!Auditing)
            {
                return;
            }

            Audits.Append(Entry(record, "destroy", "deleted"));
            _recycleBin.Add(new Deletion((DeletionIdBase + ++_deletions).ToString(CultureInfo.InvariantCulture), record, Now, CurrentUser != null ? UserRef(CurrentUser) : null));
        }

        private AuditEntry Entry(Record record, string action, string verb)
        {
            var (associatedType, associatedId) = Associated(record);
            var label = string.Join(" ", new[] { record.Key, record.Name }.Where(s => !string.IsNullOrEmpty(s)));
            return new AuditEntry
            {
                Action = action,
                At = Now,
                User = CurrentUser != null ? UserRef(CurrentUser) : null,
                AuditableType = record.Kind.Name,
                AuditableId = record.Id,
                AssociatedType = associatedType,
                AssociatedId = associatedId,
                Description = $"{verb} {record.Kind.Name.Replace('_', ' ')} {(label.Length > 0 ? label : record.Id)}",
                Url = "https://sandbox.aha.io/" + record.Kind.Plural + "/" + (record.Key ?? record.Id),
            };
        }

        /// <summary>The record an audit of <paramref name="record"/> belongs with: its parent, else its product.</summary>
        private static (string Type, string Id) Associated(Record record)
        {
            foreach (var name in new[] { "feature", "release", "epic", "idea", "initiative", "goal", "requirement", "task", "release_phase" })
            {
                if (record.Link(name) is string id)
                {
                    return (name, id);
                }
            }

            var other = record.Links.FirstOrDefault(p => p.Key != "product" && p.Value.Count > 0 && !record.Kind.Relations.Any(r => r.Attribute == p.Key));
            if (other.Key != null)
            {
                return (other.Key, other.Value[0]);
            }

            // A record without a parent (a product, a user, an account-wide record) is associated with itself.
            return record.Link("product") is string product ? ("product", product) : (record.Kind.Name, record.Id);
        }

        private static string SecondaryId(Record record, string what) =>
            (IdBase + 5000000000000000L + (StableHash(record.Id + "|" + what) % 1000000000L)).ToString(CultureInfo.InvariantCulture);

        private static Dictionary<string, (string? Name, JsonNode? Value)> CustomFieldsByKey(JsonObject rendered)
        {
            var result = new Dictionary<string, (string?, JsonNode?)>(StringComparer.Ordinal);
            switch (rendered["custom_fields"])
            {
                case JsonArray array:
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        if (Str(item["key"]) is string key)
                        {
                            result[key] = (Str(item["name"]) ?? key, item["value"] ?? item["body"]);
                        }
                    }

                    break;
                case JsonObject map:
                    foreach (var pair in map)
                    {
                        result[pair.Key] = (Humanize(pair.Key), pair.Value);
                    }

                    break;
            }

            return result;
        }

        // ---------------------------------------------------------------- recycle bin

        /// <summary>The recycle bin's entries younger than seven days, oldest first (older ones are dropped).</summary>
        public IReadOnlyList<Deletion> Deletions()
        {
            var cutoff = Now - RecycleBinRetention;
            _recycleBin.RemoveAll(d => d.DeletedAt <= cutoff);
            return _recycleBin.ToArray();
        }

        /// <summary>Puts a deleted record back, with its id, key, place in lists, links and custom fields.</summary>
        public Deletion Restore(string deletionId)
        {
            var deletion = Deletions().FirstOrDefault(d => d.Id == deletionId)
                ?? throw ApiError.NotFound($"Deletion '{deletionId}' was not found in the recycle bin (entries are kept for 7 days).");
            var record = deletion.Record;
            if (Contains(record.Kind, record.Id, record.Key))
            {
                throw new ApiError(409, $"{Humanize(record.Kind.Name)} '{record.Key ?? record.Id}' exists again; it cannot be restored over itself.");
            }

            Reinsert(record);
            _recycleBin.Remove(deletion);
            AuditCreate(record, "restored");
            return deletion;
        }

        /// <summary>The recycle-bin entry as Aha! renders it.</summary>
        public JsonObject RenderDeletion(Deletion deletion, string status)
        {
            var record = new JsonObject
            {
                ["id"] = deletion.Record.Id,
                ["name"] = deletion.Record.Name ?? deletion.Record.Key ?? deletion.Record.Id,
                ["type"] = TypeName(deletion.Record.Kind),
            };
            if (deletion.Record.Key != null)
            {
                record["reference_num"] = deletion.Record.Key;
            }

            JsonObject? by = null;
            if (deletion.DeletedBy != null)
            {
                by = new JsonObject
                {
                    ["id"] = long.TryParse(Str(deletion.DeletedBy["id"]), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : deletion.DeletedBy["id"]?.DeepClone(),
                    ["name"] = deletion.DeletedBy["name"]?.DeepClone(),
                    ["email"] = deletion.DeletedBy["email"]?.DeepClone(),
                };
            }

            return new JsonObject
            {
                ["status"] = status,
                ["record"] = record,
                ["deleted_by"] = by,
                ["id"] = deletion.Id,
                ["deleted_at"] = Iso(deletion.DeletedAt),
            };
        }
    }
}
