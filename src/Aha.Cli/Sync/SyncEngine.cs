using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Resources;
using Aha.Client;
using Newtonsoft.Json.Linq;

namespace Aha.Cli.Sync
{
    /// <summary>What one <c>aha sync</c> run did.</summary>
    internal sealed class SyncSummary
    {
        public Dictionary<string, long> Exported { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

        public long ExportPages { get; set; }

        public long FeedRequests { get; set; }

        public long AuditsRead { get; set; }

        /// <summary>Audits about resources that are not synced (ignored on purpose).</summary>
        public long AuditsIgnored { get; set; }

        public long RecordsReRead { get; set; }

        public long Upserted { get; set; }

        public long Deleted { get; set; }

        public long ReadRequests { get; set; }

        public bool FirstExport => Exported.Count > 0;

        /// <summary>Every request the run made to Aha!.</summary>
        public long Requests => ExportPages + FeedRequests + ReadRequests;

        public TimeSpan Elapsed { get; set; }
    }

    /// <summary>
    /// Mirrors resources into a <see cref="SyncStore"/>: the first run exports everything (the client's paging), every
    /// run then applies the change feed from the stored checkpoint. Each feed batch is applied in one transaction that
    /// also stores the batch's checkpoint; records are re-read by id (or deleted) and upserted, so a crash anywhere and a
    /// rerun lose nothing and duplicate nothing.
    /// </summary>
    internal sealed class SyncEngine
    {
        internal const string CheckpointKey = "checkpoint";
        internal const string PendingCheckpointKey = "pending_checkpoint";

        private static readonly Dictionary<string, string> ParentPaths = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["feature"] = "features", ["idea"] = "ideas", ["release"] = "releases", ["epic"] = "epics", ["master_feature"] = "epics",
            ["requirement"] = "requirements", ["initiative"] = "initiatives", ["goal"] = "goals", ["strategic_imperative"] = "goals",
            ["release_phase"] = "release_phases", ["task"] = "tasks", ["todo"] = "tasks", ["product"] = "products", ["project"] = "products",
        };

        private readonly AhaClient _client;
        private readonly SyncStore _store;
        private readonly IReadOnlyList<SyncResource> _resources;
        private readonly AhaChangeFeed _feed;
        private readonly TimeProvider _time;
        private readonly Action<string> _progress;

        public SyncEngine(AhaClient client, SyncStore store, IReadOnlyList<SyncResource> resources, AhaChangeFeed? feed = null, TimeProvider? time = null, Action<string>? progress = null)
        {
            _client = client;
            _store = store;
            _resources = resources;
            _time = time ?? TimeProvider.System;
            _feed = feed ?? client.Changes;
            _progress = progress ?? (_ => { });
        }

        /// <summary>Called at named points of a run (<c>export-page</c>, <c>export-done</c>, <c>batch-read</c>, <c>reread</c>,
        /// <c>before-commit</c>, <c>after-commit</c>); a test throws from it to stop the run there, as a crash would.</summary>
        internal Action<string>? FaultPoint { get; set; }

        public async Task<SyncSummary> RunAsync(CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var summary = new SyncSummary();
            await _store.EnsureSchemaAsync(_resources.Select(r => r.Name), cancellationToken).ConfigureAwait(false);

            var checkpoint = await _store.GetStateAsync(CheckpointKey, cancellationToken).ConfigureAwait(false);
            var toExport = new List<SyncResource>();
            foreach (var resource in _resources)
            {
                if (await _store.GetStateAsync(ExportedKey(resource), cancellationToken).ConfigureAwait(false) != "1")
                {
                    toExport.Add(resource);
                }
            }

            if (toExport.Count > 0 || checkpoint is null)
            {
                // The feed's starting point is fixed (and stored) before the first page is read, and kept across a crash:
                // every change made during or after the export is then applied by the feed; replays are harmless.
                var pending = checkpoint ?? await _store.GetStateAsync(PendingCheckpointKey, cancellationToken).ConfigureAwait(false);
                if (pending is null)
                {
                    pending = _feed.CheckpointNow();
                    await using var tx = await _store.BeginAsync(cancellationToken).ConfigureAwait(false);
                    await _store.SetStateAsync(tx, PendingCheckpointKey, pending, cancellationToken).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var resource in toExport)
                {
                    await ExportAsync(resource, summary, cancellationToken).ConfigureAwait(false);
                }

                if (checkpoint is null)
                {
                    await using var tx = await _store.BeginAsync(cancellationToken).ConfigureAwait(false);
                    await _store.SetStateAsync(tx, CheckpointKey, pending, cancellationToken).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    checkpoint = pending;
                }
            }

            await ApplyChangesAsync(checkpoint!, summary, cancellationToken).ConfigureAwait(false);
            summary.Elapsed = clock.Elapsed;
            return summary;
        }

        private static string ExportedKey(SyncResource resource) => "exported:" + resource.Name;

        private async Task ExportAsync(SyncResource resource, SyncSummary summary, CancellationToken cancellationToken)
        {
            long count = 0;
            foreach (var stream in await StreamsAsync(resource, summary, cancellationToken).ConfigureAwait(false))
            {
                await foreach (var page in stream.ReadAsync(AhaPageable.MaxPerPage, 1, cancellationToken).ConfigureAwait(false))
                {
                    summary.ExportPages++;
                    var syncedAt = _time.GetUtcNow();
                    await using (var tx = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
                    {
                        foreach (var record in page.Records)
                        {
                            foreach (var (target, json) in Rows(resource, record.Json))
                            {
                                await _store.UpsertAsync(tx, target.Name, SyncResources.ToRow(target, json), syncedAt, cancellationToken).ConfigureAwait(false);
                                count++;
                            }
                        }

                        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    FaultPoint?.Invoke("export-page");
                    _progress(string.Format(CultureInfo.InvariantCulture, "{0}: {1:N0} record(s) exported (page {2} of {3})", resource.Name, count, page.PageNumber, page.TotalPages));
                }
            }

            await using (var tx = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
            {
                await _store.SetStateAsync(tx, ExportedKey(resource), "1", cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            FaultPoint?.Invoke("export-done");
            summary.Exported[resource.Name] = count;
        }

        /// <summary>The list reads of a resource's first export (comments are listed per product, requirements come inside their features).</summary>
        private async Task<List<IRecordStream>> StreamsAsync(SyncResource resource, SyncSummary summary, CancellationToken cancellationToken)
        {
            switch (resource.Name)
            {
                case "requirements":
                    return new List<IRecordStream> { ResourceCatalog.Find("features").Export!(_client, new ExportQuery { Fields = "id,requirements" }) };
                case "comments":
                    // One list per product: the products are read first (one or a few pages).
                    var products = ResourceCatalog.Find("products").Export!(_client, new ExportQuery { Fields = "id" });
                    var streams = new List<IRecordStream>();
                    await foreach (var page in products.ReadAsync(AhaPageable.MaxPerPage, 1, cancellationToken).ConfigureAwait(false))
                    {
                        summary.ExportPages++;
                        foreach (var id in page.Records.Select(r => r.Id).OfType<string>())
                        {
                            streams.Add(ResourceCatalog.Find("comments").Export!(_client, new ExportQuery { Product = id }));
                        }
                    }

                    return streams;
                default:
                    return new List<IRecordStream> { ResourceCatalog.Find(resource.Name).Export!(_client, new ExportQuery { Fields = resource.Fields }) };
            }
        }

        private static IEnumerable<(SyncResource Target, JObject Json)> Rows(SyncResource resource, JObject record)
        {
            if (resource.Name != "requirements")
            {
                yield return (resource, record);
                yield break;
            }

            // The requirements inside a feature: the feature is their parent even when they do not say so.
            var featureId = SyncResources.Text(record["id"]);
            foreach (var requirement in (record["requirements"] as JArray ?? new JArray()).OfType<JObject>())
            {
                if (requirement["feature"] is null && featureId != null)
                {
                    requirement["feature"] = new JObject { ["id"] = featureId };
                }

                yield return (resource, requirement);
            }
        }

        private async Task ApplyChangesAsync(string checkpoint, SyncSummary summary, CancellationToken cancellationToken)
        {
            var byType = new Dictionary<string, SyncResource>(StringComparer.Ordinal);
            foreach (var resource in _resources)
            {
                foreach (var type in resource.AuditTypes)
                {
                    byType[type] = resource;
                }
            }

            await using var batches = _feed.ReadAsync(checkpoint, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await batches.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (AhaNotFoundException ex)
                {
                    throw new SyncFeedUnavailableException(ex);
                }

                var batch = batches.Current;
                summary.FeedRequests++;
                summary.AuditsRead += batch.Changes.Count;
                FaultPoint?.Invoke("batch-read");

                // What each touched record needs, in audit order: the last word wins (a re-read sees the latest state anyway).
                var records = new Dictionary<(SyncResource Resource, string Id), bool>();   // true: deleted for good
                var commentParents = new HashSet<(string Type, string Id)>();
                var commentDeletes = new HashSet<string>(StringComparer.Ordinal);
                foreach (var change in batch.Changes)
                {
                    var isComment = change.RecordType == "comment";
                    if (isComment && byType.TryGetValue("comment", out _))
                    {
                        if (change.AssociatedType != null && change.AssociatedId != null && ParentPaths.ContainsKey(change.AssociatedType))
                        {
                            commentParents.Add((change.AssociatedType, change.AssociatedId));
                        }
                        else if (change.Action == AhaChangeAction.Destroy)
                        {
                            commentDeletes.Add(change.RecordId);
                        }
                        else
                        {
                            _progress($"comment {change.RecordId}: the audit names no parent record; it is applied by the next full export (delete the database's comments state to force one).");
                        }

                        continue;
                    }

                    if (!byType.TryGetValue(change.PrimaryType, out var target))
                    {
                        summary.AuditsIgnored++;
                        continue;
                    }

                    var destroyed = change.Action == AhaChangeAction.Destroy && !change.IsSecondary;
                    records[(target, change.PrimaryId)] = destroyed;
                }

                // Network first (outside the transaction), then one transaction with the checkpoint.
                var upserts = new List<(SyncResource Resource, SyncRow Row)>();
                var deletes = new List<(SyncResource Resource, string Id)>();
                foreach (var ((resource, id), destroyed) in records)
                {
                    if (destroyed)
                    {
                        deletes.Add((resource, id));
                        continue;
                    }

                    var json = await ReadRecordAsync(resource, id, summary, cancellationToken).ConfigureAwait(false);
                    if (json is null)
                    {
                        deletes.Add((resource, id));   // gone since: the destroy audit follows, or already passed
                    }
                    else
                    {
                        upserts.Add((resource, SyncResources.ToRow(resource, json)));
                    }

                    FaultPoint?.Invoke("reread");
                }

                var commentLists = new List<(string Type, string Id, List<JObject> Comments)>();
                if (byType.TryGetValue("comment", out var comments))
                {
                    foreach (var (type, id) in commentParents)
                    {
                        commentLists.Add((type, id, await ReadCommentsAsync(type, id, summary, cancellationToken).ConfigureAwait(false)));
                        FaultPoint?.Invoke("reread");
                    }
                }

                var syncedAt = _time.GetUtcNow();
                await using (var tx = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
                {
                    foreach (var (resource, row) in upserts)
                    {
                        await _store.UpsertAsync(tx, resource.Name, row, syncedAt, cancellationToken).ConfigureAwait(false);
                        summary.Upserted++;
                    }

                    foreach (var (resource, id) in deletes)
                    {
                        if (await _store.DeleteAsync(tx, resource.Name, id, cancellationToken).ConfigureAwait(false))
                        {
                            summary.Deleted++;
                        }
                    }

                    if (comments != null)
                    {
                        foreach (var (type, id, list) in commentLists)
                        {
                            var kept = new HashSet<string>(StringComparer.Ordinal);
                            foreach (var json in list)
                            {
                                var row = SyncResources.ToRow(comments, json);
                                kept.Add(row.Id);
                                await _store.UpsertAsync(tx, comments.Name, row, syncedAt, cancellationToken).ConfigureAwait(false);
                                summary.Upserted++;
                            }

                            foreach (var stale in await _store.IdsByParentAsync(tx, comments.Name, type, id, cancellationToken).ConfigureAwait(false))
                            {
                                if (!kept.Contains(stale) && await _store.DeleteAsync(tx, comments.Name, stale, cancellationToken).ConfigureAwait(false))
                                {
                                    summary.Deleted++;
                                }
                            }
                        }

                        foreach (var id in commentDeletes)
                        {
                            if (await _store.DeleteAsync(tx, comments.Name, id, cancellationToken).ConfigureAwait(false))
                            {
                                summary.Deleted++;
                            }
                        }
                    }

                    await _store.SetStateAsync(tx, CheckpointKey, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
                    FaultPoint?.Invoke("before-commit");
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                FaultPoint?.Invoke("after-commit");
                if (batch.Changes.Count > 0)
                {
                    _progress(string.Format(CultureInfo.InvariantCulture, "changes: {0:N0} audit(s) read, {1:N0} record(s) updated, {2:N0} deleted so far", summary.AuditsRead, summary.Upserted, summary.Deleted));
                }
            }
        }

        /// <summary>One record by id through the client's pipeline; null when Aha! answers 404 (deleted).</summary>
        private async Task<JObject?> ReadRecordAsync(SyncResource resource, string id, SyncSummary summary, CancellationToken cancellationToken)
        {
            var path = resource.Path + "/" + Uri.EscapeDataString(id) + (resource.Fields is null ? string.Empty : "?fields=" + Uri.EscapeDataString(resource.Fields));
            summary.ReadRequests++;
            summary.RecordsReRead++;
            try
            {
                var body = await GetJsonAsync(path, cancellationToken).ConfigureAwait(false);
                return body.Properties().Select(p => p.Value).OfType<JObject>().FirstOrDefault()
                    ?? throw new AhaException($"Aha! answered {path} without the record.", "GET", path, null);
            }
            catch (AhaNotFoundException)
            {
                return null;
            }
        }

        /// <summary>Every comment of one record (all pages); empty when the record is gone.</summary>
        private async Task<List<JObject>> ReadCommentsAsync(string parentType, string parentId, SyncSummary summary, CancellationToken cancellationToken)
        {
            var result = new List<JObject>();
            var basePath = ParentPaths[parentType] + "/" + Uri.EscapeDataString(parentId) + "/comments?per_page=" + AhaPageable.MaxPerPage.ToString(CultureInfo.InvariantCulture);
            for (var page = 1; ; page++)
            {
                JObject body;
                summary.ReadRequests++;
                try
                {
                    body = await GetJsonAsync(basePath + "&page=" + page.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                }
                catch (AhaNotFoundException)
                {
                    return result;
                }

                var items = (body["comments"] as JArray ?? new JArray()).OfType<JObject>().ToList();
                foreach (var item in items)
                {
                    if (item["commentable"] is null)
                    {
                        item["commentable"] = new JObject { ["type"] = parentType, ["id"] = parentId };
                    }
                }

                result.AddRange(items);
                var totalPages = (int?)(body["pagination"]?["total_pages"] ?? body["meta"]?["pagination"]?["total_pages"]);
                if (items.Count == 0 || (totalPages ?? (items.Count < AhaPageable.MaxPerPage ? page : page + 1)) <= page)
                {
                    return result;
                }
            }
        }

        private async Task<JObject> GetJsonAsync(string path, CancellationToken cancellationToken)
        {
            // The client's pipeline paces, retries and turns an error status into a typed exception (404: AhaNotFoundException).
            using var response = await _client.HttpClient.GetAsync(path, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            // Dates stay text: the raw column holds the record as Aha! sent it.
            using var reader = new Newtonsoft.Json.JsonTextReader(new System.IO.StringReader(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)))
            {
                DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
            };
            return JObject.Load(reader);
        }
    }

    /// <summary>The server answered 404 to <c>GET /audits</c>: there is no change feed to apply (the export, if any, is stored).</summary>
    internal sealed class SyncFeedUnavailableException : Exception
    {
        public SyncFeedUnavailableException(Exception inner)
            : base("the server answered 404 to GET /audits, so changes cannot be read", inner)
        {
        }
    }
}
