using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aha.Sandbox.Data;

namespace Aha.Sandbox.Http
{
    internal sealed partial class SandboxApi
    {
        /// <summary><c>POST /features/{id}/convert_to_epic</c>: the feature becomes an epic in the same release (the feature is gone).</summary>
        private ApiResult ConvertToEpic(ApiRequest request)
        {
            var feature = _store.Get(Kinds.Feature, request.Route("id"));
            var attributes = new JsonObject { ["name"] = feature.Name ?? "Converted feature" };
            foreach (var name in new[] { "description", "tags", "assigned_to_user" })
            {
                if (feature.Data[name] is JsonNode value)
                {
                    attributes[name] = name == "description" ? value["body"]?.DeepClone() : name == "assigned_to_user" ? value["email"]?.DeepClone() : value.DeepClone();
                }
            }

            var release = feature.Link("release") is string rid ? _store.Find(Kinds.Release, rid) : null;
            var product = feature.Link("product") is string pid ? _store.Find(Kinds.Product, pid) : null;
            var epic = _store.Create(Kinds.Epic, attributes, (Record?)release ?? product, release != null ? "release" : "product");
            _store.Remove(feature);
            Created(request);
            return ApiResult.Ok(Wrap(Kinds.Epic, _store.Render(epic, FieldSelection.Default, single: true)));
        }

        /// <summary><c>POST /releases/{id}/duplicate</c>: a copy of the release (without its features) in the same product.</summary>
        private ApiResult DuplicateRelease(ApiRequest request)
        {
            var release = _store.Get(Kinds.Release, request.Route("id"));
            var attributes = new JsonObject();
            foreach (var pair in release.Data)
            {
                if (pair.Key is not ("created_at" or "updated_at" or "workflow_status" or "theme"))
                {
                    attributes[pair.Key] = pair.Value?.DeepClone();
                }
            }

            attributes["name"] = (release.Name ?? "Release") + " (copy)";
            var product = release.Link("product") is string pid ? _store.Find(Kinds.Product, pid) : null;
            var copy = _store.Create(Kinds.Release, attributes, product, "product");
            Created(request);
            return ApiResult.Ok(Wrap(Kinds.Release, _store.Render(copy, FieldSelection.Default, single: true)));
        }

        /// <summary><c>GET /ideas/related?q=</c>: ideas whose name, description or key matches.</summary>
        private ApiResult RelatedIdeas(ApiRequest request)
        {
            var q = request.Query("q") ?? string.Empty;
            var records = _store.All(Kinds.Idea).Where(r => q.Length == 0
                || Contains(r.Name, q) || Contains(r.Key, q) || Contains(SandboxStore.Str(r.Data["description"]?["body"]), q));
            return ListResult(new QueryWithout(request, "q").Request, Kinds.Idea, records);
        }

        /// <summary>
        /// <c>PUT /ideas/{id}/promote</c>: creates a feature (or epic/initiative) from the idea and links them. Accepts
        /// the documented body forms <c>{"idea": {"promote_to", "release_id", ...}}</c> and the unwrapped
        /// <c>{"promotable_type", "release_id", ...}</c>.
        /// </summary>
        private ApiResult PromoteIdea(ApiRequest request)
        {
            var idea = _store.Get(Kinds.Idea, request.Route("id"));
            var body = request.Json() as JsonObject ?? throw ApiError.BadRequest("The request body must be a JSON object.");
            var attributes = body["idea"] as JsonObject ?? body;
            var target = (SandboxStore.Str(attributes["promote_to"]) ?? SandboxStore.Str(attributes["promotable_type"]) ?? "feature").ToLowerInvariant();
            var kind = target switch
            {
                "feature" => Kinds.Feature,
                "epic" or "master_feature" => Kinds.Epic,
                "initiative" => Kinds.Initiative,
                _ => throw ApiError.BadRequest($"promote_to must be feature, epic or initiative, got '{target}'."),
            };

            Record? parent = null;
            if (IdText(attributes["release_id"]) is string releaseId)
            {
                parent = _store.Find(Kinds.Release, releaseId) ?? throw ApiError.BadRequest($"release_id: no release '{releaseId}'.");
            }
            else if (kind != Kinds.Initiative)
            {
                var productId = idea.Link("product");
                parent = _store.All(Kinds.Release).FirstOrDefault(r => r.HasLink("product", productId ?? string.Empty));
            }

            var product = idea.Link("product") is string pid ? _store.Find(Kinds.Product, pid) : null;
            var created = _store.Create(
                kind,
                new JsonObject { ["name"] = idea.Name ?? "Promoted idea", ["description"] = idea.Data["description"]?["body"]?.DeepClone() ?? string.Empty },
                (Record?)parent ?? product,
                parent != null ? "release" : "product");
            _store.Update(idea, new JsonObject { ["workflow_status"] = "Planned" });
            if (kind == Kinds.Feature)
            {
                idea.SetLink("feature", created.Id);
            }
            else
            {
                idea.Data[kind.Name] = _store.Ref(created); // the new record, as the official answer shows it
            }

            return ApiResult.Ok(Wrap(Kinds.Idea, _store.Render(idea, FieldSelection.Default, single: true)));
        }

        /// <summary><c>POST /ideas/{idea_id}/endorsements</c>: a vote or proxy vote; the idea's counts go up.</summary>
        private ApiResult CreateEndorsement(ApiRequest request)
        {
            var idea = _store.Get(Kinds.Idea, request.Route("idea_id"));
            var (attributes, _) = Unwrap(request, Kinds.Endorsement);
            if (SandboxStore.Str(attributes["email"]) is string email)
            {
                attributes.Remove("email");
                var user = _store.Find(Kinds.User, email);
                attributes["endorsed_by_portal_user"] = user != null
                    ? SandboxStore.UserRef(user)
                    : new JsonObject { ["id"] = _store.NextId(), ["name"] = SandboxStore.Str(attributes["name"]) ?? email, ["email"] = email, ["created_at"] = SandboxStore.Iso(_store.Now) };
            }

            if (IdText(attributes["idea_organization_id"]) is string orgId)
            {
                attributes.Remove("idea_organization_id");
                var org = _store.Find(Kinds.IdeaOrganization, orgId) ?? throw ApiError.BadRequest($"idea_organization_id: no idea organization '{orgId}'.");
                attributes["idea_organization"] = new JsonObject { ["id"] = org.Id, ["name"] = org.Name };
            }

            if (!attributes.ContainsKey("endorsed_by_portal_user") && _store.CurrentUser != null)
            {
                attributes["user"] = SandboxStore.UserRef(_store.CurrentUser);
            }

            var endorsement = _store.Create(Kinds.Endorsement, attributes, idea, "idea");
            var count = (int)(SandboxStore.AsDouble(idea.Data["endorsements_count"]) ?? 0);
            var votes = (int)(SandboxStore.AsDouble(idea.Data["votes"]) ?? 0);
            var down = string.Equals(SandboxStore.Str(attributes["vote_type"]), "down", StringComparison.OrdinalIgnoreCase);
            idea.Data["endorsements_count"] = count + 1;
            idea.Data["votes"] = votes + (down ? -1 : 1);
            Created(request);
            var body = Wrap(Kinds.Endorsement, _store.Render(endorsement, FieldSelection.Default, single: true));
            body["idea"] = new JsonObject { ["id"] = idea.Id, ["reference_num"] = idea.Key, ["votes"] = votes + (down ? -1 : 1), ["endorsements_count"] = count + 1 };
            return ApiResult.Ok(body);
        }

        /// <summary><c>GET /ideas/{idea_id}/watchers</c>.</summary>
        private ApiResult IdeaWatchers(ApiRequest request)
        {
            var idea = _store.Get(Kinds.Idea, request.Route("idea_id"));
            var watchers = idea.Data["watchers"] is JsonArray a ? (JsonArray)a.DeepClone() : new JsonArray();
            return ApiResult.Ok(new JsonObject { ["watchers"] = watchers });
        }

        /// <summary><c>GET /me</c>: the token's user, with the profile attributes of the current-user schema.</summary>
        private ApiResult Me(ApiRequest request)
        {
            var me = _store.CurrentUser ?? throw ApiError.NotFound("The sandbox has no users.");
            var user = _store.Render(me, Selection(request, null), single: true);
            if (request.Query("fields") == null)
            {
                var name = me.Name ?? string.Empty;
                var space = name.IndexOf(' ', StringComparison.Ordinal);
                user["first_name"] = space > 0 ? name.Substring(0, space) : name;
                user["last_name"] = space > 0 ? name.Substring(space + 1) : string.Empty;
                user["initials"] = string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p[0]));
                user["admin"] = true;
                user["product_owner"] = true;
                user["reviewer"] = false;
                user["viewer"] = false;
                user["time_zone"] = "Europe/Berlin";
                user["locale"] = "en";
            }

            return ApiResult.Ok(new JsonObject { ["user"] = user });
        }

        /// <summary><c>GET /me/assigned</c>: records assigned to the token's user, optionally of one <c>type</c>.</summary>
        private ApiResult MyAssignedRecords(ApiRequest request)
        {
            var me = _store.CurrentUser ?? throw ApiError.NotFound("The sandbox has no users.");
            var type = request.Query("type");
            var kinds = new[] { Kinds.Feature, Kinds.Epic, Kinds.Requirement, Kinds.Idea, Kinds.Initiative, Kinds.Goal, Kinds.Release };
            if (type != null)
            {
                kinds = kinds.Where(k => string.Equals(k.Name, type, StringComparison.OrdinalIgnoreCase)).ToArray();
                if (kinds.Length == 0 && !string.Equals(type, "todo", StringComparison.OrdinalIgnoreCase))
                {
                    throw ApiError.BadRequest($"type must be one of feature, epic, requirement, idea, initiative, goal, release, todo; got '{type}'.");
                }
            }

            var records = kinds.SelectMany(k => _store.All(k))
                .Where(r => r.Data["assigned_to_user"] is JsonObject u && SandboxStore.Str(u["id"]) == me.Id);
            return ListResult(new QueryWithout(request, "type").Request, Kinds.Feature, records, "records", r => new JsonObject
            {
                ["record_type"] = SandboxStore.TypeName(r.Kind),
                ["id"] = r.Id,
                ["name"] = r.Name,
                ["reference_num"] = r.Key,
                ["workflow_status"] = r.Data["workflow_status"]?.DeepClone(),
                ["url"] = "https://sandbox.aha.io/" + r.Kind.Plural + "/" + (r.Key ?? r.Id),
            });
        }

        /// <summary><c>GET /me/tasks</c>: to-dos assigned to the token's user.</summary>
        private ApiResult MyTasks(ApiRequest request)
        {
            var me = _store.CurrentUser ?? throw ApiError.NotFound("The sandbox has no users.");
            var records = _store.All(Kinds.Task).Where(r => r.Data["assigned_to_users"] is JsonArray users && users.Any(u => SandboxStore.Str(u?["id"]) == me.Id));
            if (request.Query("priority") is string priority)
            {
                records = records.Where(r => string.Equals(SandboxStore.Str(r.Data["priority"]), priority, StringComparison.OrdinalIgnoreCase));
            }

            return ListResult(new QueryWithout(request, "priority").Request, Kinds.Task, records, render: r =>
            {
                // The PendingTask shape: one assignee, who assigned it, a plain-text description.
                var task = _store.Render(r, FieldSelection.Everything, single: false);
                var pending = new JsonObject();
                foreach (var name in new[] { "id", "name", "status", "priority", "due_date", "created_at", "updated_at", "url", "resource" })
                {
                    if (task[name] is JsonNode value)
                    {
                        pending[name] = value.DeepClone();
                    }
                }

                pending["description"] = System.Text.RegularExpressions.Regex.Replace(SandboxStore.Str(task["body"]) ?? string.Empty, "<[^>]+>", string.Empty);
                pending["assigned_to_user"] = SandboxStore.UserRef(me);
                if (task["created_by_user"] is JsonNode by)
                {
                    pending["assigned_by_user"] = by.DeepClone();
                }

                return pending;
            });
        }

        /// <summary>Hides query parameters that a special list has already applied, so the generic filters skip them.</summary>
        private sealed class QueryWithout
        {
            public QueryWithout(ApiRequest request, string name)
            {
                var http = request.Http;
                var kept = http.Request.Query.Where(p => p.Key != name).ToDictionary(p => p.Key, p => p.Value);
                http.Request.Query = new Microsoft.AspNetCore.Http.QueryCollection(kept);
                Request = request;
            }

            public ApiRequest Request { get; }
        }
    }
}
