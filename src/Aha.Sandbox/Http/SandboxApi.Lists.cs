using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aha.Sandbox.Data;

namespace Aha.Sandbox.Http
{
    internal sealed partial class SandboxApi
    {
        /// <summary>Filters, sorts and pages a list, and wraps it as <c>{"features": [...], "pagination": {...}}</c>.</summary>
        private ApiResult ListResult(ApiRequest request, ResourceKind kind, IEnumerable<Record> records, string? wrapper = null, Func<Record, JsonObject>? render = null)
        {
            var page = PositiveInt(request, "page", 1, int.MaxValue);
            var perPage = PositiveInt(request, "per_page", DefaultPerPage, MaxPerPage);
            var selection = Selection(request, null);

            var filtered = Filter(request, kind, records).ToList();
            filtered = Sort(request, filtered);

            var total = filtered.Count;
            var pages = (total + perPage - 1) / perPage;
            var items = new JsonArray();
            foreach (var record in filtered.Skip((int)Math.Min((long)(page - 1) * perPage, int.MaxValue)).Take(perPage))
            {
                items.Add(render != null ? render(record) : _store.Render(record, selection, single: false));
            }

            var body = new JsonObject { [wrapper ?? kind.Plural] = items };
            AddPagination(body, total, pages, page, perPage);
            return ApiResult.Ok(body);
        }

        private void AddPagination(JsonObject body, int total, int pages, int page, int perPage)
        {
            switch (_paginationShape())
            {
                case PaginationShape.Object:
                    body["pagination"] = new JsonObject { ["total_records"] = total, ["total_pages"] = pages, ["current_page"] = page };
                    break;
                case PaginationShape.ArrayOfOne:
                    body["pagination"] = new JsonArray(new JsonObject { ["total_records"] = total, ["total_pages"] = pages, ["current_page"] = page });
                    break;
                case PaginationShape.MetaPagination:
                    body["meta"] = new JsonObject
                    {
                        ["pagination"] = new JsonObject
                        {
                            ["current_page"] = page,
                            ["per_page"] = perPage,
                            ["total_pages"] = pages,
                            ["total_records"] = total,
                            ["next_page"] = page < pages ? page + 1 : null,
                            ["prev_page"] = page > 1 ? page - 1 : null,
                        },
                    };
                    break;
                case PaginationShape.Absent:
                    break;
            }
        }

        private static int PositiveInt(ApiRequest request, string name, int fallback, int max)
        {
            var text = request.Query(name);
            if (text == null)
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > max)
            {
                throw ApiError.BadRequest(max == int.MaxValue
                    ? $"{name} must be a whole number of at least 1, got '{text}'."
                    : $"{name} must be a whole number from 1 to {max}, got '{text}'.");
            }

            return value;
        }

        private static DateTimeOffset? Timestamp(ApiRequest request, string name)
        {
            var text = request.Query(name);
            if (text == null)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                return value;
            }

            throw ApiError.BadRequest($"{name} must be an ISO 8601 timestamp such as 2024-01-31T00:00:00Z, got '{text}'.");
        }

        private static bool? Flag(ApiRequest request, string name)
        {
            var text = request.Query(name);
            return text == null ? null : text is "true" or "1" ? true : text is "false" or "0" ? false : throw ApiError.BadRequest($"{name} must be true or false, got '{text}'.");
        }

        private IEnumerable<Record> Filter(ApiRequest request, ResourceKind kind, IEnumerable<Record> records)
        {
            if (request.Query("q") is string q && q.Length > 0)
            {
                records = records.Where(r => Contains(r.Name, q) || Contains(SandboxStore.Str(r.Data["body"]), q) || Contains(r.Key, q));
            }

            if (Timestamp(request, "updated_since") is DateTimeOffset updatedSince)
            {
                records = records.Where(r => r.Timestamp("updated_at") is DateTimeOffset t && t > updatedSince);
            }

            if (Timestamp(request, "created_since") is DateTimeOffset createdSince)
            {
                records = records.Where(r => r.Timestamp("created_at") is DateTimeOffset t && t > createdSince);
            }

            if (Timestamp(request, "created_before") is DateTimeOffset createdBefore)
            {
                records = records.Where(r => r.Timestamp("created_at") is DateTimeOffset t && t < createdBefore);
            }

            if (request.Query("tag") is string tag)
            {
                records = records.Where(r => r.Data["tags"] is JsonArray tags && tags.Any(t => string.Equals(SandboxStore.Str(t), tag, StringComparison.OrdinalIgnoreCase)));
            }

            if (request.Query("assigned_to_user") is string user)
            {
                records = records.Where(r => r.Data["assigned_to_user"] is JsonObject u
                    && (string.Equals(SandboxStore.Str(u["id"]), user, StringComparison.Ordinal) || string.Equals(SandboxStore.Str(u["email"]), user, StringComparison.OrdinalIgnoreCase)));
            }

            var status = request.Query("workflow_status") ?? (kind == Kinds.Task ? null : request.Query("status"));
            if (status != null)
            {
                records = records.Where(r => r.Data["workflow_status"] is JsonObject s
                    && (string.Equals(SandboxStore.Str(s["name"]), status, StringComparison.OrdinalIgnoreCase) || string.Equals(SandboxStore.Str(s["id"]), status, StringComparison.Ordinal)));
            }

            if (kind == Kinds.Task && request.Query("status") is string taskStatus)
            {
                records = records.Where(r => string.Equals(SandboxStore.Str(r.Data["status"]), taskStatus, StringComparison.OrdinalIgnoreCase));
            }

            if (Flag(request, "parking_lot") is bool parkingLot)
            {
                records = records.Where(r => (r.Data["parking_lot"] is JsonValue v && v.GetValueKind() == JsonValueKind.True) == parkingLot);
            }

            if (Flag(request, "exclude_shipped") == true)
            {
                records = records.Where(r => !(r.Data["workflow_status"] is JsonObject s && s["complete"] is JsonValue c && c.GetValueKind() == JsonValueKind.True));
            }

            if (Flag(request, "spam") is bool spam)
            {
                records = records.Where(r => (r.Data["spam"] is JsonValue v && v.GetValueKind() == JsonValueKind.True) == spam);
            }

            if (request.Query("type") is string type && kind == Kinds.StrategyModel)
            {
                records = records.Where(r => string.Equals(SandboxStore.Str(r.Data["type"]), type, StringComparison.OrdinalIgnoreCase));
            }

            if (request.Query("product_id") is string productId && kind.ProductAttribute != null)
            {
                var product = _store.Find(Kinds.Product, productId);
                records = records.Where(r => product != null && r.HasLink("product", product.Id));
            }

            if (request.Query("email_domain") is string domain)
            {
                records = records.Where(r => r.Data["email_domains"] is JsonArray d && d.Any(x => string.Equals(SandboxStore.Str(x), domain, StringComparison.OrdinalIgnoreCase)));
            }

            return records;
        }

        private static List<Record> Sort(ApiRequest request, List<Record> records)
        {
            switch (request.Query("sort"))
            {
                case null:
                    return records;
                case "recent":
                    return records.OrderByDescending(r => r.Timestamp("created_at")).ThenBy(r => r.Sequence).ToList();
                case "popular":
                case "trending":
                    return records.OrderByDescending(r => SandboxStore.AsDouble(r.Data["votes"]) ?? 0).ThenBy(r => r.Sequence).ToList();
                default:
                    throw ApiError.BadRequest($"sort must be recent, trending or popular, got '{request.Query("sort")}'.");
            }
        }

        private static bool Contains(string? text, string part) => text != null && text.Contains(part, StringComparison.OrdinalIgnoreCase);
    }
}
