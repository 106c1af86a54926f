using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Data
{
    /// <summary>Which attributes a read returns (the <c>fields</c> query parameter).</summary>
    internal sealed class FieldSelection
    {
        private FieldSelection(bool all, string[]? names)
        {
            AllFields = all;
            Names = names;
        }

        /// <summary>No <c>fields</c> parameter: a single record in full, a list item with the list defaults.</summary>
        public static FieldSelection Default { get; } = new FieldSelection(false, null);

        /// <summary><c>fields=*</c>.</summary>
        public static FieldSelection Everything { get; } = new FieldSelection(true, null);

        public bool AllFields { get; }

        public string[]? Names { get; }

        public static FieldSelection Parse(string? fields)
        {
            if (fields == null)
            {
                return Default;
            }

            var names = fields.Split(',').Select(f => f.Trim()).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
            if (names.Contains("*"))
            {
                return Everything;
            }

            return names.Length == 0 ? Default : new FieldSelection(false, names);
        }
    }

    internal sealed partial class SandboxStore
    {
        /// <summary>Renders a record as the API returns it.</summary>
        /// <param name="record">The record.</param>
        /// <param name="selection">The <c>fields</c> selection.</param>
        /// <param name="single">True for a single-record answer (full by default), false for a list item (list defaults).</param>
        public JsonObject Render(Record record, FieldSelection selection, bool single)
        {
            string[]? names = selection.AllFields ? null : selection.Names ?? (single ? null : record.Kind.ListFields);
            var full = Full(record, names);
            if (names == null)
            {
                return full;
            }

            var sparse = new JsonObject();
            foreach (var name in names)
            {
                if (full.TryGetPropertyValue(name, out var value))
                {
                    full.Remove(name);
                    sparse[name] = value;
                }
            }

            return sparse;
        }

        // The record with every attribute, or only those in `only` (a list page or fields=): the same values either way,
        // without building (and deep-cloning) the attributes the answer leaves out. A list page of 200 features with
        // their custom fields, relations and descriptions cost ~5 ms to render in full, most of it thrown away.
        private JsonObject Full(Record record, string[]? only = null)
        {
            bool Want(string attribute) => only == null || Array.IndexOf(only, attribute) >= 0;

            var kind = record.Kind;
            var o = new JsonObject
            {
                ["id"] = kind.NumericIds && long.TryParse(record.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var numericId) ? JsonValue.Create(numericId) : JsonValue.Create(record.Id),
            };
            if (kind == Kinds.Product)
            {
                o["reference_prefix"] = record.Key;
            }
            else if (record.Key != null)
            {
                o["reference_num"] = record.Key;
            }

            if (Want("name") && record.Data.TryGetPropertyValue("name", out var name))
            {
                o["name"] = name?.DeepClone();
            }

            foreach (var pair in record.Data)
            {
                if (pair.Key != "name" && (pair.Key != "custom_fields" || kind.Generic) && Want(pair.Key))
                {
                    o[pair.Key] = pair.Value?.DeepClone();
                }
            }

            if (kind.ProductAttribute != null && (Want(kind.ProductAttribute) || Want("product_id"))
                && record.Link("product") is string productId && Find(Kinds.Product, productId) is Record product)
            {
                o[kind.ProductAttribute] = ProductRef(product);
                o["product_id"] = product.Id;
            }

            foreach (var relation in kind.Relations)
            {
                if (!Want(relation.Attribute) || (record.FromExample && !record.Links.ContainsKey(relation.Attribute)))
                {
                    continue; // not asked for, or keep what the example showed
                }

                var target = Kinds.ByName(relation.Kind);
                var linked = record.Links.TryGetValue(relation.Attribute, out var ids)
                    ? ids.Select(id => Find(target, id)).Where(r => r != null).Select(r => (JsonNode?)Ref(r!)).ToList()
                    : new List<JsonNode?>();
                if (relation.Many)
                {
                    o[relation.Attribute] = new JsonArray(linked.ToArray());
                }
                else if (linked.Count > 0)
                {
                    o[relation.Attribute] = linked[0]; // an absent relation is left out, as the spec's examples do
                }
            }

            if (kind == Kinds.Comment || kind == Kinds.Task || kind == Kinds.Endorsement)
            {
                foreach (var parentKind in new[] { Kinds.Feature, Kinds.Epic, Kinds.Release, Kinds.Requirement, Kinds.Idea, Kinds.Initiative, Kinds.Goal, Kinds.ReleasePhase, Kinds.Task, Kinds.Product })
                {
                    if (record.Link(parentKind.Name) is string parentId && Find(parentKind, parentId) is Record parent)
                    {
                        var attribute = kind == Kinds.Comment ? "commentable" : kind == Kinds.Task ? "taskable" : "idea";
                        var reference = new JsonObject { ["id"] = parent.Id, ["type"] = TypeName(parentKind) };
                        if (parent.Key != null && kind != Kinds.Comment)
                        {
                            reference["reference_num"] = parent.Key;
                            reference["name"] = parent.Data["name"]?.DeepClone();
                        }

                        o[attribute] = reference;
                        break;
                    }
                }
            }

            if (kind == Kinds.ReleasePhase && record.Link("release") is string releaseId
                && long.TryParse(releaseId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var numericRelease))
            {
                o["release_id"] = numericRelease; // documented as a JSON number
            }

            if (kind.HasUrls)
            {
                var path = kind.Plural + "/" + (record.Key ?? record.Id);
                o["url"] = "https://sandbox.aha.io/" + path;
                o["resource"] = BaseUrl + path;
            }

            if (kind.HasCustomFields && Want("custom_fields"))
            {
                o["custom_fields"] = kind.CustomFieldsAsObject ? CustomFieldObject(record) : CustomFieldArray(record);
            }

            return o;
        }

        /// <summary>The record's class name as Aha! reports it (<c>Feature</c>, <c>Ideas::Idea</c>, ...).</summary>
        internal static string TypeName(ResourceKind kind) => kind.Name switch
        {
            "idea" => "Ideas::Idea",
            "epic" => "Epic",
            "release_phase" => "ReleasePhase",
            "task" => "Task",
            "product" => "Project",
            _ => SandboxStore.Humanize(kind.Name).Replace(" ", string.Empty, StringComparison.Ordinal),
        };

        private static JsonArray CustomFieldArray(Record record)
        {
            var array = new JsonArray();
            foreach (var entry in record.CustomFields)
            {
                var def = entry.Definition;
                var item = new JsonObject();
                if (def.Id != null)
                {
                    item["id"] = def.Id.DeepClone();
                }

                item["key"] = def.Key;
                item["name"] = def.Name;
                if (def.Type != "attachment")
                {
                    item["value"] = entry.Value?.DeepClone();
                }

                item["type"] = def.Type;
                item["updatedAt"] = entry.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                if (entry.Extras != null)
                {
                    foreach (var extra in entry.Extras)
                    {
                        item[extra.Key] = extra.Value?.DeepClone();
                    }
                }

                array.Add(item);
            }

            return array;
        }

        private static JsonObject CustomFieldObject(Record record)
        {
            var o = new JsonObject();
            foreach (var entry in record.CustomFields)
            {
                o[entry.Definition.Key] = entry.Value?.DeepClone();
            }

            return o;
        }

        /// <summary>The short form of a record embedded in another (feature → release, ...).</summary>
        public JsonObject Ref(Record record)
        {
            if (record.Kind == Kinds.Product)
            {
                return ProductRef(record);
            }

            if (record.Kind == Kinds.User)
            {
                return UserRef(record);
            }

            var o = new JsonObject { ["id"] = record.Id };
            if (record.Key != null)
            {
                o["reference_num"] = record.Key;
            }

            o["name"] = record.Data["name"]?.DeepClone();
            o["created_at"] = record.Data["created_at"]?.DeepClone();
            if (record.Kind == Kinds.Release)
            {
                o["start_date"] = record.Data["start_date"]?.DeepClone();
                o["release_date"] = record.Data["release_date"]?.DeepClone();
                o["parking_lot"] = record.Data["parking_lot"]?.DeepClone() ?? false;
            }

            if ((record.Kind == Kinds.Feature || record.Kind == Kinds.Release) && record.Link("product") is string productId)
            {
                o["product_id"] = productId;
            }

            if (record.Kind.HasUrls)
            {
                var path = record.Kind.Plural + "/" + (record.Key ?? record.Id);
                o["url"] = "https://sandbox.aha.io/" + path;
                o["resource"] = BaseUrl + path;
            }

            return o;
        }

        public JsonObject ProductRef(Record product) => new JsonObject
        {
            ["id"] = product.Id,
            ["reference_prefix"] = product.Key,
            ["name"] = product.Data["name"]?.DeepClone(),
            ["product_line"] = product.Data["product_line"]?.DeepClone() ?? false,
            ["created_at"] = product.Data["created_at"]?.DeepClone(),
            ["workspace_type"] = product.Data["workspace_type"]?.DeepClone() ?? "product_workspace",
            ["url"] = "https://sandbox.aha.io/products/" + product.Key,
        };

        public static JsonObject UserRef(Record user)
        {
            var o = new JsonObject { ["id"] = user.Id };
            foreach (var name in new[] { "name", "email", "created_at", "updated_at" })
            {
                if (user.Data[name] is JsonNode value)
                {
                    o[name] = value.DeepClone(); // a user known only from an example may lack timestamps: leave them out, not null
                }
            }

            return o;
        }
    }
}
