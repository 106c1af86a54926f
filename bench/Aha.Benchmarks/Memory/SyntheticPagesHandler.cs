using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Benchmarks.Memory
{
    /// <summary>
    /// An in-memory "server" with any number of full features: page p is the recorded 200-feature page with fresh ids
    /// (19-digit, like Aha!'s) and the pagination of a list of <c>totalRecords</c>. Nothing is stored per record, so the
    /// process's managed memory is the client's (plus one page being written here), whatever N is.
    /// </summary>
    internal sealed class SyntheticPagesHandler : HttpMessageHandler
    {
        private const long IdBase = 6_776_000_000_000_000_000;

        private static readonly MediaTypeHeaderValue Json = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        private readonly JsonObject _template;
        private readonly JsonArray _features;
        private readonly JsonObject[] _all;
        private readonly int _totalRecords;
        private readonly object _gate = new object();

        public SyntheticPagesHandler(byte[] recordedPage, int totalRecords)
        {
            _template = JsonNode.Parse(recordedPage)!.AsObject();
            _features = _template["features"]!.AsArray();
            _all = new JsonObject[_features.Count];
            for (var i = 0; i < _all.Length; i++)
            {
                _all[i] = _features[i]!.AsObject();
            }

            _totalRecords = totalRecords;
        }

        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var page = int.Parse(query["page"] ?? "1", CultureInfo.InvariantCulture);
            var perPage = Math.Min(_all.Length, int.Parse(query["per_page"] ?? "30", CultureInfo.InvariantCulture));
            var totalPages = (_totalRecords + perPage - 1) / perPage;
            var first = (long)(page - 1) * perPage;
            var count = (int)Math.Max(0, Math.Min(perPage, _totalRecords - first));

            byte[] body;
            lock (_gate)
            {
                Requests++;
                _features.Clear();
                for (var i = 0; i < count; i++)
                {
                    var feature = _all[i];
                    feature["id"] = (IdBase + first + i).ToString(CultureInfo.InvariantCulture);
                    feature["reference_num"] = "PRJ1-" + (first + i + 1).ToString(CultureInfo.InvariantCulture);
                    _features.Add(feature);
                }

                _template["pagination"] = new JsonObject
                {
                    ["total_records"] = _totalRecords,
                    ["total_pages"] = totalPages,
                    ["current_page"] = page,
                };

                using var buffer = new MemoryStream(512 * 1024);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    _template.WriteTo(writer);
                }

                body = buffer.ToArray();
                _features.Clear();
            }

            var content = new StreamContent(new MemoryStream(body, writable: false));
            content.Headers.ContentType = Json;
            content.Headers.ContentLength = body.Length;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
