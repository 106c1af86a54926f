using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aha.Sandbox.Http;

namespace Aha.Sandbox.Data
{
    internal sealed partial class SandboxStore
    {
        /// <summary>
        /// Creates a record from the attributes of a request body. <paramref name="parent"/> is the record named in the
        /// URL (the release of <c>POST /releases/{id}/features</c>), linked under <paramref name="parentLink"/>; its
        /// product is inherited. Nothing is stored if the attributes are invalid.
        /// </summary>
        public Record Create(ResourceKind kind, JsonObject attributes, Record? parent, string? parentLink)
        {
            foreach (var required in kind.RequiredOnCreate)
            {
                if (!attributes.TryGetPropertyValue(required, out var value) || value == null
                    || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>())))
                {
                    throw ApiError.BadRequest($"Validation failed: {Humanize(required)} can't be blank");
                }
            }

            var now = Now;
            var staging = new Record(kind, "staging", null, 0, new JsonObject());
            if (parent != null && parentLink != null)
            {
                staging.SetLink(parentLink, parent.Id);
                if (parent.Kind == Kinds.Product)
                {
                    staging.SetLink("product", parent.Id);
                }
                else if (parent.Link("product") is string product)
                {
                    staging.SetLink("product", product);
                }
            }

            if (kind.Workflow.Length > 0 && kind != Kinds.Task)
            {
                staging.Data["workflow_status"] = Status(kind, kind.Workflow[0]);
            }

            Apply(staging, attributes, creating: true, now);
            if ((kind == Kinds.Comment || kind == Kinds.TimeTrackingEvent) && !staging.Data.ContainsKey("user") && CurrentUser != null)
            {
                staging.Data["user"] = UserRef(CurrentUser); // written by the token's user
            }

            var productRecord = staging.Link("product") is string pid ? Find(Kinds.Product, pid) : null;
            var featureRecord = kind == Kinds.Requirement && staging.Link("feature") is string fid ? Find(Kinds.Feature, fid) : null;
            var key = NextKey(kind, productRecord, featureRecord);
            var data = new JsonObject();
            foreach (var pair in staging.Data.ToList())
            {
                staging.Data.Remove(pair.Key);
                data[pair.Key] = pair.Value;
            }

            if (!data.ContainsKey("created_at"))
            {
                data["created_at"] = Iso(now);
            }

            data["updated_at"] = Iso(now);
            var record = Insert(kind, NextId(), key, data);
            record.Links = staging.Links;
            record.CustomFields = staging.CustomFields;
            AuditCreate(record);
            return record;
        }

        /// <summary>Applies the attributes of a request body to a record, all or nothing.</summary>
        public void Update(Record record, JsonObject attributes)
        {
            var before = SnapshotForAudit(record);
            var staging = new Record(record.Kind, record.Id, record.Key, record.Sequence, (JsonObject)record.Data.DeepClone())
            {
                Links = record.Links.ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal),
                CustomFields = record.CustomFields.Select(c => c.Clone()).ToList(),
            };
            var now = Now;
            Apply(staging, attributes, creating: false, now);
            staging.Data["updated_at"] = Iso(now);
            record.Data = staging.Data;
            record.Links = staging.Links;
            record.CustomFields = staging.CustomFields;
            AuditUpdate(record, before);
        }

        private void Apply(Record target, JsonObject attributes, bool creating, DateTimeOffset now)
        {
            var kind = target.Kind;
            foreach (var pair in attributes)
            {
                var name = pair.Key;
                var value = pair.Value;
                if (ReadOnlyAttributes.Contains(name) || (name == "created_at" && !creating))
                {
                    continue;
                }

                var relation = kind.Relations.FirstOrDefault(r => r.Writable
                    && (r.Attribute == name || (!r.Many && r.Attribute + "_id" == name) || (r.Many && r.Attribute.TrimEnd('s') + "_ids" == name)));
                if (relation != null)
                {
                    target.Links.Remove(relation.Attribute);
                    var ids = ResolveReferences(relation, value);
                    if (ids.Count > 0)
                    {
                        target.Links[relation.Attribute] = ids;
                    }

                    continue;
                }

                switch (name)
                {
                    case "phase_type":
                        target.Data["type"] = RequireString(name, value); // written as phase_type, read as type
                        break;

                    case "taskable_type":
                    case "taskable_id":
                        break; // turned into the taskable link by the route

                    case "name":
                        var text = RequireString(name, value);
                        if (string.IsNullOrWhiteSpace(text))
                        {
                            throw ApiError.BadRequest("Validation failed: Name can't be blank");
                        }

                        target.Data[name] = text;
                        break;

                    case "description" when kind.PlainDescription:
                        target.Data[name] = value == null ? null : RequireString(name, value);
                        break;

                    case "description":
                    case "theme":
                    case "admin_response":
                        target.Data[name] = value == null ? null : NoteOf(name, value, now);
                        break;

                    case "idea_users" when value is JsonArray contacts:
                        // Aha! takes contacts as emails or objects and answers objects
                        target.Data[name] = new JsonArray(contacts.Select(c => c is JsonValue email ? (JsonNode?)new JsonObject { ["email"] = email.DeepClone() } : c?.DeepClone()).ToArray());
                        break;

                    case "custom_object_links" when value is JsonObject links:
                        // written as {table key: [record ids]}, read back as Aha! answers it: one link object per table
                        target.Data[name] = new JsonArray(links.Select(link => (JsonNode?)new JsonObject
                        {
                            ["key"] = link.Key,
                            ["name"] = link.Key,
                            ["record_type"] = "CustomObjectRecord",
                            ["record_ids"] = link.Value?.DeepClone() ?? new JsonArray(),
                        }).ToArray());
                        break;

                    case "workflow_kind":
                    case "time_frame":
                        target.Data[name] = value == null ? null : NamedObject(name, value);
                        break;

                    case "categories":
                        target.Data[name] = new JsonArray(StringList(name, value).Select(c => (JsonNode?)new JsonObject
                        {
                            ["id"] = (IdBase / 1000 + StableHash("category|" + Str(c))).ToString(CultureInfo.InvariantCulture),
                            ["name"] = Str(c),
                            ["parent_id"] = null,
                            ["project_id"] = target.Link("product"),
                            ["created_at"] = Iso(now),
                        }).ToArray());
                        break;

                    case "email_domains":
                        target.Data[name] = string.Join(", ", StringList(name, value).Select(d => Str(d)));
                        break;

                    case "success_metric" when value is JsonObject metric:
                        var converted = (JsonObject)metric.DeepClone();
                        if (converted["description"] is JsonNode metricDescription)
                        {
                            converted["description"] = NoteOf("success_metric.description", metricDescription, now);
                        }

                        if (converted["workflow_status"] is JsonNode metricStatus)
                        {
                            converted["workflow_status"] = Status(kind, StatusName("success_metric.workflow_status", metricStatus));
                        }

                        target.Data[name] = converted;
                        break;

                    case "workflow_status" when kind != Kinds.Task:
                    case "status" when kind != Kinds.Task && kind.Workflow.Length > 0:
                    case "workflow_status_id":
                        target.Data["workflow_status"] = Status(kind, StatusName(name, value));
                        break;

                    case "tags":
                        target.Data[name] = StringList(name, value);
                        break;

                    case "created_by":
                    case "created_by_user":
                        target.Data["created_by_user"] = value == null ? null : UserRef(ResolveUser(name, value));
                        break;

                    case "assigned_to_user":
                    case "assigned_to_user_id":
                        target.Data["assigned_to_user"] = value == null ? null : UserRef(ResolveUser(name, value));
                        break;

                    case "watchers":
                    case "assigned_to_users":
                        target.Data[name] = new JsonArray(UserList(name, value).Select(u => (JsonNode?)UserRef(u)).ToArray());
                        break;

                    case "custom_fields":
                        if (!kind.HasCustomFields)
                        {
                            throw ApiError.BadRequest($"A {kind.Name.Replace('_', ' ')} has no custom fields.");
                        }

                        if (value is not JsonObject fields)
                        {
                            throw ApiError.BadRequest("custom_fields must be an object mapping each field key to its value, for example {\"custom_fields\": {\"priority\": \"P1\"}}.");
                        }

                        ApplyCustomFields(target, fields, now);
                        break;

                    case "progress":
                        if (AsDouble(value) is not double progress || progress < 0 || progress > 100)
                        {
                            throw ApiError.BadRequest("progress must be a number from 0 to 100.");
                        }

                        target.Data[name] = progress;
                        break;

                    default:
                        if (DateAttributes.Contains(name))
                        {
                            target.Data[name] = value == null ? null : DateOf(name, value);
                        }
                        else
                        {
                            target.Data[name] = value?.DeepClone();
                        }

                        break;
                }
            }

            if (kind == Kinds.TimeTrackingEvent)
            {
                ApplyTimeTracking(target, attributes, now);
            }
        }

        private void ApplyTimeTracking(Record target, JsonObject attributes, DateTimeOffset now)
        {
            if (attributes["user_id"] is JsonNode userId && Find(Kinds.User, IdText(userId)) is Record user)
            {
                target.Data["user"] = UserRef(user);
            }

            var text = Str(attributes["work_done_text"]);
            if (text == null && attributes["work_done"] is null)
            {
                throw ApiError.BadRequest("Validation failed: Work done can't be blank (send work_done_text, e.g. \"1h 30min\" or \"5p\").");
            }

            if (text != null)
            {
                var (amount, units) = ParseWork(text);
                target.Data["work_done"] = amount;
                target.Data["work_units"] = units;
                target.Data.Remove("work_done_text");
            }

            target.Data.Remove("remaining_estimate_text");
            target.Data.Remove("user_id");
            if (!target.Data.ContainsKey("occurred_on"))
            {
                target.Data["occurred_on"] = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Parses Aha!'s estimate grammar: <c>min</c>, <c>h</c>, <c>d</c> (8 h), <c>w</c> (5 d), <c>m</c> (22 d) into minutes (units 10), or <c>p</c> into points (units 20).</summary>
        internal static (double Amount, int Units) ParseWork(string text)
        {
            var trimmed = text.Trim().ToLowerInvariant();
            if (trimmed.EndsWith("p", StringComparison.Ordinal) && double.TryParse(trimmed.TrimEnd('p').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var points))
            {
                return (points, 20);
            }

            double minutes = 0;
            var parts = System.Text.RegularExpressions.Regex.Matches(trimmed, @"(\d+(?:\.\d+)?)\s*(min|h|d|w|m)\b");
            if (parts.Count == 0)
            {
                throw ApiError.BadRequest($"work_done_text '{text}' is not an estimate such as \"1h 30min\", \"2d\" or \"5p\".");
            }

            foreach (System.Text.RegularExpressions.Match part in parts)
            {
                var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                minutes += part.Groups[2].Value switch
                {
                    "min" => n,
                    "h" => n * 60,
                    "d" => n * 8 * 60,
                    "w" => n * 5 * 8 * 60,
                    _ => n * 22 * 8 * 60,
                };
            }

            return (minutes, 10);
        }

        // ---------------------------------------------------------------- custom fields

        private void ApplyCustomFields(Record target, JsonObject fields, DateTimeOffset now)
        {
            foreach (var pair in fields)
            {
                var def = FieldDefinitions(target.Kind).FirstOrDefault(d => d.Key == pair.Key);
                if (def == null)
                {
                    if (!AllowUnknownCustomFields)
                    {
                        var known = string.Join(", ", FieldDefinitions(target.Kind).Select(d => d.Key));
                        throw ApiError.BadRequest($"Unknown custom field '{pair.Key}' for a {target.Kind.Name.Replace('_', ' ')}. Known keys: {known}.");
                    }

                    def = DefineCustomField(target.Kind, JsonValue.Create(NextId()), pair.Key, Humanize(pair.Key), InferType(pair.Value));
                }

                var index = target.CustomFields.FindIndex(e => e.Definition.Key == def.Key);
                if (pair.Value == null)
                {
                    if (index >= 0)
                    {
                        target.CustomFields.RemoveAt(index);
                    }

                    continue;
                }

                var (value, extras) = Coerce(def, pair.Value, index >= 0 ? target.CustomFields[index].Value : null, now);
                var entry = new CustomFieldEntry(def, value, now, extras);
                if (index >= 0)
                {
                    target.CustomFields[index] = entry;
                }
                else
                {
                    target.CustomFields.Add(entry);
                    target.CustomFields.Sort((a, b) => a.Definition.Order.CompareTo(b.Definition.Order));
                }
            }
        }

        private static string InferType(JsonNode? value) => value switch
        {
            JsonArray => "array",
            JsonObject => "equation_sheet",
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => "number",
            _ => "string",
        };

        private (JsonNode? Value, JsonObject? Extras) Coerce(CustomFieldDefinition def, JsonNode value, JsonNode? current, DateTimeOffset now)
        {
            string Problem(string expected) => $"Custom field '{def.Key}' is of type {def.Type}: expected {expected}, got {Describe(value)}.";

            switch (def.Type)
            {
                case "string":
                case "text":
                case "url":
                    if (value is JsonValue sv && (sv.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    {
                        var s = sv.GetValueKind() == JsonValueKind.String ? sv.GetValue<string>() : sv.ToJsonString();
                        if (def.Type == "url" && s.Length > 0 && !Uri.TryCreate(s, UriKind.Absolute, out _))
                        {
                            throw ApiError.BadRequest(Problem("an absolute URL"));
                        }

                        return (s, null);
                    }

                    throw ApiError.BadRequest(Problem("a string"));

                case "number":
                    if (value is JsonValue nv)
                    {
                        if (nv.GetValueKind() == JsonValueKind.Number)
                        {
                            return (nv.DeepClone(), null);
                        }

                        if (nv.GetValueKind() == JsonValueKind.String && decimal.TryParse(nv.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                        {
                            return (JsonValue.Create(d), null);
                        }
                    }

                    throw ApiError.BadRequest(Problem("a number"));

                case "date":
                    return (DateOf("custom_fields." + def.Key, value), null);

                case "note":
                    var html = value is JsonValue hv && hv.GetValueKind() == JsonValueKind.String ? hv.GetValue<string>() : throw ApiError.BadRequest(Problem("an HTML string"));
                    return (html, new JsonObject { ["body"] = html, ["created_at"] = Iso(now), ["updated_at"] = Iso(now), ["attachments"] = new JsonArray() });

                case "array":
                case "tags":
                    return (StringList("custom_fields." + def.Key, value), null);

                case "users":
                    return (new JsonArray(UserList("custom_fields." + def.Key, value).Select(u => (JsonNode?)UserRef(u)).ToArray()), null);

                case "user":
                    return (UserRef(ResolveUser("custom_fields." + def.Key, value)), null);

                case "equation_sheet":
                    if (value is JsonObject sheet && sheet.All(p => p.Value is null or JsonValue))
                    {
                        return (MergeWorksheet(current, sheet), null);
                    }

                    throw ApiError.BadRequest(Problem("an object mapping worksheet field ids to values, e.g. {\"6651670327076753738\": 777}"));

                case "attachment":
                    throw ApiError.BadRequest($"Custom field '{def.Key}' holds attachments, which cannot be set through a JSON body.");

                default:
                    return (value.DeepClone(), null);
            }
        }

        /// <summary>
        /// A worksheet is written as <c>{"&lt;field id&gt;": value}</c> and read as
        /// <c>{"values": {"&lt;field id&gt;": {"value", "name", "display_value"}}}</c>; cells not written keep their value.
        /// </summary>
        internal static JsonObject MergeWorksheet(JsonNode? current, JsonObject written)
        {
            var result = current is JsonObject c && c["values"] is JsonObject ? (JsonObject)c.DeepClone() : new JsonObject { ["values"] = new JsonObject() };
            var values = (JsonObject)result["values"]!;
            foreach (var cell in written)
            {
                var name = values[cell.Key] is JsonObject old && Str(old["name"]) is string n ? n : cell.Key;
                var display = cell.Value is JsonValue v
                    ? (v.GetValueKind() == JsonValueKind.Number ? AsDouble(v)!.Value.ToString("0.0###", CultureInfo.InvariantCulture) : v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString())
                    : null;
                values[cell.Key] = new JsonObject { ["value"] = cell.Value?.DeepClone(), ["name"] = name, ["display_value"] = display };
            }

            return result;
        }

        // ---------------------------------------------------------------- attribute helpers

        /// <summary>A JSON number as a double, whether it was parsed or built in code (JsonValue.GetValue does not convert the latter).</summary>
        internal static double? AsDouble(JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

        private static string Describe(JsonNode? value) => value switch
        {
            null => "null",
            JsonObject => "an object",
            JsonArray => "an array",
            JsonValue v => v.GetValueKind() switch
            {
                JsonValueKind.String => "a string",
                JsonValueKind.Number => "a number",
                _ => "a boolean",
            },
            _ => "a value",
        };

        private static string RequireString(string name, JsonNode? value) =>
            value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw ApiError.BadRequest($"{name} must be a string, got {Describe(value)}.");

        private static string DateOf(string name, JsonNode value)
        {
            var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (text != null && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return text;
            }

            if (text != null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && text.Contains('T'))
            {
                return t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            throw ApiError.BadRequest($"{name} must be a date (YYYY-MM-DD), got {(text != null ? "'" + text + "'" : Describe(value))}.");
        }

        private static JsonObject NoteOf(string name, JsonNode value, DateTimeOffset now)
        {
            var body = value switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonObject o when Str(o["body"]) is string b => b,
                _ => throw ApiError.BadRequest($"{name} must be an HTML string, got {Describe(value)}."),
            };
            return new JsonObject
            {
                ["id"] = (IdBase + StableHash(body + name)).ToString(CultureInfo.InvariantCulture),
                ["body"] = body,
                ["created_at"] = Iso(now),
                ["updated_at"] = Iso(now),
                ["attachments"] = new JsonArray(),
            };
        }

        /// <summary>A configured object written by name or id (<c>workflow_kind</c>, <c>time_frame</c>) and read as <c>{id, name}</c>.</summary>
        private static JsonObject NamedObject(string name, JsonNode value)
        {
            var text = value switch
            {
                JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number => IdText(v),
                JsonObject o => IdText(o["name"]) is { Length: > 0 } n ? n : IdText(o["id"]),
                _ => string.Empty,
            };
            if (text.Length == 0)
            {
                throw ApiError.BadRequest($"{name} must be a name or id, got {Describe(value)}.");
            }

            return new JsonObject
            {
                ["id"] = text.All(char.IsDigit) ? text : (IdBase / 1000 + StableHash(name + "|" + text)).ToString(CultureInfo.InvariantCulture),
                ["name"] = text,
            };
        }

        private static string StatusName(string name, JsonNode? value) => value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>()) => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            JsonObject o when Str(o["name"]) is string n => n,
            JsonObject o when o["id"] is JsonNode id => id is JsonValue iv && iv.GetValueKind() == JsonValueKind.String ? iv.GetValue<string>() : id.ToJsonString(),
            _ => throw ApiError.BadRequest($"{name} must be a status name (or {{\"name\": ...}}), got {Describe(value)}."),
        };

        private static JsonArray StringList(string name, JsonNode? value)
        {
            switch (value)
            {
                case null:
                    return new JsonArray();
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    return new JsonArray(v.GetValue<string>().Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => (JsonNode?)s).ToArray());
                case JsonArray a:
                    var items = new List<JsonNode?>();
                    foreach (var item in a)
                    {
                        if (item is JsonValue iv && iv.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
                        {
                            items.Add(iv.GetValueKind() == JsonValueKind.String ? iv.GetValue<string>() : iv.ToJsonString());
                        }
                        else
                        {
                            throw ApiError.BadRequest($"{name} must be an array of strings (or a comma-separated string); an item is {Describe(item)}.");
                        }
                    }

                    return new JsonArray(items.ToArray());
                default:
                    throw ApiError.BadRequest($"{name} must be an array of strings or a comma-separated string, got {Describe(value)}.");
            }
        }

        private static string IdText(JsonNode? node) => node is JsonValue v
            ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString())
            : string.Empty;

        private List<string> ResolveReferences(Relation relation, JsonNode? value)
        {
            var kind = Kinds.ByName(relation.Kind);
            IEnumerable<JsonNode?> items = value switch
            {
                null => Array.Empty<JsonNode?>(),
                JsonArray a when relation.Many => a,
                JsonValue v when relation.Many && v.GetValueKind() == JsonValueKind.String =>
                    v.GetValue<string>().Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => (JsonNode?)s),
                JsonValue or JsonObject => new[] { value },
                _ => throw ApiError.BadRequest($"{relation.Attribute} must be {(relation.Many ? "an array of ids or keys" : "an id or key")}, got {Describe(value)}."),
            };
            var ids = new List<string>();
            if (kind == Kinds.User)
            {
                return items.Select(item => ResolveUser(relation.Attribute, item).Id).ToList();
            }

            foreach (var item in items)
            {
                var reference = item is JsonObject o ? IdText(o["id"] ?? o["reference_num"] ?? o["email"]) : IdText(item);
                if (reference.Length == 0)
                {
                    throw ApiError.BadRequest($"{relation.Attribute} must be {(relation.Many ? "an array of ids or keys" : "an id or key")}, got {Describe(item)}.");
                }

                var found = Find(kind, reference) ?? (kind.HasKey ? null : All(kind).FirstOrDefault(r => string.Equals(r.Name, reference, StringComparison.OrdinalIgnoreCase)))
                    ?? All(kind).FirstOrDefault(r => kind != Kinds.User && string.Equals(r.Name, reference, StringComparison.Ordinal));
                if (found == null)
                {
                    throw ApiError.BadRequest($"{relation.Attribute}: no {kind.Name.Replace('_', ' ')} '{reference}'.");
                }

                ids.Add(found.Id);
            }

            return ids;
        }

        private Record ResolveUser(string name, JsonNode? value)
        {
            var reference = value switch
            {
                JsonObject o => IdText(o["email"] ?? o["id"] ?? o["user_id"]),
                _ => IdText(value),
            };
            var user = reference.Length > 0 ? Find(Kinds.User, reference) : null;
            if (user == null && reference.Contains('@', StringComparison.Ordinal) && reference.IndexOf('@', StringComparison.Ordinal) > 0)
            {
                // An unknown email is taken as a new user of the account (the documented examples assign people the demo data lacks).
                var at = Iso(Now);
                user = Insert(Kinds.User, NextId(), null, new JsonObject { ["name"] = reference.Substring(0, reference.IndexOf('@', StringComparison.Ordinal)), ["email"] = reference, ["created_at"] = at, ["updated_at"] = at });
            }

            return user ?? throw ApiError.BadRequest($"{name}: no user '{(reference.Length > 0 ? reference : Describe(value))}' (give a user's id or email).");
        }

        private List<Record> UserList(string name, JsonNode? value) => value switch
        {
            null => new List<Record>(),
            JsonArray a => a.Select(item => ResolveUser(name, item)).ToList(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String =>
                v.GetValue<string>().Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => ResolveUser(name, s)).ToList(),
            _ => new List<Record> { ResolveUser(name, value) },
        };
    }
}
