using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Aha.Cli.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Cli.Sync
{
    /// <summary>One resource <c>aha sync</c> mirrors: how Aha! names it in audits, where to read one record, what to ask for.</summary>
    internal sealed class SyncResource
    {
        public SyncResource(string name, string path, string[] auditTypes, string? fields)
        {
            Name = name;
            Path = path;
            AuditTypes = auditTypes;
            Fields = fields;
        }

        /// <summary>The name on the command line and in the table name (<c>aha_features</c>).</summary>
        public string Name { get; }

        /// <summary>The API path of the collection (<c>features</c>): one record is <c>{Path}/{id}</c>.</summary>
        public string Path { get; }

        /// <summary>The <c>auditable_type</c> values (lower case) that name this resource in audits.</summary>
        public string[] AuditTypes { get; }

        /// <summary>The attributes asked for (fields=), the same on the first export and on every re-read.</summary>
        public string? Fields { get; }
    }

    /// <summary>The resources <c>aha sync</c> knows, and the mapping of a record's JSON onto the table's typed columns.</summary>
    internal static class SyncResources
    {
        private const string Common = "id,reference_num,name,workflow_status,product_id,created_at,updated_at,url,custom_fields,description";

        public static IReadOnlyList<SyncResource> All { get; } = new[]
        {
            new SyncResource("features", "features", new[] { "feature" }, Common + ",release,epic,assigned_to_user,tags,start_date,due_date"),
            new SyncResource("ideas", "ideas", new[] { "idea" }, Common + ",votes,score,categories,tags"),
            new SyncResource("releases", "releases", new[] { "release" }, Common + ",start_date,release_date,released,parking_lot,owner"),
            new SyncResource("epics", "epics", new[] { "epic", "master_feature" }, Common + ",release,assigned_to_user,tags,start_date,due_date"),
            new SyncResource("requirements", "requirements", new[] { "requirement" }, null),
            new SyncResource("comments", "comments", new[] { "comment" }, null),
        };

        public static IEnumerable<string> Names => All.Select(r => r.Name);

        /// <summary>Parses <c>features,ideas,...</c>; an unknown name is a usage error naming the known ones.</summary>
        public static IReadOnlyList<SyncResource> Parse(string? list)
        {
            if (string.IsNullOrWhiteSpace(list))
            {
                throw CliException.Usage("name what to sync: " + string.Join(",", Names) + " (comma-separated).");
            }

            var chosen = new List<SyncResource>();
            foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var resource = All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw CliException.Usage($"'{name}' cannot be synced: choose among {string.Join(", ", Names)}.");
                if (!chosen.Contains(resource))
                {
                    chosen.Add(resource);
                }
            }

            return chosen;
        }

        /// <summary>Maps a record's JSON onto the stored row (common attributes typed, custom fields as key → value, raw JSON).</summary>
        public static SyncRow ToRow(SyncResource resource, JObject record)
        {
            var id = Text(record["id"]) ?? throw new InvalidOperationException($"Aha! sent a {resource.Name} record without an id.");
            string? parentType = null;
            string? parentId = null;
            switch (resource.Name)
            {
                case "features":
                case "epics":
                    parentType = record["release"] is JObject ? "release" : null;
                    parentId = Text(record["release"]?["id"]);
                    break;
                case "requirements":
                    parentType = "feature";
                    parentId = Text(record["feature"]?["id"]);
                    break;
                case "comments":
                    parentType = Text(record["commentable"]?["type"])?.ToLowerInvariant();
                    parentId = Text(record["commentable"]?["id"]);
                    break;
            }

            return new SyncRow
            {
                Id = id,
                ReferenceNum = Text(record["reference_num"]),
                Name = Text(record["name"]) ?? (resource.Name == "comments" ? Text(record["body"]) : null),
                WorkflowStatus = Text(record["workflow_status"]?["name"]) ?? (record["workflow_status"] is JValue ? Text(record["workflow_status"]) : null),
                ProductId = Text(record["product_id"]) ?? Text(record["project"]?["id"]) ?? Text(record["commentable"]?["product_id"]),
                ParentType = parentType,
                ParentId = parentId,
                CreatedAt = Time(record["created_at"]),
                UpdatedAt = Time(record["updated_at"]),
                Url = Text(record["url"]),
                CustomFields = CustomFields(record["custom_fields"]),
                Raw = record.ToString(Formatting.None),
            };
        }

        /// <summary>Aha!'s <c>custom_fields</c> array (<c>[{key, name, value, type}]</c>) as one object <c>{key: value}</c>.</summary>
        private static string? CustomFields(JToken? token)
        {
            if (token is not JArray array)
            {
                return token is JObject o ? o.ToString(Formatting.None) : null;
            }

            var map = new JObject();
            foreach (var field in array.OfType<JObject>())
            {
                var key = Text(field["key"]) ?? Text(field["name"]);
                if (key != null)
                {
                    map[key] = field["value"]?.DeepClone() ?? JValue.CreateNull();
                }
            }

            return map.ToString(Formatting.None);
        }

        internal static string? Text(JToken? token) => token is null || token.Type == JTokenType.Null ? null
            : token.Type == JTokenType.String ? (string?)token
            : token is JValue ? Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture)
            : null;

        private static DateTimeOffset? Time(JToken? token)
        {
            if (token is JValue { Value: DateTime dt })
            {
                return new DateTimeOffset(DateTime.SpecifyKind(dt, dt.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : dt.Kind));
            }

            if (token is JValue { Value: DateTimeOffset dto })
            {
                return dto;
            }

            var text = Text(token);
            return text != null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
        }
    }
}
