using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace Aha.Tests.Shared
{
    /// <summary>
    /// Answers <c>GET .../audits</c> from an in-memory audit log the test fills (ids beyond 2^53, increasing; the
    /// <c>after_id</c>, <c>created_since</c>, <c>auditable_type</c> and <c>per_page</c> filters; a top-level
    /// <c>pagination</c>) and passes every other request to its inner handler (a sandbox, or nothing: 404).
    /// </summary>
    internal sealed class FakeAuditLog : DelegatingHandler
    {
        private readonly object _gate = new object();
        private readonly List<JObject> _audits = new List<JObject>();
        private long _nextId = 6_776_757_454_428_206_157;

        public FakeAuditLog(HttpMessageHandler? inner = null)
        {
            if (inner != null)
            {
                InnerHandler = inner;
            }
        }

        /// <summary>The clock that dates new audits; the current time by default.</summary>
        public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>The most audits one answer holds, whatever per_page asks (Aha!'s cap).</summary>
        public int MaxPerPage { get; set; } = 200;

        /// <summary>Every audits request's query, in order.</summary>
        public List<string> AuditQueries { get; } = new List<string>();

        /// <summary>Every request that was not an audits request (path and query), in order.</summary>
        public List<string> OtherRequests { get; } = new List<string>();

        /// <summary>When set, answers list audits newest first (pages counted from the newest), as Aha!'s list may.</summary>
        public bool NewestFirst { get; set; }

        /// <summary>When set, an audits answer repeats the last audit at or before after_id (a server that overlaps).</summary>
        public bool RepeatLastSeen { get; set; }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _audits.Count;
                }
            }
        }

        public JObject Add(string action, string type, string id, string? associatedType = null, string? associatedId = null, params (string Field, string Value)[] changes)
        {
            lock (_gate)
            {
                var audit = new JObject
                {
                    ["id"] = (_nextId += 7).ToString(CultureInfo.InvariantCulture),
                    ["audit_action"] = action,
                    ["created_at"] = Now().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["interesting"] = true,
                    ["user"] = new JObject { ["id"] = "1049303076", ["name"] = "George Gently", ["email"] = "no-reply@aha.io" },
                    ["auditable_type"] = type,
                    ["auditable_id"] = long.TryParse(id, out var n) ? new JValue(n) : new JValue(id),
                    ["associated_type"] = associatedType,
                    ["associated_id"] = associatedId is null ? null : long.TryParse(associatedId, out var a) ? new JValue(a) : new JValue(associatedId),
                    ["description"] = $"{action} {type} {id}",
                    ["changes"] = new JArray(changes.Select(c => new JObject { ["field_name"] = c.Field, ["value"] = c.Value })),
                };
                _audits.Add(audit);
                return audit;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Get && path.EndsWith("/audits", StringComparison.Ordinal))
            {
                return Answer(request.RequestUri.Query);
            }

            lock (_gate)
            {
                OtherRequests.Add(request.RequestUri.PathAndQuery);
            }

            if (InnerHandler is null)
            {
                return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("{\"error\":\"Not found\"}", Encoding.UTF8, "application/json") };
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        private HttpResponseMessage Answer(string query)
        {
            var parameters = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);
            JArray page;
            int total;
            lock (_gate)
            {
                AuditQueries.Add(query.TrimStart('?'));
                IEnumerable<JObject> selected = _audits;
                if (parameters.TryGetValue("after_id", out var after))
                {
                    var cursor = long.Parse(after, CultureInfo.InvariantCulture);
                    var overlap = RepeatLastSeen ? _audits.LastOrDefault(a => long.Parse((string)a["id"]!, CultureInfo.InvariantCulture) <= cursor) : null;
                    selected = selected.Where(a => long.Parse((string)a["id"]!, CultureInfo.InvariantCulture) > cursor || ReferenceEquals(a, overlap));
                }

                if (parameters.TryGetValue("created_since", out var since))
                {
                    var from = DateTimeOffset.Parse(since, CultureInfo.InvariantCulture);
                    selected = selected.Where(a => DateTimeOffset.Parse((string)a["created_at"]!, CultureInfo.InvariantCulture) >= from);
                }

                if (parameters.TryGetValue("auditable_type", out var type))
                {
                    selected = selected.Where(a => string.Equals((string?)a["auditable_type"], type, StringComparison.OrdinalIgnoreCase));
                }

                var all = selected.ToList();
                if (NewestFirst)
                {
                    all.Reverse();
                }

                total = all.Count;
                var perPage = Math.Min(MaxPerPage, parameters.TryGetValue("per_page", out var pp) ? int.Parse(pp, CultureInfo.InvariantCulture) : 30);
                var number = parameters.TryGetValue("page", out var pageText) ? int.Parse(pageText, CultureInfo.InvariantCulture) : 1;
                page = new JArray(all.Skip((number - 1) * perPage).Take(perPage).Select(a => a.DeepClone()));
                var body = new JObject
                {
                    ["audits"] = page,
                    ["pagination"] = new JObject
                    {
                        ["total_records"] = total,
                        ["total_pages"] = Math.Max(1, (total + perPage - 1) / perPage),
                        ["current_page"] = number,
                    },
                };
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json") };
            }
        }
    }
}
