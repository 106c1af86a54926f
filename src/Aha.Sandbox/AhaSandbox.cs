using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Aha.Sandbox.Chaos;
using Aha.Sandbox.Data;
using Aha.Sandbox.Http;
using Aha.Sandbox.RateLimiting;
using Aha.Sandbox.Spec;
using Aha.Sandbox.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aha.Sandbox
{
    /// <summary>
    /// A local, stateful fake of the Aha! REST API v1, served by Kestrel on <c>127.0.0.1</c> at a free port.
    /// <code>
    /// await using var sandbox = await AhaSandbox.StartAsync(new AhaSandboxOptions());
    /// using var http = sandbox.CreateHttpClient();
    /// var json = await http.GetStringAsync("features?per_page=200");
    /// </code>
    /// </summary>
    public sealed class AhaSandbox : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly SandboxStore _store;
        private readonly SandboxApi _api;
        private readonly SlidingLogRateLimiter _limiter;
        private readonly ChaosPolicy _chaos;
        private readonly WebhookDispatcher _webhooks;
        private volatile PaginationShape _paginationShape;
        private int _disposed;

        private AhaSandbox(WebApplication app, SandboxStore store, SandboxApi api, SlidingLogRateLimiter limiter, ChaosPolicy chaos, WebhookDispatcher webhooks, SandboxStatistics statistics, AhaSandboxOptions options, Uri baseAddress, int examples)
        {
            _webhooks = webhooks;
            _app = app;
            _store = store;
            _api = api;
            _limiter = limiter;
            _chaos = chaos;
            Statistics = statistics;
            Options = options;
            BaseAddress = baseAddress;
            SpecExamplesSeeded = examples;
            _paginationShape = options.PaginationShape;
        }

        /// <summary>Base address of the API, ending in <c>/api/v1/</c>: relative URIs such as <c>features/APP-1</c> resolve against it.</summary>
        public Uri BaseAddress { get; }

        /// <summary>The bearer token the sandbox accepts (send <c>Authorization: Bearer {Token}</c>).</summary>
        public string Token => Options.Token;

        /// <summary>Counters of what the sandbox saw: requests per endpoint, 429s, peaks per window, duplicate creations, faults.</summary>
        public SandboxStatistics Statistics { get; }

        /// <summary>A copy of the options the sandbox was started with.</summary>
        public AhaSandboxOptions Options { get; }

        /// <summary>Number of records added from the OpenAPI description's examples.</summary>
        public int SpecExamplesSeeded { get; }

        /// <summary>Shape of the pagination in list answers; can be switched while the sandbox runs.</summary>
        public PaginationShape PaginationShape
        {
            get => _paginationShape;
            set => _paginationShape = value;
        }

        /// <summary>The store behind the API (tests of this repository walk the spec with it).</summary>
        internal SandboxStore Store => _store;

        /// <summary>The operations served by the spec-driven layer (tests of this repository walk them).</summary>
        internal IReadOnlyList<GenericRoute> GenericRoutes => _api.GenericRoutes;

        /// <summary>Operations of the spec that no route could express, with the reason (empty when every one is served).</summary>
        public IReadOnlyList<string> UnservedOperations => _api.Unserved.Select(u => u.Operation + ": " + u.Reason).ToArray();

        /// <summary>Every route served, as <c>"GET /api/v1/features/{id}"</c>.</summary>
        public IReadOnlyList<string> Routes => _api.Routes.Select(r => r.Method + " " + SandboxApi.Prefix + r.Template).ToArray();

        /// <summary>Starts a sandbox and returns once it accepts connections.</summary>
        /// <param name="options">Settings; null uses the defaults (Aha!'s limits, demo data, no chaos).</param>
        /// <param name="cancellationToken">Cancels the start.</param>
        /// <returns>The running sandbox; dispose it to stop it.</returns>
        public static async Task<AhaSandbox> StartAsync(AhaSandboxOptions? options = null, CancellationToken cancellationToken = default)
        {
            var settings = (options ?? new AhaSandboxOptions()).Clone();
            settings.Validate();

            var time = settings.TimeProvider;
            var statistics = new SandboxStatistics(time, settings.RateLimit.ScaledShortWindow, settings.RateLimit.ScaledLongWindow);
            var limiter = new SlidingLogRateLimiter(time, settings.RateLimit.ShortWindowLimit, settings.RateLimit.ScaledShortWindow, settings.RateLimit.LongWindowLimit, settings.RateLimit.ScaledLongWindow);
            var chaos = new ChaosPolicy(settings.Chaos);
            var store = new SandboxStore(time, settings.AllowUnknownCustomFields);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = Array.Empty<string>(),
                ApplicationName = typeof(AhaSandbox).Assembly.GetName().Name,
                EnvironmentName = "Production",
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.Logging.ClearProviders();
            // Disposing must not hang on a request parked on a fake clock (a slow-response fault): abort it after a moment.
            builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port));

            AhaSandbox? sandbox = null;
            var api = new SandboxApi(store, statistics, () => sandbox?.PaginationShape ?? settings.PaginationShape, settings.HistoricalAudits);
            var pipeline = new SandboxPipeline(settings, statistics, limiter, chaos);
            var app = builder.Build();
            app.UseRouting();
            app.Use((context, next) => pipeline.InvokeAsync(context, next));
            api.Map(app);

            // Every operation of the spec that the routes above do not serve is served from the spec itself.
            var document = SpecDocument.Load(settings.SpecPath);
            if (document != null)
            {
                api.MapGeneric(app, SpecRoutes.Analyze(document));
            }

            var examples = 0;
            lock (store.Gate)
            {
                if (settings.SeedDemoData)
                {
                    DemoData.Populate(store, settings, settings.DemoDataAsOf ?? time.GetUtcNow());
                }

                if (settings.SeedSpecExamples && document != null)
                {
                    examples = ExampleSeeder.Seed(store, document);
                    api.SeedDocumentedSearches(document);
                }

                store.CurrentUser ??= store.Insert(Kinds.User, store.NextId(), null, new JsonObject
                {
                    ["name"] = "Sandra Box",
                    ["email"] = "sandra.box@example.com",
                    ["created_at"] = SandboxStore.Iso(time.GetUtcNow()),
                    ["updated_at"] = SandboxStore.Iso(time.GetUtcNow()),
                });
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var baseAddress = new Uri(address.TrimEnd('/') + SandboxApi.Prefix + "/");
            var webhooks = new WebhookDispatcher(settings.Webhooks, statistics, time);
            lock (store.Gate)
            {
                store.BaseUrl = baseAddress.ToString();
                store.Audits.Appended = webhooks.Enqueue;
                store.Auditing = true; // from here on every write is audited (seeding is not)
            }

            sandbox = new AhaSandbox(app, store, api, limiter, chaos, webhooks, statistics, settings, baseAddress, examples);
            return sandbox;
        }

        /// <summary>
        /// A plain <see cref="HttpClient"/> whose base address is <see cref="BaseAddress"/> and which sends the token.
        /// The caller disposes it.
        /// </summary>
        /// <returns>The client.</returns>
        public HttpClient CreateHttpClient()
        {
            var client = new HttpClient { BaseAddress = BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Aha.Sandbox/1.0 (+https://github.com/)");
            return client;
        }

        /// <summary>
        /// A snapshot of every record of a collection, in list order, rendered as the API renders list items.
        /// </summary>
        /// <param name="collection">The plural name used in URLs and list wrappers: <c>features</c>, <c>ideas</c>, <c>releases</c>, ...</param>
        /// <param name="fields">The <c>fields</c> selection to apply: <c>"*"</c> (the default) for every attribute, null for the list defaults, or a comma-separated list.</param>
        /// <returns>Deep copies of the records.</returns>
        public IReadOnlyList<JsonObject> Records(string collection, string? fields = "*")
        {
            var kind = KindOf(collection) ?? throw new ArgumentException($"Unknown collection '{collection}'.", nameof(collection));
            var selection = FieldSelection.Parse(fields);
            lock (_store.Gate)
            {
                return _store.All(kind).Select(r => _store.Render(r, selection, single: false)).ToArray();
            }
        }

        private ResourceKind? KindOf(string collection)
        {
            lock (_store.Gate)
            {
                return _store.KindOf(collection);
            }
        }

        /// <summary>Number of records in a collection (see <see cref="Records"/> for the names).</summary>
        /// <param name="collection">For example <c>features</c>.</param>
        /// <returns>The count.</returns>
        public int Count(string collection)
        {
            var kind = KindOf(collection) ?? throw new ArgumentException($"Unknown collection '{collection}'.", nameof(collection));
            lock (_store.Gate)
            {
                return _store.Count(kind);
            }
        }

        /// <summary>
        /// Posts every audit written from now on to <paramref name="url"/> as <c>{"event":"audit","audit":{...}}</c>
        /// (replacing any URL registered before). Deliveries run in the background, in order; see
        /// <see cref="SandboxWebhookOptions"/> for retries and <see cref="FlushWebhooksAsync"/> to wait for them.
        /// </summary>
        /// <param name="url">The receiver, an absolute http or https URL.</param>
        public void RegisterWebhook(Uri url)
        {
            if (url == null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            SandboxWebhookOptions.CheckUrl(url, nameof(url));
            _webhooks.Url = url;
        }

        /// <summary>Stops posting audits written from now on (those already queued are still delivered).</summary>
        public void UnregisterWebhook() => _webhooks.Url = null;

        /// <summary>The URL audits are posted to, or null when none is registered.</summary>
        public Uri? WebhookUrl => _webhooks.Url;

        /// <summary>
        /// Waits until every audit queued for the webhook so far was delivered or given up (counted in
        /// <see cref="SandboxStatistics.WebhooksDelivered"/> and <see cref="SandboxStatistics.WebhookFailures"/>).
        /// With a fake <see cref="AhaSandboxOptions.TimeProvider"/>, retries wait until the clock is advanced.
        /// </summary>
        /// <param name="cancellationToken">Stops waiting (the deliveries go on).</param>
        /// <returns>A task that completes when the queue is empty.</returns>
        public Task FlushWebhooksAsync(CancellationToken cancellationToken = default) => _webhooks.FlushAsync(cancellationToken);

        /// <summary>
        /// A copy of every audit written so far (oldest first), as <c>GET /audits</c> renders them: one per create,
        /// update and destroy the sandbox served, plus one per changed description or custom field.
        /// </summary>
        /// <returns>The audits.</returns>
        public IReadOnlyList<JsonObject> Audits()
        {
            lock (_store.Gate)
            {
                return _store.Audits.Entries.Select(a => (JsonObject)a.DeepClone()).ToArray();
            }
        }

        /// <summary>Forgets every client's rate-limit history, so the next request starts with full budgets.</summary>
        public void ResetRateLimits() => _limiter.Reset();

        /// <summary>Forgets how often each request was seen, so the chaos draws start over as for a new sandbox.</summary>
        public void ResetChaos() => _chaos.Reset();

        /// <summary>Stops the server.</summary>
        /// <returns>A task that completes when the server has stopped.</returns>
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await _webhooks.DisposeAsync().ConfigureAwait(false);
                await _app.StopAsync().ConfigureAwait(false);
                await _app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
