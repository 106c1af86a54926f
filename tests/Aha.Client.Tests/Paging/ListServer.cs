using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Paging
{
    /// <summary>The pagination shapes the Aha! documents show.</summary>
    public enum PaginationShape
    {
        /// <summary><c>"pagination": {"total_records", "total_pages", "current_page"}</c> (canonical).</summary>
        Object,

        /// <summary><c>"pagination": [{...}]</c> (the overview).</summary>
        Array,

        /// <summary><c>"meta": {"pagination": {..., "per_page", "next_page", "prev_page"}}</c>.</summary>
        Meta,

        /// <summary>A flat <c>pagination</c> object that adds <c>per_page</c>.</summary>
        FlatWithPerPage,

        /// <summary>No pagination at all, but <c>page</c>/<c>per_page</c> honoured (the 3,000-record case of the issue).</summary>
        Absent,

        /// <summary>No pagination at all, and the whole list in one answer whatever <c>page</c>/<c>per_page</c> say.</summary>
        AbsentWholeList,
    }

    /// <summary>
    /// A fake Aha! list endpoint on MockHttp: serves <see cref="Records"/> page by page in a given shape, records every
    /// request, lets a test change the records before a page is served, and can hold a page until the test releases it.
    /// </summary>
    internal sealed class ListServer
    {
        public const string BaseAddress = "https://company.aha.io/api/v1/";

        public static string BaseAddressPattern(string relative) => BaseAddress + relative;

        private readonly object _lock = new object();
        private readonly ConcurrentDictionary<int, TaskCompletionSource<bool>> _gates = new ConcurrentDictionary<int, TaskCompletionSource<bool>>();
        private int _inFlight;

        public ListServer(int count, PaginationShape shape = PaginationShape.Object, string recordsKey = "features")
        {
            Records = Enumerable.Range(1, count).Select(MakeRecord).ToList();
            Shape = shape;
            RecordsKey = recordsKey;
            Mock = new MockHttpMessageHandler();
            Mock.When(BaseAddress + "*").Respond(ServeAsync);
        }

        public MockHttpMessageHandler Mock { get; }

        public List<JObject> Records { get; }

        public PaginationShape Shape { get; set; }

        public string RecordsKey { get; }

        /// <summary>Called (under a lock) before a page is computed, with the requested page number: change <see cref="Records"/> here.</summary>
        public Action<int>? BeforeServe { get; set; }

        /// <summary>Replaces the computed answer for a page (to serve odd or broken answers).</summary>
        public Func<int, int, JObject, JObject>? Rewrite { get; set; }

        /// <summary>Replaces the body of a page's answer (e.g. to control when its bytes can be read).</summary>
        public Func<int, byte[], HttpContent>? Content { get; set; }

        /// <summary>A page the server never finishes unless the request is cancelled.</summary>
        public int? HangOnPage { get; set; }

        /// <summary>Set when the hanging page's request has arrived.</summary>
        public TaskCompletionSource<bool> HangStarted { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(int Page, int? PerPage, string Query)> Requests { get; } = new ConcurrentQueue<(int, int?, string)>();

        public int MaxInFlight { get; private set; }

        /// <summary>When true, every page waits for <see cref="Release"/>.</summary>
        public bool Gated { get; set; }

        /// <summary>Fired when the number of requests in flight reaches a value.</summary>
        public Action<int>? InFlightChanged { get; set; }

        public static JObject MakeRecord(int n) => new JObject
        {
            ["id"] = (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["name"] = "Feature " + n,
            ["reference_num"] = "PRJ1-" + n,
        };

        public HttpClient CreateHttpClient(DelegatingHandler? front = null)
        {
            HttpMessageHandler handler = Mock;
            if (front != null)
            {
                front.InnerHandler = Mock;
                handler = front;
            }

            return new HttpClient(handler) { BaseAddress = new Uri(BaseAddress) };
        }

        public FeaturesClient CreateFeaturesClient(DelegatingHandler? front = null) => new FeaturesClient(CreateHttpClient(front));

        /// <summary>
        /// A features client through the whole <see cref="AhaClient"/> pipeline (bodies buffered, so the paging loop
        /// knows each answer's size and pagination before its records are parsed, and reads further ahead); the rate
        /// limiter and retries are off, so nothing waits on the fake clock.
        /// </summary>
        public FeaturesClient CreateFeaturesClientThroughPipeline()
            => Infrastructure.TestClients.Create(new Infrastructure.TestClock(), Mock, o =>
            {
                o.RateLimit.Enabled = false;
                o.Resilience.MaxRetryAttempts = 0;
            }).Features;

        public void Release(int page) => Gate(page).TrySetResult(true);

        /// <summary>Changes <see cref="Records"/> under the lock that serving a page takes (from the consumer's side).</summary>
        public void Mutate(Action change)
        {
            lock (_lock)
            {
                change();
            }
        }

        public int[] RequestedPages => Requests.Select(r => r.Page).ToArray();

        private TaskCompletionSource<bool> Gate(int page) => _gates.GetOrAdd(page, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

        private async Task<HttpResponseMessage> ServeAsync(HttpRequestMessage request)
        {
            var query = request.RequestUri!.Query.TrimStart('?');
            var parameters = query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split(new[] { '=' }, 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);
            var page = parameters.TryGetValue("page", out var p1) ? int.Parse(p1, System.Globalization.CultureInfo.InvariantCulture) : 1;
            int? perPage = parameters.TryGetValue("per_page", out var p2) ? int.Parse(p2, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
            Requests.Enqueue((page, perPage, query));

            var now = Interlocked.Increment(ref _inFlight);
            lock (_lock)
            {
                MaxInFlight = Math.Max(MaxInFlight, now);
            }

            InFlightChanged?.Invoke(now);
            try
            {
                if (HangOnPage == page)
                {
                    HangStarted.TrySetResult(true);
                    await new TaskCompletionSource<bool>().Task.ConfigureAwait(false);
                }

                if (Gated)
                {
                    await Gate(page).Task.ConfigureAwait(false);
                }

                JObject body;
                lock (_lock)
                {
                    BeforeServe?.Invoke(page);
                    body = BuildPage(page, perPage ?? 30);
                }

                if (parameters.TryGetValue("fields", out var fields) && fields != "*" && body[RecordsKey] is JArray records)
                {
                    // Sparse records, as Aha! returns them for fields=: only the named attributes.
                    var names = new HashSet<string>(fields.Split(','), StringComparer.Ordinal);
                    foreach (var record in records.OfType<JObject>())
                    {
                        foreach (var property in record.Properties().Where(p => !names.Contains(p.Name)).ToList())
                        {
                            property.Remove();
                        }
                    }
                }

                if (Rewrite != null)
                {
                    body = Rewrite(page, perPage ?? 30, body);
                }

                var text = body.ToString(Formatting.None);
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = Content?.Invoke(page, Encoding.UTF8.GetBytes(text)) ?? new StringContent(text, Encoding.UTF8, "application/json"),
                };
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private JObject BuildPage(int page, int perPage)
        {
            var total = Records.Count;
            if (Shape == PaginationShape.AbsentWholeList)
            {
                return new JObject { [RecordsKey] = new JArray(Records.Select(r => r.DeepClone())) };
            }

            var totalPages = (total + perPage - 1) / perPage;
            var items = Records.Skip((page - 1) * perPage).Take(perPage).Select(r => r.DeepClone());
            if (Shape == PaginationShape.Absent)
            {
                return new JObject { [RecordsKey] = new JArray(items) };
            }
            var pagination = new JObject
            {
                ["total_records"] = total,
                ["total_pages"] = totalPages,
                ["current_page"] = page,
            };
            var body = new JObject { [RecordsKey] = new JArray(items) };
            switch (Shape)
            {
                case PaginationShape.Object:
                    body["pagination"] = pagination;
                    break;
                case PaginationShape.Array:
                    body["pagination"] = new JArray(pagination);
                    break;
                case PaginationShape.FlatWithPerPage:
                    pagination["per_page"] = perPage;
                    body["pagination"] = pagination;
                    break;
                case PaginationShape.Meta:
                    pagination["per_page"] = perPage;
                    pagination["next_page"] = page < totalPages ? page + 1 : (JToken)JValue.CreateNull();
                    pagination["prev_page"] = page > 1 ? page - 1 : (JToken)JValue.CreateNull();
                    body["meta"] = new JObject { ["pagination"] = pagination };
                    break;
            }

            return body;
        }
    }
}
