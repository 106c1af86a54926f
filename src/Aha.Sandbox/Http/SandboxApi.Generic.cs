using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aha.Sandbox.Data;
using Aha.Sandbox.Spec;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Aha.Sandbox.Http
{
    /// <summary>
    /// The spec-driven layer: every operation of the spec that no hand-written route above serves gets a route here,
    /// with the behaviour <see cref="SpecRoutes"/> derived from its path and schemas (list, get, create, update, delete
    /// on the store, or the documented example for anything else).
    /// </summary>
    internal sealed partial class SandboxApi
    {
        private readonly List<GenericRoute> _generic = new List<GenericRoute>();
        private readonly List<(string Operation, string Reason)> _unserved = new List<(string, string)>();

        /// <summary>The operations served by the generic layer.</summary>
        public IReadOnlyList<GenericRoute> GenericRoutes => _generic;

        /// <summary>Operations of the spec that could not be routed at all (a path ASP.NET Core cannot express), with the reason.</summary>
        public IReadOnlyList<(string Operation, string Reason)> Unserved => _unserved;

        internal static string NormalizeTemplate(string template) => Regex.Replace(template, "\\{[^}]*\\}", "{}");

        /// <summary>Registers the record types of the unserved operations (before seeding, so examples become their records) and maps them.</summary>
        public void MapGeneric(IEndpointRouteBuilder app, SpecRoutes spec)
        {
            var served = new HashSet<string>(_routes.Select(r => r.Method + " " + NormalizeTemplate(r.Template)), StringComparer.Ordinal);
            foreach (var route in spec.Routes)
            {
                var operation = route.Operation;
                if (!served.Add(operation.Method + " " + NormalizeTemplate(operation.Path)))
                {
                    continue; // a hand-written route (richer), or a second spelling of a path already served
                }

                try
                {
                    RoutePatternFactory.Parse(Prefix + operation.Path);
                }
                catch (RoutePatternException e)
                {
                    _unserved.Add((operation.Method + " " + operation.Path, e.Message));
                    continue;
                }

                ResourceKind? kind = null;
                if (route.Singular != null)
                {
                    lock (_store.Gate)
                    {
                        // The path's record type wins when it is known; an answer wrapped as another known type is
                        // not a plain read or write of it (served from the example).
                        var bySegment = route.Segment != null ? _store.KindOf(route.Segment) : null;
                        var byWrapper = _store.KindOf(route.Singular) ?? (route.Plural != null ? _store.KindOf(route.Plural) : null);
                        if (bySegment != null && byWrapper != null && bySegment != byWrapper)
                        {
                            kind = null;
                        }
                        else
                        {
                            kind = bySegment ?? _store.RegisterKind(route.Singular, route.Plural);
                            if (route.Segment != null)
                            {
                                _store.AliasKind(route.Segment, kind);
                            }
                        }
                    }
                }

                _generic.Add(route);
                var r = route;
                var k = kind;
                Custom(app, operation.Method, operation.Path, request => Generic(request, r, k));
            }
        }

        private ApiResult Generic(ApiRequest request, GenericRoute route, ResourceKind? kind)
        {
            CheckRequiredQuery(request, route.Operation);
            if (kind == null || route.Action == GenericAction.Example)
            {
                return Documented(route);
            }

            switch (route.Action)
            {
                case GenericAction.List:
                    var records = (IEnumerable<Record>)_store.All(kind);
                    if (ParentLink(request, route) is (string link, string parentId))
                    {
                        records = records.Where(r => r.HasLink(link, parentId));
                    }

                    return ListResult(request, kind, records, route.AnswerWrapper);

                case GenericAction.Get:
                    ParentOf(request, route);
                    var found = _store.Get(kind, request.Route(route.IdParameter!));
                    return ApiResult.Ok(Wrap(route.AnswerWrapper!, _store.Render(found, Selection(request, null), single: true)));

                case GenericAction.Create:
                    if (request.Http.Request.HasFormContentType)
                    {
                        // A form upload (an attachment's file in attachment[data]): answered with the documented record,
                        // as before the spec described the JSON form of the same operation.
                        return Documented(route);
                    }

                    var owner = ParentOf(request, route);
                    var (attributes, fields) = UnwrapAny(request, route, kind);
                    if (LinkUpload(request, route, kind, attributes) is ApiResult refused)
                    {
                        return refused;
                    }
                    var created = kind.Generic
                        ? _store.CreateGeneric(kind, attributes, owner, (route.Example as JsonObject)?[route.AnswerWrapper!] as JsonObject)
                        : _store.Create(kind, attributes, owner, owner?.Kind.Name);
                    if (owner == null && ParentLink(request, route) is (string ownerLink, string ownerId))
                    {
                        created.SetLink(ownerLink, ownerId); // a parent of a type the sandbox holds no record of
                    }

                    Created(request);
                    return ApiResult.Ok(Wrap(route.AnswerWrapper!, _store.Render(created, Selection(request, fields), single: true)));

                case GenericAction.Update:
                    ParentOf(request, route);
                    var record = _store.Get(kind, request.Route(route.IdParameter!));
                    var (changes, selection) = UnwrapAny(request, route, kind);
                    if (kind.Generic)
                    {
                        _store.UpdateGeneric(record, changes, (route.Example as JsonObject)?[route.AnswerWrapper!] as JsonObject);
                    }
                    else
                    {
                        _store.Update(record, changes);
                    }

                    return ApiResult.Ok(Wrap(route.AnswerWrapper!, _store.Render(record, Selection(request, selection), single: true)));

                case GenericAction.Delete:
                    ParentOf(request, route);
                    _store.Remove(_store.Get(kind, request.Route(route.IdParameter!)));
                    return Documented(route);

                default:
                    return Documented(route);
            }
        }

        /// <summary>
        /// The JSON form of an upload (<c>{"attachment": {"file_url", "content_type", "file_name"}}</c>): the address must be
        /// an absolute http(s) URL (else 400), and with <c>If-None-Match</c> a file already attached from the same address
        /// to the same record is refused with Aha!'s 412 duplicate answer. Null when the create may go ahead (or the body
        /// is not a link upload).
        /// </summary>
        private ApiResult? LinkUpload(ApiRequest request, GenericRoute route, ResourceKind kind, JsonObject attributes)
        {
            if (!attributes.ContainsKey("file_url"))
            {
                return null;
            }

            var address = attributes["file_url"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (address == null || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw ApiError.BadRequest($"file_url must be an absolute http or https address, not {attributes["file_url"]?.ToJsonString() ?? "null"}.");
            }

            if (request.Http.Request.Headers.ContainsKey("If-None-Match") && ParentLink(request, route) is (string link, string parentId))
            {
                var existing = _store.All(kind).FirstOrDefault(r => r.HasLink(link, parentId) && (string?)r.Data["file_url"] == address);
                if (existing != null)
                {
                    return new ApiResult(412, new JsonObject
                    {
                        ["status"] = "duplicate",
                        ["success"] = false,
                        ["attachmentId"] = existing.Id,
                        ["attachmentUrl"] = (string?)existing.Data["download_url"],
                        ["message"] = "The same file is already attached to this record.",
                    });
                }
            }

            return null;
        }

        /// <summary>
        /// A 400 when the request lacks a query parameter that the operation declares required (the time window of the
        /// historical audits' index), or gives a date-time one a value that is not a date-time, as Aha! refuses such a
        /// request. Only parameters declared inline are checked; the shared ones (<c>page</c>, <c>fields</c>) are optional.
        /// </summary>
        internal static void CheckRequiredQuery(ApiRequest request, SpecOperation operation)
        {
            if (operation.Operation["parameters"] is not JsonArray parameters)
            {
                return;
            }

            foreach (var parameter in parameters.OfType<JsonObject>())
            {
                if ((string?)parameter["in"] != "query" || parameter["name"] is not JsonValue nameNode || nameNode.GetValueKind() != JsonValueKind.String)
                {
                    continue;
                }

                var name = nameNode.GetValue<string>();
                var value = request.Query(name);
                var required = parameter["required"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
                if (string.IsNullOrWhiteSpace(value))
                {
                    if (required)
                    {
                        throw ApiError.BadRequest($"The query parameter {name} is required.");
                    }

                    continue;
                }

                if ((string?)parameter["schema"]?["format"] == "date-time"
                    && !DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _))
                {
                    throw ApiError.BadRequest($"The query parameter {name} must be a date-time, not '{value}'.");
                }
            }
        }

        /// <summary>
        /// The record named by the parent parameter: 404 when its type has records but not this one; null when the path
        /// has no parent, or names a type the sandbox holds no record of (nothing to check it against).
        /// </summary>
        private Record? ParentOf(ApiRequest request, GenericRoute route)
        {
            if (route.ParentSegment == null || _store.KindOf(route.ParentSegment) is not ResourceKind parentKind)
            {
                return null;
            }

            var id = request.Route(route.ParentParameter!);
            return parentKind.Generic && _store.Count(parentKind) == 0 ? null : _store.Get(parentKind, id);
        }

        /// <summary>The link that ties a record to the parent in the path: (link name, parent id), or null without a parent.</summary>
        private (string Link, string Id)? ParentLink(ApiRequest request, GenericRoute route)
        {
            if (ParentOf(request, route) is Record parent)
            {
                return (parent.Kind.Name, parent.Id);
            }

            if (route.ParentSegment != null && _store.KindOf(route.ParentSegment) is ResourceKind parentKind)
            {
                return (parentKind.Name, request.Route(route.ParentParameter!));
            }

            return null;
        }

        /// <summary>Actions, singletons and downloads answer what the spec documents for them.</summary>
        private static ApiResult Documented(GenericRoute route) =>
            route.SuccessStatus == 204 ? ApiResult.NoContent() : new ApiResult(route.SuccessStatus, route.Example?.DeepClone() ?? new JsonObject());

        /// <summary>The attributes inside any wrapper the spec gives this request (or the record type's own), plus <c>fields</c>.</summary>
        private static (JsonObject Attributes, string? Fields) UnwrapAny(ApiRequest request, GenericRoute route, ResourceKind kind)
        {
            if (request.Json() is not JsonObject body)
            {
                throw ApiError.BadRequest($"The request body must be a JSON object such as {{\"{route.AnswerWrapper}\": {{...}}}}.");
            }

            var wrappers = route.RequestWrappers.Concat(kind.WrapperNames).Append(route.AnswerWrapper!).Distinct(StringComparer.Ordinal).ToList();
            var fieldsText = body["fields"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;
            if (route.RequestWrappers.Count == 0 && !wrappers.Any(body.ContainsKey))
            {
                // The spec documents this body without a wrapper (its attributes at the top level, as Aha!'s example sends them).
                var bare = (JsonObject)body.DeepClone();
                bare.Remove("fields");
                return (bare, fieldsText);
            }

            var wrapper = wrappers.FirstOrDefault(body.ContainsKey)
                ?? throw ApiError.BadRequest($"The request body must be wrapped in \"{wrappers[0]}\": {{\"{wrappers[0]}\": {{...}}}}. Found: {string.Join(", ", body.Select(p => "\"" + p.Key + "\""))}.");
            if (body[wrapper] is not JsonObject attributes)
            {
                throw ApiError.BadRequest($"\"{wrapper}\" must be an object of attributes.");
            }

            return ((JsonObject)attributes.DeepClone(), fieldsText);
        }
    }
}
