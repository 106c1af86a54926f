using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aha.Sandbox.Data;
using Aha.Sandbox.Spec;
using Microsoft.AspNetCore.Routing;

namespace Aha.Sandbox.Http
{
    /// <summary>
    /// The searches of older change history: <c>POST /historical_audits</c> starts one (reserving search tokens) and
    /// <c>GET /historical_audits/{search_id}</c> reads it, "running" for the first reads, then page by page with
    /// <c>next_token</c>. See <see cref="SandboxHistoricalAuditOptions"/>.
    /// </summary>
    internal sealed partial class SandboxApi
    {
        internal const string HistoricalAuditsPath = "/historical_audits";

        internal const string HistoricalTokensHeader = "X-Historical-Tokens-Available";

        /// <summary>The members a search may hold; anything else is a 400 (a misspelt filter would otherwise widen the search silently).</summary>
        private static readonly string[] SearchMembers =
        {
            "created_since", "created_before", "auditable_type", "auditable_id", "associated_type", "associated_id", "audit_action", "after_id", "user_id",
        };

        private void MapHistoricalAudits(IEndpointRouteBuilder app)
        {
            Custom(app, "POST", HistoricalAuditsPath, StartHistoricalSearch);
            Custom(app, "GET", HistoricalAuditsPath + "/{search_id}", ReadHistoricalSearch);
        }

        /// <summary>
        /// Makes the search ids of the spec's examples readable, done, with the documented results, so that a user (or
        /// the spec walk) who reads the id an example shows gets the example's answer.
        /// </summary>
        public void SeedDocumentedSearches(JsonObject document)
        {
            var routes = new SpecRoutes(document);
            var operations = SpecDocument.Operations(document);
            var results = operations.FirstOrDefault(o => o.Method == "GET" && o.Path == HistoricalAuditsPath + "/{search_id}");
            var audits = results != null && routes.SuccessOf(results).Example?["audits"] is JsonArray documented
                ? documented.OfType<JsonObject>().Select(a => (JsonObject)a.DeepClone()).ToList()
                : new List<JsonObject>();
            var start = operations.FirstOrDefault(o => o.Method == "POST" && o.Path == HistoricalAuditsPath);
            var examples = start?.Operation["responses"]?["200"]?["content"]?["application/json"]?["examples"] as JsonObject;
            foreach (var example in examples ?? new JsonObject())
            {
                if (IdText(example.Value?["value"]?["search_id"]) is string id)
                {
                    _historical.AddFinished(id, audits);
                }
            }
        }

        /// <summary><c>POST /historical_audits</c>: checks the search, reserves its tokens, answers its id.</summary>
        private ApiResult StartHistoricalSearch(ApiRequest request)
        {
            if (request.Json() is not JsonObject body || body["search"] is not JsonObject search)
            {
                throw ApiError.BadRequest("The request body must be {\"search\": {\"created_since\": ..., \"created_before\": ..., filters}}.");
            }

            if (body.Select(p => p.Key).FirstOrDefault(k => k != "search") is string extra)
            {
                throw ApiError.BadRequest($"Unexpected member \"{extra}\" next to \"search\"; the filters belong inside it.");
            }

            if (search.Select(p => p.Key).FirstOrDefault(k => !SearchMembers.Contains(k)) is string unknown)
            {
                throw ApiError.BadRequest($"Unknown search member \"{unknown}\"; a search takes {string.Join(", ", SearchMembers)}.");
            }

            var since = SearchTime(search, "created_since");
            var before = SearchTime(search, "created_before");
            if (since > before)
            {
                throw ApiError.BadRequest("created_since must not be later than created_before.");
            }

            var audits = FilterAudits(_store.Audits.Entries.Where(a => Stamp(a) >= since && Stamp(a) < before), name => SearchText(search, name));

            // The search covers the history as it stands now; later writes do not change its pages.
            var found = audits.Select(a => (JsonObject)a.DeepClone()).ToList();
            var searchId = _store.NextId();
            if (!_historical.TryStart(searchId, found, out _))
            {
                throw ApiError.BadRequest($"Not enough historical search tokens: {_historical.TokensAvailable} left, and a search reserves {_historical.Reservation} until its results are read.");
            }

            Created(request);
            return ApiResult.Ok(new JsonObject { ["search_id"] = searchId });
        }

        /// <summary>
        /// <c>GET /historical_audits/{search_id}</c>: "running" with no audits while the search runs, then its first page;
        /// <c>next_token</c> reads the next one, until a page without one (<c>results_complete</c>).
        /// </summary>
        private ApiResult ReadHistoricalSearch(ApiRequest request)
        {
            var id = request.Route("search_id");
            var search = _historical.Find(id) ?? throw ApiError.NotFound($"Historical audit search '{id}' was not found.");
            var page = 0;
            if (request.Query("next_token") is string token && token.Length > 0)
            {
                if (!search.Settled)
                {
                    throw ApiError.BadRequest($"next_token '{token}' was given, but search '{id}' has no results yet.");
                }

                page = search.PageOf(token) ?? throw ApiError.BadRequest($"next_token '{token}' is not a token of search '{id}'.");
            }
            else if (_historical.StillRunning(search))
            {
                return ApiResult.Ok(new JsonObject
                {
                    ["audits"] = new JsonArray(),
                    ["running"] = true,
                    ["next_token"] = null,
                    ["results_complete"] = false,
                });
            }

            var size = _historical.ResultsPerPage;
            var items = search.Found.Skip((int)Math.Min((long)page * size, int.MaxValue)).Take(size).Select(a => (JsonNode?)a.DeepClone()).ToArray();
            var more = (long)(page + 1) * size < search.Found.Count;
            return ApiResult.Ok(new JsonObject
            {
                ["audits"] = new JsonArray(items),
                ["running"] = false,
                ["next_token"] = more ? search.TokenOf(page + 1) : null,
                ["results_complete"] = !more,
            });
        }

        /// <summary>A required date-time of the search (400 when missing or not a date-time).</summary>
        private static DateTimeOffset SearchTime(JsonObject search, string name)
        {
            var text = SearchText(search, name) ?? throw ApiError.BadRequest($"search.{name} is required (an ISO 8601 date-time).");
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                throw ApiError.BadRequest($"search.{name} must be a date-time, not '{text}'.");
            }

            return value;
        }

        /// <summary>A member given as text or a number (ids arrive both ways); null when absent or empty.</summary>
        private static string? SearchText(JsonObject search, string name)
        {
            var node = search[name];
            if (node is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
            {
                var text = IdText(value);
                return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
            }

            if (node is null)
            {
                return null;
            }

            throw ApiError.BadRequest($"search.{name} must be text or a number, not {node.ToJsonString()}.");
        }
    }
}
