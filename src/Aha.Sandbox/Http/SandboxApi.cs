using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aha.Sandbox.Http
{
    /// <summary>
    /// The API's routes and what each one does to the store. Every route is declared here, one line each, so the
    /// list can be compared with the operations of <c>openapi/aha.yaml</c>.
    /// </summary>
    internal sealed partial class SandboxApi
    {
        public const string Prefix = "/api/v1";
        internal const string ResultKey = "aha.sandbox.result";

        private const int MaxPerPage = 200;
        private const int DefaultPerPage = 30;

        private readonly SandboxStore _store;
        private readonly SandboxStatistics _statistics;
        private readonly Func<PaginationShape> _paginationShape;
        private readonly List<(string Method, string Template)> _routes = new List<(string, string)>();
        private readonly HistoricalSearches _historical;

        public SandboxApi(SandboxStore store, SandboxStatistics statistics, Func<PaginationShape> paginationShape, SandboxHistoricalAuditOptions? historicalAudits = null)
        {
            _store = store;
            _statistics = statistics;
            _paginationShape = paginationShape;
            _historical = new HistoricalSearches(historicalAudits ?? new SandboxHistoricalAuditOptions());
        }

        /// <summary>Every route served, as (method, template relative to <c>/api/v1</c>).</summary>
        public IReadOnlyList<(string Method, string Template)> Routes => _routes;

        public void Map(IEndpointRouteBuilder app)
        {
            var product = Kinds.Product;
            var release = Kinds.Release;
            var feature = Kinds.Feature;
            var epic = Kinds.Epic;
            var requirement = Kinds.Requirement;
            var idea = Kinds.Idea;
            var initiative = Kinds.Initiative;
            var goal = Kinds.Goal;
            var comment = Kinds.Comment;
            var task = Kinds.Task;

            // Products
            List(app, "/products", product);
            Get(app, "/products/{id}", product);

            // Competitors
            List(app, "/products/{product_id}/competitors", Kinds.Competitor, product, "product");
            Create(app, "/products/{product_id}/competitors", Kinds.Competitor, product, "product");
            Get(app, "/competitors/{id}", Kinds.Competitor);
            Update(app, "/products/{product_id}/competitors/{id}", Kinds.Competitor, product);
            Update(app, "/competitors/{id}", Kinds.Competitor);
            Delete(app, "/products/{product_id}/competitors/{id}", Kinds.Competitor, product);
            Delete(app, "/competitors/{id}", Kinds.Competitor);

            // Features
            List(app, "/features", feature);
            List(app, "/products/{product_id}/features", feature, product, "product");
            List(app, "/releases/{release_id}/features", feature, release, "release");
            List(app, "/epics/{epic_id}/features", feature, epic, "epic");
            List(app, "/goals/{goal_id}/features", feature, goal, "goals");
            List(app, "/initiatives/{initiative_id}/features", feature, initiative, "initiative");
            Create(app, "/releases/{release_id}/features", feature, release, "release");
            Create(app, "/products/{product_id}/features", feature, product, "product");
            Get(app, "/features/{id}", feature);
            Update(app, "/features/{id}", feature);
            Delete(app, "/features/{id}", feature);
            Custom(app, "POST", "/features/{id}/convert_to_epic", ConvertToEpic);

            // Releases
            List(app, "/releases", release);
            List(app, "/products/{product_id}/releases", release, product, "product");
            Create(app, "/products/{product_id}/releases", release, product, "product");
            Get(app, "/releases/{id}", release);
            Update(app, "/products/{product_id}/releases/{id}", release, product);
            Update(app, "/releases/{id}", release);
            Delete(app, "/products/{product_id}/releases/{id}", release, product);
            Delete(app, "/releases/{id}", release);
            Custom(app, "POST", "/releases/{id}/duplicate", DuplicateRelease);
            List(app, "/goals/{goal_id}/releases", release, goal, "goals");
            List(app, "/initiatives/{initiative_id}/releases", release, initiative, "initiatives");
            List(app, "/releases/{release_id}/releases", release, release, "parent");
            List(app, "/roll_up_releases/{release_id}/releases", release, release, "parent");

            // Epics
            List(app, "/epics", epic);
            List(app, "/products/{product_id}/epics", epic, product, "product");
            Create(app, "/products/{product_id}/epics", epic, product, "product");
            List(app, "/releases/{release_id}/epics", epic, release, "release");
            Create(app, "/releases/{release_id}/epics", epic, release, "release");
            Get(app, "/epics/{id}", epic);
            Update(app, "/epics/{id}", epic);
            Delete(app, "/epics/{id}", epic);
            List(app, "/goals/{goal_id}/epics", epic, goal, "goals");
            List(app, "/initiatives/{initiative_id}/epics", epic, initiative, "initiative");

            // Requirements
            List(app, "/features/{feature_id}/requirements", requirement, feature, "feature");
            Create(app, "/features/{feature_id}/requirements", requirement, feature, "feature");
            Get(app, "/requirements/{id}", requirement);
            Update(app, "/requirements/{id}", requirement);
            Delete(app, "/requirements/{id}", requirement);

            // Ideas (the literal /ideas/related outranks /ideas/{id} in ASP.NET Core routing)
            List(app, "/ideas", idea);
            Custom(app, "GET", "/ideas/related", RelatedIdeas);
            List(app, "/products/{product_id}/ideas", idea, product, "product");
            Create(app, "/products/{product_id}/ideas", idea, product, "product");
            Get(app, "/ideas/{id}", idea);
            Update(app, "/ideas/{id}", idea);
            Delete(app, "/ideas/{id}", idea);
            Custom(app, "PUT", "/ideas/{id}/promote", PromoteIdea);
            List(app, "/ideas/{idea_id}/endorsements", Kinds.Endorsement, idea, "idea");
            Custom(app, "POST", "/ideas/{idea_id}/endorsements", CreateEndorsement);
            Custom(app, "GET", "/ideas/{idea_id}/watchers", IdeaWatchers);

            // Initiatives
            List(app, "/initiatives", initiative);
            List(app, "/products/{product_id}/initiatives", initiative, product, "product");
            Create(app, "/products/{product_id}/initiatives", initiative, product, "product");
            Get(app, "/initiatives/{id}", initiative);
            Update(app, "/initiatives/{id}", initiative);
            Delete(app, "/initiatives/{id}", initiative);

            // Goals
            List(app, "/goals", goal);
            List(app, "/products/{product_id}/goals", goal, product, "product");
            Create(app, "/products/{product_id}/goals", goal, product, "product");
            Get(app, "/goals/{id}", goal);
            Update(app, "/products/{product_id}/goals/{id}", goal, product);
            Update(app, "/goals/{id}", goal);
            Delete(app, "/products/{product_id}/goals/{id}", goal, product);

            // Strategy models (the documents use both /strategy_models and /strategic_models)
            // and answer under the matching key: strategy_model(s) on the official paths, strategic_model(s) on the others.
            foreach (var (segment, singular) in new[] { ("/strategy_models", "strategy_model"), ("/strategic_models", "strategic_model") })
            {
                List(app, segment, Kinds.StrategyModel, wrapper: singular + "s");
                Create(app, segment, Kinds.StrategyModel, wrapper: singular);
                Get(app, segment + "/{id}", Kinds.StrategyModel, wrapper: singular);
                Update(app, segment + "/{id}", Kinds.StrategyModel, wrapper: singular);
                Delete(app, segment + "/{id}", Kinds.StrategyModel);
            }

            // Release phases
            List(app, "/release_phases", Kinds.ReleasePhase);
            List(app, "/releases/{release_id}/release_phases", Kinds.ReleasePhase, release, "release");
            Create(app, "/release_phases", Kinds.ReleasePhase);
            Get(app, "/release_phases/{id}", Kinds.ReleasePhase);
            Update(app, "/release_phases/{id}", Kinds.ReleasePhase);
            Delete(app, "/release_phases/{id}", Kinds.ReleasePhase);

            // Me
            Custom(app, "GET", "/me", Me);
            Custom(app, "GET", "/me/assigned", MyAssignedRecords);
            Custom(app, "GET", "/me/tasks", MyTasks);

            // Idea organizations
            List(app, "/idea_organizations", Kinds.IdeaOrganization);
            Create(app, "/idea_organizations", Kinds.IdeaOrganization);
            Get(app, "/idea_organizations/{id}", Kinds.IdeaOrganization);
            Update(app, "/idea_organizations/{id}", Kinds.IdeaOrganization);
            Delete(app, "/idea_organizations/{id}", Kinds.IdeaOrganization);

            // To-dos (tasks)
            List(app, "/tasks", task);
            Create(app, "/tasks", task);
            Get(app, "/tasks/{id}", task);
            Update(app, "/tasks/{id}", task);
            Delete(app, "/tasks/{id}", task);
            foreach (var parent in new[] { feature, epic, release, idea, requirement, product })
            {
                List(app, $"/{parent.Plural}/{{{parent.Name}_id}}/tasks", task, parent, parent.Name);
            }

            // Comments, on every record type that has them
            foreach (var parent in new[] { feature, release, epic, requirement, idea, initiative, goal, Kinds.ReleasePhase, task, product })
            {
                List(app, $"/{parent.Plural}/{{{parent.Name}_id}}/comments", comment, parent, parent.Name);
                Create(app, $"/{parent.Plural}/{{{parent.Name}_id}}/comments", comment, parent, parent.Name);
            }

            Get(app, "/comments/{id}", comment);
            Update(app, "/comments/{id}", comment);
            Delete(app, "/comments/{id}", comment);

            // Time tracking
            foreach (var parent in new[] { feature, requirement, initiative })
            {
                List(app, $"/{parent.Plural}/{{{parent.Name}_id}}/time_tracking_events", Kinds.TimeTrackingEvent, parent, parent.Name);
                Create(app, $"/{parent.Plural}/{{{parent.Name}_id}}/time_tracking_events", Kinds.TimeTrackingEvent, parent, parent.Name);
            }

            Get(app, "/time_tracking_events/{id}", Kinds.TimeTrackingEvent);
            Delete(app, "/time_tracking_events/{id}", Kinds.TimeTrackingEvent);

            // Users
            List(app, "/users", Kinds.User);
            Get(app, "/users/{id}", Kinds.User);

            // Change history, recycle bin, integration-field lookups
            MapAuditsAndDeletions(app);

            // Searches of older change history (the index, GET /historical_audits, is served by the spec-driven layer)
            MapHistoricalAudits(app);
        }

        // ------------------------------------------------------------------ route declarations

        private void List(IEndpointRouteBuilder app, string template, ResourceKind kind, ResourceKind? parentKind = null, string? link = null, string? wrapper = null) =>
            Custom(app, "GET", template, request =>
            {
                var records = (IEnumerable<Record>)_store.All(kind);
                if (parentKind != null)
                {
                    var parent = _store.Get(parentKind, request.Route(ParamName(template)));
                    records = records.Where(r => r.HasLink(link!, parent.Id));
                }

                return ListResult(request, kind, records, wrapper);
            });

        private void Get(IEndpointRouteBuilder app, string template, ResourceKind kind, string? wrapper = null) =>
            Custom(app, "GET", template, request =>
            {
                var record = _store.Get(kind, request.Route("id"));
                return ApiResult.Ok(Wrap(wrapper ?? kind.Name, _store.Render(record, Selection(request, null), single: true)));
            });

        private void Create(IEndpointRouteBuilder app, string template, ResourceKind kind, ResourceKind? parentKind = null, string? link = null, string? wrapper = null) =>
            Custom(app, "POST", template, request =>
            {
                var parent = parentKind != null ? _store.Get(parentKind, request.Route(ParamName(template))) : null;
                var (attributes, fields) = Unwrap(request, kind);
                var (implicitParent, implicitLink) = ImplicitParent(kind, attributes);
                var record = _store.Create(kind, attributes, parent ?? implicitParent, parent != null ? link : implicitLink);
                Created(request);
                return ApiResult.Ok(Wrap(wrapper ?? kind.Name, _store.Render(record, Selection(request, fields), single: true)));
            });

        private void Update(IEndpointRouteBuilder app, string template, ResourceKind kind, ResourceKind? scope = null, string? wrapper = null) =>
            Custom(app, "PUT", template, request =>
            {
                var record = Scoped(request, kind, scope);
                var (attributes, fields) = Unwrap(request, kind);
                _store.Update(record, attributes);
                return ApiResult.Ok(Wrap(wrapper ?? kind.Name, _store.Render(record, Selection(request, fields), single: true)));
            });

        private void Delete(IEndpointRouteBuilder app, string template, ResourceKind kind, ResourceKind? scope = null) =>
            Custom(app, "DELETE", template, request =>
            {
                _store.Remove(Scoped(request, kind, scope));
                return ApiResult.NoContent();
            });

        private void Custom(IEndpointRouteBuilder app, string method, string template, Func<ApiRequest, ApiResult> handler)
        {
            _routes.Add((method, template));
            app.MapMethods(Prefix + template, new[] { method }, (RequestDelegate)(context => Handle(context, handler, template)));
        }

        private async Task Handle(HttpContext context, Func<ApiRequest, ApiResult> handler, string template)
        {
            var raw = string.Empty;
            if (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method))
            {
                using var reader = new System.IO.StreamReader(context.Request.Body, System.Text.Encoding.UTF8);
                raw = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            var request = new ApiRequest(context, raw);
            ApiResult result;
            try
            {
                lock (_store.Gate)
                {
                    result = handler(request);
                }
            }
            catch (ApiError e)
            {
                result = ApiResult.Error(e.Status, e.Message);
            }

            if (template.StartsWith(HistoricalAuditsPath, StringComparison.Ordinal))
            {
                // Aha! reports the search tokens left on every answer of the historical audits, errors included.
                lock (_store.Gate)
                {
                    result.Headers[HistoricalTokensHeader] = _historical.TokensAvailable.ToString(CultureInfo.InvariantCulture);
                }
            }

            context.Items[ResultKey] = result;
        }

        private static string ParamName(string template)
        {
            var start = template.IndexOf('{', StringComparison.Ordinal);
            return template.Substring(start + 1, template.IndexOf('}', start) - start - 1);
        }

        // ------------------------------------------------------------------ shared steps

        private Record Scoped(ApiRequest request, ResourceKind kind, ResourceKind? scope)
        {
            var record = _store.Get(kind, request.Route("id"));
            if (scope != null)
            {
                var parent = _store.Get(scope, request.Route(scope.Name + "_id"));
                if (!record.HasLink(scope.Name, parent.Id))
                {
                    throw ApiError.NotFound($"{SandboxStore.Humanize(kind.Name)} '{request.Route("id")}' was not found in {scope.Name} '{request.Route(scope.Name + "_id")}'.");
                }
            }

            return record;
        }

        private static JsonObject Wrap(ResourceKind kind, JsonNode body) => Wrap(kind.Name, body);

        private static JsonObject Wrap(string wrapper, JsonNode body) => new JsonObject { [wrapper] = body };

        /// <summary>
        /// Checks the wrapper (<c>{"feature": {...}}</c>) and returns its attributes, plus the documented sibling
        /// <c>fields</c>. An unwrapped body, an unknown top-level member or a wrapper that is not an object is a 400.
        /// </summary>
        internal static (JsonObject Attributes, string? Fields) Unwrap(ApiRequest request, ResourceKind kind)
        {
            var json = request.Json();
            if (json is not JsonObject body)
            {
                throw ApiError.BadRequest($"The request body must be a JSON object such as {{\"{kind.Name}\": {{...}}}}.");
            }

            var wrapper = kind.WrapperNames.FirstOrDefault(body.ContainsKey);
            if (wrapper == null)
            {
                throw ApiError.BadRequest($"The request body must be wrapped in \"{kind.Name}\": {{\"{kind.Name}\": {{...}}}}. Found: {string.Join(", ", body.Select(p => "\"" + p.Key + "\""))}.");
            }

            foreach (var pair in body)
            {
                if (pair.Key != wrapper && pair.Key != "fields" && pair.Key != "disable_mailers" && pair.Key != "skip_portal")
                {
                    throw ApiError.BadRequest($"Unexpected member \"{pair.Key}\" next to \"{wrapper}\"; attributes belong inside the wrapper.");
                }
            }

            if (body[wrapper] is not JsonObject attributes)
            {
                throw ApiError.BadRequest($"\"{wrapper}\" must be an object of attributes.");
            }

            var fields = body["fields"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;
            return ((JsonObject)attributes.DeepClone(), fields);
        }

        private (Record? Parent, string? Link) ImplicitParent(ResourceKind kind, JsonObject attributes)
        {
            if (kind == Kinds.ReleasePhase)
            {
                var id = IdText(attributes["release_id"]) ?? throw ApiError.BadRequest("Validation failed: Release can't be blank (give release_id).");
                attributes.Remove("release_id");
                return (_store.Find(Kinds.Release, id) ?? throw ApiError.BadRequest($"release_id: no release '{id}'."), "release");
            }

            if (kind == Kinds.Task && IdText(attributes["taskable_id"]) is string taskableId)
            {
                var type = SandboxStore.Str(attributes["taskable_type"]) ?? "Feature";
                var parentKind = Kinds.All.FirstOrDefault(k => string.Equals(k.Name.Replace("_", string.Empty, StringComparison.Ordinal), type.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
                var parent = parentKind != null ? _store.Find(parentKind, taskableId) : null;
                return parent != null ? (parent, parent.Kind.Name) : (null, null);
            }

            return (null, null);
        }

        internal static string? IdText(JsonNode? node) => node is JsonValue v
            ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : null)
            : null;

        private void Created(ApiRequest request)
        {
            string normalized;
            try
            {
                normalized = JsonNode.Parse(request.RawBody)?.ToJsonString() ?? string.Empty;
            }
            catch (JsonException)
            {
                normalized = request.RawBody;
            }

            _statistics.Created(request.Path, normalized);
        }

        private static FieldSelection Selection(ApiRequest request, string? bodyFields) =>
            FieldSelection.Parse(request.Query("fields") ?? bodyFields);
    }
}
