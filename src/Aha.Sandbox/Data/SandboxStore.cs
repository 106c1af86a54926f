using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aha.Sandbox.Http;

namespace Aha.Sandbox.Data
{
    /// <summary>
    /// The sandbox's state: every record by kind, the custom-field definitions, and the rules that turn a request
    /// body into stored attributes and a stored record into JSON. Callers hold <see cref="Gate"/> around every use.
    /// </summary>
    internal sealed partial class SandboxStore
    {
        /// <summary>
        /// Lowest generated id: 19 digits like Aha!'s, above 2^53 so a client that parses ids as doubles loses digits
        /// visibly, and outside the 6776757454... range that the documentation's examples use.
        /// </summary>
        private const long IdBase = 7010000000000000000L;

        private static readonly HashSet<string> DateAttributes = new HashSet<string>(StringComparer.Ordinal)
        {
            "start_date", "end_date", "release_date", "due_date", "development_started_on", "external_release_date",
            "released_on", "start_on", "end_on", "occurred_on", "initial_estimate_date",
        };

        private static readonly HashSet<string> ReadOnlyAttributes = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "reference_num", "reference_prefix", "url", "resource", "updated_at", "product_id", "project", "product", "commentable",
        };

        private readonly Dictionary<string, Table> _tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<CustomFieldDefinition>> _fieldDefinitions = new Dictionary<string, List<CustomFieldDefinition>>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _keyCounters = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, JsonObject> _statuses = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        private long _sequence;
        private long _ids;

        public SandboxStore(TimeProvider time, bool allowUnknownCustomFields)
        {
            Time = time;
            AllowUnknownCustomFields = allowUnknownCustomFields;
            foreach (var kind in Kinds.All)
            {
                _tables[kind.Name] = new Table();
            }
        }

        public object Gate { get; } = new object();

        public TimeProvider Time { get; }

        public bool AllowUnknownCustomFields { get; }

        /// <summary>Base of <c>resource</c> links, e.g. <c>http://127.0.0.1:5123/api/v1/</c>; set once the server listens.</summary>
        public string BaseUrl { get; set; } = "http://127.0.0.1/api/v1/";

        /// <summary>The user the token belongs to (<c>/me</c>).</summary>
        public Record? CurrentUser { get; set; }

        /// <summary>Used by writes; demo data passes its own fixed timestamps.</summary>
        public DateTimeOffset Now => Time.GetUtcNow();

        // ---------------------------------------------------------------- lookup

        public IReadOnlyList<Record> All(ResourceKind kind) => _tables[kind.Name].Ordered;

        public int Count(ResourceKind kind) => _tables[kind.Name].Ordered.Count;

        public Record? Find(ResourceKind kind, string idOrKey)
        {
            var table = _tables[kind.Name];
            if (table.ById.TryGetValue(idOrKey, out var r) || table.ByKey.TryGetValue(idOrKey, out r))
            {
                return r;
            }

            if (kind == Kinds.User)
            {
                return table.Ordered.FirstOrDefault(u => string.Equals(Str(u.Data["email"]), idOrKey, StringComparison.OrdinalIgnoreCase));
            }

            return null;
        }

        public Record Get(ResourceKind kind, string idOrKey) =>
            Find(kind, idOrKey) ?? throw ApiError.NotFound($"{Humanize(kind.Name)} '{idOrKey}' was not found.");

        // ---------------------------------------------------------------- ids and keys

        public string NextId()
        {
            while (true)
            {
                var id = (IdBase + (++_ids * 7919L)).ToString(CultureInfo.InvariantCulture);
                if (!_tables.Values.Any(t => t.ById.ContainsKey(id)))
                {
                    return id; // never reuse an id that a spec example brought in
                }
            }
        }

        public long NextSequence() => ++_sequence;

        private string? NextKey(ResourceKind kind, Record? product, Record? feature)
        {
            if (!kind.HasKey)
            {
                return null;
            }

            string prefix;
            if (kind == Kinds.Requirement)
            {
                prefix = feature?.Key ?? throw ApiError.BadRequest("A requirement needs a feature.");
            }
            else
            {
                prefix = product?.Key ?? "SBX";
            }

            var counter = prefix + "|" + kind.KeyInfix;
            while (true)
            {
                _keyCounters.TryGetValue(counter, out var n);
                _keyCounters[counter] = ++n;
                var key = kind.KeyInfix!.Length == 0 ? $"{prefix}-{n}" : $"{prefix}-{kind.KeyInfix}-{n}";
                if (Find(kind, key) == null)
                {
                    return key;
                }
            }
        }

        /// <summary>The next reference number for a seeded record (requirements are numbered within their feature).</summary>
        public string? DemoKey(ResourceKind kind, Record product, Record? parent) =>
            NextKey(kind, product, kind == Kinds.Requirement ? parent : null);

        // ---------------------------------------------------------------- raw insert (seeding)

        public Record Insert(ResourceKind kind, string id, string? key, JsonObject data, long? sequence = null) =>
            Reinsert(new Record(kind, id, key, sequence ?? NextSequence(), data));

        /// <summary>Stores a record object as it is (a new one, or one restored from the recycle bin), in sequence order.</summary>
        public Record Reinsert(Record record)
        {
            var kind = record.Kind;
            var id = record.Id;
            var key = record.Key;
            var table = _tables[kind.Name];
            if (table.ById.ContainsKey(id) || (key != null && table.ByKey.ContainsKey(key)))
            {
                throw new InvalidOperationException($"Duplicate {kind.Name} {id}/{key}.");
            }

            table.ById[id] = record;
            if (key != null)
            {
                table.ByKey[key] = record;
            }

            var index = table.Ordered.Count;
            while (index > 0 && table.Ordered[index - 1].Sequence > record.Sequence)
            {
                index--;
            }

            table.Ordered.Insert(index, record);
            return record;
        }

        public bool Contains(ResourceKind kind, string id, string? key) =>
            _tables[kind.Name].ById.ContainsKey(id) || (key != null && _tables[kind.Name].ByKey.ContainsKey(key));

        /// <summary>Removes a record; once auditing is on, a destroy audit is written and the record goes to the recycle bin.</summary>
        public void Remove(Record record)
        {
            AuditDestroy(record);
            var table = _tables[record.Kind.Name];
            table.ById.Remove(record.Id);
            if (record.Key != null)
            {
                table.ByKey.Remove(record.Key);
            }

            var lo = 0;
            var hi = table.Ordered.Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                var seq = table.Ordered[mid].Sequence;
                if (seq == record.Sequence)
                {
                    table.Ordered.RemoveAt(mid);
                    return;
                }

                if (seq < record.Sequence)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            table.Ordered.Remove(record);
        }

        // ---------------------------------------------------------------- custom field definitions

        public IReadOnlyList<CustomFieldDefinition> FieldDefinitions(ResourceKind kind) =>
            _fieldDefinitions.TryGetValue(kind.Name, out var list) ? list : (IReadOnlyList<CustomFieldDefinition>)Array.Empty<CustomFieldDefinition>();

        public CustomFieldDefinition DefineCustomField(ResourceKind kind, JsonNode? id, string key, string name, string type)
        {
            if (!_fieldDefinitions.TryGetValue(kind.Name, out var list))
            {
                list = new List<CustomFieldDefinition>();
                _fieldDefinitions[kind.Name] = list;
            }

            var existing = list.FirstOrDefault(d => d.Key == key);
            if (existing != null)
            {
                return existing;
            }

            var def = new CustomFieldDefinition(id, key, name, type, list.Count);
            list.Add(def);
            return def;
        }

        // ---------------------------------------------------------------- workflow statuses

        public JsonObject Status(ResourceKind kind, string name)
        {
            var known = Array.FindIndex(kind.Workflow, s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            var canonical = known >= 0 ? kind.Workflow[known] : name;
            var cacheKey = kind.Name + "|" + canonical.ToUpperInvariant();
            if (!_statuses.TryGetValue(cacheKey, out var status))
            {
                var position = known >= 0 ? known + 1 : kind.Workflow.Length + _statuses.Count + 1;
                status = new JsonObject
                {
                    ["id"] = (IdBase / 1000 + (Math.Abs(StableHash(cacheKey)) % 1000000)).ToString(CultureInfo.InvariantCulture),
                    ["name"] = canonical,
                    ["position"] = position,
                    ["complete"] = known >= 0 && (canonical is "Shipped" or "Achieved" or "completed" or "Already exists" or "Will not do" or "Will not implement"),
                    ["color"] = Palette[position % Palette.Length],
                };
                _statuses[cacheKey] = status;
            }

            return (JsonObject)status.DeepClone();
        }

        private static readonly string[] Palette = { "#dce7c6", "#c7dbf4", "#f8d4a8", "#e6c3e8", "#f4c2c2", "#d1e9e9", "#eeeeee" };

        internal static int StableHash(string s)
        {
            unchecked
            {
                var h = (int)2166136261;
                foreach (var c in s)
                {
                    h = (h ^ c) * 16777619;
                }

                return h & int.MaxValue;
            }
        }

        internal static string Humanize(string name) =>
            char.ToUpperInvariant(name[0]) + name.Substring(1).Replace('_', ' ');

        internal static string? Str(JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

        internal static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private sealed class Table
        {
            public List<Record> Ordered { get; } = new List<Record>();

            public Dictionary<string, Record> ById { get; } = new Dictionary<string, Record>(StringComparer.Ordinal);

            public Dictionary<string, Record> ByKey { get; } = new Dictionary<string, Record>(StringComparer.OrdinalIgnoreCase);
        }
    }
}
