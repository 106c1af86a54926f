using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aha.Sandbox.Data;
using Microsoft.AspNetCore.Routing;

namespace Aha.Sandbox.Http
{
    /// <summary>The change history (<c>/audits</c>), the recycle bin (<c>/deletions</c>) and the integration-field lookups.</summary>
    internal sealed partial class SandboxApi
    {
        /// <summary>Record types that carry integration fields, by URL segment.</summary>
        private static readonly ResourceKind[] IntegrationKinds =
        {
            Kinds.Feature, Kinds.Epic, Kinds.Requirement, Kinds.Idea, Kinds.Initiative, Kinds.Release, Kinds.Endorsement,
        };

        private void MapAuditsAndDeletions(IEndpointRouteBuilder app)
        {
            Custom(app, "GET", "/audits", ListAudits);
            Custom(app, "GET", "/deletions", ListDeletions);
            Custom(app, "POST", "/deletions/{id}/restore", RestoreDeletion);
            foreach (var kind in IntegrationKinds)
            {
                var k = kind;
                Custom(app, "GET", $"/{k.Plural}/fields/{{field_name}}/value/{{field_value}}", request => FindByIntegrationField(request, k));
                Custom(app, "POST", $"/{k.Plural}/{{{k.Name}_id}}/integrations/{{integration_id}}/fields", request => CreateIntegrationFields(request, k));
                Custom(app, "GET", $"/{k.Plural}/{{{k.Name}_id}}/integrations/{{integration_id}}/fields/{{field_name}}", request => GetIntegrationField(request, k));
            }

            Custom(app, "DELETE", "/integration_fields/{id}", DeleteIntegrationField);
        }

        /// <summary><c>GET /features/{feature_id}/integrations/{integration_id}/fields/{field_name}</c>: one stored field.</summary>
        private ApiResult GetIntegrationField(ApiRequest request, ResourceKind kind)
        {
            var record = _store.Get(kind, request.Route(kind.Name + "_id"));
            var integration = request.Route("integration_id");
            var name = request.Route("field_name");
            var field = (record.Data["integration_fields"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(f => IdText(f["name"]) == name && IdText(f["integration_id"]) == integration)
                ?? throw ApiError.NotFound($"{SandboxStore.Humanize(kind.Name)} '{record.Key ?? record.Id}' has no integration field '{name}' for integration '{integration}'.");
            var answer = (JsonObject)field.DeepClone();
            var path = kind.Plural + "/" + (record.Key ?? record.Id);
            answer["integratable"] = new JsonObject { ["url"] = "https://sandbox.aha.io/" + path, ["resource"] = _store.BaseUrl + path };
            return ApiResult.Ok(new JsonObject { ["integration_field"] = answer });
        }

        /// <summary><c>DELETE /integration_fields/{id}</c>: removes the field from the record that holds it (an audited update).</summary>
        private ApiResult DeleteIntegrationField(ApiRequest request)
        {
            var id = request.Route("id");
            foreach (var kind in IntegrationKinds)
            {
                foreach (var record in _store.All(kind))
                {
                    if (record.Data["integration_fields"] is JsonArray fields && fields.OfType<JsonObject>().Any(f => IdText(f["id"]) == id))
                    {
                        var kept = new JsonArray(fields.OfType<JsonObject>().Where(f => IdText(f["id"]) != id).Select(f => (JsonNode?)f.DeepClone()).ToArray());
                        _store.Update(record, new JsonObject { ["integration_fields"] = kept });
                        return ApiResult.NoContent();
                    }
                }
            }

            throw ApiError.NotFound($"Integration field '{id}' was not found.");
        }

        /// <summary>
        /// <c>GET /audits</c>: ascending by id, filtered by the documented parameters; <c>after_id</c> starts after a
        /// cursor, and <c>page</c>/<c>per_page</c> page what remains.
        /// </summary>
        private ApiResult ListAudits(ApiRequest request)
        {
            var audits = FilterAudits(_store.Audits.Entries, request.Query);
            if (Timestamp(request, "created_since") is DateTimeOffset since)
            {
                audits = audits.Where(a => Stamp(a) >= since);
            }

            if (Timestamp(request, "created_before") is DateTimeOffset before)
            {
                audits = audits.Where(a => Stamp(a) < before);
            }

            return Paged(request, "audits", audits.Select(a => (JsonNode)a.DeepClone()).ToList());
        }

        private static DateTimeOffset Stamp(JsonObject audit) =>
            DateTimeOffset.Parse(audit["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        /// <summary>
        /// The filters <c>GET /audits</c> and a historical search share: <c>after_id</c>, <c>audit_action</c>, the record and
        /// associated types and ids, <c>user_id</c>. <paramref name="value"/> reads a filter's value (a query parameter, or a
        /// member of the search's body); a filter without a value is not applied. Types compare loosely: <c>Feature</c>,
        /// <c>feature</c>, <c>Ideas::Idea</c>, <c>CustomFieldValue</c> all match.
        /// </summary>
        private static IEnumerable<JsonObject> FilterAudits(IEnumerable<JsonObject> audits, Func<string, string?> value)
        {
            if (value("after_id") is string afterText)
            {
                if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
                {
                    throw ApiError.BadRequest($"after_id must be an audit id (a whole number), got '{afterText}'.");
                }

                audits = audits.Where(a => AuditLog.Number(a) > after);
            }

            if (value("audit_action") is string action)
            {
                if (action is not ("create" or "update" or "destroy"))
                {
                    throw ApiError.BadRequest($"audit_action must be create, update or destroy, got '{action}'.");
                }

                audits = audits.Where(a => SandboxStore.Str(a["audit_action"]) == action);
            }

            foreach (var name in new[] { "auditable_type", "associated_type" })
            {
                if (value(name) is string type)
                {
                    var wanted = NormalizeType(type);
                    audits = audits.Where(a => SandboxStore.Str(a[name]) is string t && NormalizeType(t) == wanted);
                }
            }

            foreach (var (name, read) in AuditIds)
            {
                if (value(name) is string id)
                {
                    audits = audits.Where(a => IdText(read(a)) == id);
                }
            }

            return audits;
        }

        private static readonly (string Name, Func<JsonObject, JsonNode?> Read)[] AuditIds =
        {
            ("auditable_id", a => a["auditable_id"]),
            ("associated_id", a => a["associated_id"]),
            ("user_id", a => a["user"]?["id"]),
        };

        private static string NormalizeType(string type)
        {
            var t = type.Trim();
            var colons = t.LastIndexOf("::", StringComparison.Ordinal);
            if (colons >= 0)
            {
                t = t.Substring(colons + 2);
            }

            t = t.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            return t switch
            {
                "project" => "product",
                "masterfeature" => "epic",
                "ideaendorsement" or "endorsement" => "ideaendorsement",
                _ => t,
            };
        }

        /// <summary>A list of already rendered items, paged like every list (page, per_page, the pagination shape).</summary>
        private ApiResult Paged(ApiRequest request, string wrapper, IReadOnlyList<JsonNode> all)
        {
            var page = PositiveInt(request, "page", 1, int.MaxValue);
            var perPage = PositiveInt(request, "per_page", DefaultPerPage, MaxPerPage);
            var total = all.Count;
            var pages = (total + perPage - 1) / perPage;
            var items = new JsonArray(all.Skip((int)Math.Min((long)(page - 1) * perPage, int.MaxValue)).Take(perPage).Select(n => (JsonNode?)n).ToArray());
            var body = new JsonObject { [wrapper] = items };
            AddPagination(body, total, pages, page, perPage);
            return ApiResult.Ok(body);
        }

        /// <summary><c>GET /deletions</c>: what was deleted in the last seven days, oldest first.</summary>
        private ApiResult ListDeletions(ApiRequest request) =>
            Paged(request, "deletions", _store.Deletions().Select(d => (JsonNode)_store.RenderDeletion(d, "deleted")).ToList());

        /// <summary><c>POST /deletions/{id}/restore</c>: the record is back at once (Aha! restores in the background).</summary>
        private ApiResult RestoreDeletion(ApiRequest request)
        {
            var deletion = _store.Restore(request.Route("id"));
            return ApiResult.Ok(new JsonObject { ["deletion"] = _store.RenderDeletion(deletion, "restore_in_progress") });
        }

        /// <summary>
        /// <c>GET /features/fields/{field_name}/value/{field_value}</c>: the records whose integration field of that name
        /// holds that value, as <c>{"records": [{"feature": {...}}]}</c>.
        /// </summary>
        private ApiResult FindByIntegrationField(ApiRequest request, ResourceKind kind)
        {
            var name = request.Route("field_name");
            var value = request.Route("field_value");
            var matches = _store.All(kind)
                .Where(r => r.Data["integration_fields"] is JsonArray fields && fields.OfType<JsonObject>().Any(f =>
                    string.Equals(IdText(f["name"]), name, StringComparison.Ordinal) && string.Equals(IdText(f["value"]), value, StringComparison.Ordinal)))
                .Select(r => (JsonNode)new JsonObject { [kind.Name] = _store.Render(r, Selection(request, null), single: true) })
                .ToList();
            return Paged(request, "records", matches);
        }

        /// <summary>
        /// <c>POST /features/{feature_id}/integrations/{integration_id}/fields</c>: one field
        /// (<c>{"integration_field": {"name", "value"}}</c>) or several (<c>{"integration_fields": [...]}</c>); a field of the
        /// same name and integration keeps its id and takes the new value. The record's update is audited like any other.
        /// </summary>
        private ApiResult CreateIntegrationFields(ApiRequest request, ResourceKind kind)
        {
            var record = _store.Get(kind, request.Route(kind.Name + "_id"));
            var integration = request.Route("integration_id");
            var body = request.Json() as JsonObject ?? throw ApiError.BadRequest("The request body must be a JSON object such as {\"integration_field\": {\"name\": \"key\", \"value\": \"JRA-1\"}}.");
            var written = body["integration_field"] is JsonObject one ? new[] { one }
                : body["integration_fields"] is JsonArray many ? many.Select(f => f as JsonObject ?? throw ApiError.BadRequest("Each integration field must be an object with name and value.")).ToArray()
                : throw ApiError.BadRequest("The request body must be wrapped in \"integration_field\" (one) or \"integration_fields\" (a list).");

            var fields = record.Data["integration_fields"] is JsonArray existing ? (JsonArray)existing.DeepClone() : new JsonArray();
            var created = new List<JsonObject>();
            var integrationId = long.TryParse(integration, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(integration)!;
            foreach (var field in written)
            {
                var name = IdText(field["name"]);
                if (string.IsNullOrEmpty(name) || field["value"] == null)
                {
                    throw ApiError.BadRequest("An integration field needs a name and a value.");
                }

                var same = fields.OfType<JsonObject>().FirstOrDefault(old => IdText(old["name"]) == name && IdText(old["integration_id"]) == integration);
                if (same != null)
                {
                    same["value"] = IdText(field["value"]) ?? field["value"]!.ToJsonString(); // the same field, a new value
                    created.Add(same);
                    continue;
                }

                var item = new JsonObject
                {
                    ["id"] = _store.NextId(),
                    ["name"] = name,
                    ["value"] = IdText(field["value"]) ?? field["value"]!.ToJsonString(),
                    ["integration_id"] = integrationId.DeepClone(),
                    ["service_name"] = SandboxStore.Str(field["service_name"]) ?? "sandbox",
                    ["created_at"] = SandboxStore.Iso(_store.Now),
                };
                fields.Add(item);
                created.Add(item);
            }

            _store.Update(record, new JsonObject { ["integration_fields"] = fields });
            Created(request);
            if (body["integration_field"] != null)
            {
                var answer = (JsonObject)created[0].DeepClone();
                var path = kind.Plural + "/" + (record.Key ?? record.Id);
                answer["integratable"] = new JsonObject { ["url"] = "https://sandbox.aha.io/" + path, ["resource"] = _store.BaseUrl + path };
                return ApiResult.Ok(new JsonObject { ["integration_field"] = answer });
            }

            var ids = new JsonObject();
            foreach (var item in created)
            {
                ids[item["id"]!.GetValue<string>()] = null;
            }

            return ApiResult.Ok(ids);
        }
    }
}
