using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>
    /// Every change made in an Aha! account, in order, from its audits (<c>GET /audits</c> scanned with the
    /// <c>after_id</c> cursor): creates, updates and deletions of records and of their secondary objects (custom field
    /// values, descriptions, links). Resumable from a checkpoint string that you store.
    /// </summary>
    /// <remarks>
    /// <para>Delivery is at least once: store <see cref="AhaChangeBatch.Checkpoint"/> only after you applied its batch
    /// (ideally in the same transaction); a crash before that replays the batch on the next read. Within one read, a
    /// change is never delivered twice (de-duplicated by audit id), and a read resumed from a checkpoint starts after
    /// the last audit that checkpoint covers.</para>
    /// <para>Every request goes through the client's pipeline: rate limiting, retries and typed errors as for any call.</para>
    /// <para>Aha! keeps audits for 12 months. A checkpoint older than that cannot be resumed without a gap: the read
    /// throws <see cref="AhaChangeHistoryExpiredException"/>, and you start again from a full export (or read the
    /// older history through Aha!'s historical audits search).</para>
    /// </remarks>
    public class AhaChangeFeed
    {
        /// <summary>The most audits Aha! returns per request; the feed asks for that many.</summary>
        public const int MaxPerPage = 200;

        /// <summary>
        /// How far before the current time a checkpoint made by <see cref="CheckpointAt"/> for "now" is moved back, to
        /// allow for a clock difference between this machine and Aha!: replaying a few changes is harmless, missing one is not.
        /// </summary>
        public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

        private readonly HttpClient? _http;
        private readonly TimeProvider _time;

        /// <summary>Creates the feed of a client's account.</summary>
        /// <param name="client">The client whose pipeline sends the requests.</param>
        /// <param name="timeProvider">The clock that dates checkpoints; the system clock by default.</param>
        public AhaChangeFeed(AhaClient client, TimeProvider? timeProvider = null)
        {
            _http = (client ?? throw new ArgumentNullException(nameof(client))).HttpClient;
            _time = timeProvider ?? TimeProvider.System;
        }

        /// <summary>For mocking in tests.</summary>
        protected AhaChangeFeed()
        {
            _time = TimeProvider.System;
        }

        /// <summary>
        /// A checkpoint that starts the feed at a moment: the first read returns the changes Aha! recorded since then.
        /// Take it <em>before</em> a full export, then read changes from it afterwards: changes made during the export
        /// are delivered (again), none is lost.
        /// </summary>
        /// <param name="since">The moment; <see cref="ClockSkewAllowance"/> is not subtracted (see <see cref="CheckpointNow"/>).</param>
        /// <returns>The checkpoint string to store.</returns>
        public virtual string CheckpointAt(DateTimeOffset since) => new AhaChangeCheckpoint(null, since.ToUniversalTime()).ToString();

        /// <summary>A checkpoint at the current time less <see cref="ClockSkewAllowance"/> (see <see cref="CheckpointAt"/>).</summary>
        /// <returns>The checkpoint string to store.</returns>
        public virtual string CheckpointNow() => CheckpointAt(_time.GetUtcNow() - ClockSkewAllowance);

        /// <summary>
        /// Reads the changes after a checkpoint, one batch per request, until Aha! has no more. Each batch carries the
        /// checkpoint to store once it is applied (also for an empty batch, so an idle account's checkpoint stays fresh).
        /// </summary>
        /// <param name="checkpoint">A checkpoint from <see cref="CheckpointAt"/>, <see cref="CheckpointNow"/> or a previous batch.</param>
        /// <param name="options">Filters; none by default.</param>
        /// <param name="cancellationToken">Stops the read.</param>
        /// <returns>The batches, oldest change first.</returns>
        /// <exception cref="ArgumentException">The checkpoint is not one the feed made.</exception>
        /// <exception cref="AhaChangeHistoryExpiredException">The checkpoint is older than the audits Aha! keeps.</exception>
        public virtual IAsyncEnumerable<AhaChangeBatch> ReadAsync(string checkpoint, AhaChangeFeedOptions? options = null, CancellationToken cancellationToken = default)
            => ReadBatchesAsync(checkpoint, options, cancellationToken);

        private async IAsyncEnumerable<AhaChangeBatch> ReadBatchesAsync(string checkpoint, AhaChangeFeedOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var position = AhaChangeCheckpoint.Parse(checkpoint);
            var http = _http ?? throw new InvalidOperationException("This feed was created for mocking and cannot read.");
            var now = _time.GetUtcNow();
            var oldest = now.AddMonths(-12);
            if (position.ReadAt < oldest)
            {
                throw new AhaChangeHistoryExpiredException(position.ReadAt, oldest);
            }

            options ??= new AhaChangeFeedOptions();
            var cursor = position.AfterId;
            var since = position.ReadAt;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var readAt = _time.GetUtcNow();
                var path = BuildPath(cursor, since, options, page: null);
                var body = await GetAsync(http, path, cancellationToken).ConfigureAwait(false);
                var totalPages = TotalPages(body);
                if (totalPages > 1 && IsNewestFirst(body["audits"] as JArray))
                {
                    // Newest first and more than one page: the oldest audits after the cursor are on the last page. Reading
                    // them first keeps the checkpoint from ever passing an audit not yet delivered.
                    path = BuildPath(cursor, since, options, page: totalPages);
                    body = await GetAsync(http, path, cancellationToken).ConfigureAwait(false);
                }

                var audits = body["audits"] as JArray ?? new JArray();
                var changes = new List<AhaChange>(audits.Count);
                string? highest = cursor;
                foreach (var item in audits)
                {
                    if (item is not JObject audit)
                    {
                        continue;
                    }

                    var change = AhaChange.FromAudit(audit);
                    if (!AhaChangeCheckpoint.IsId(change.AuditId))
                    {
                        throw new AhaException($"Aha! sent an audit id that is not a number ('{change.AuditId}'); the feed cannot keep its place.", "GET", path, null);
                    }

                    if (highest is null || AhaChangeCheckpoint.CompareIds(change.AuditId, highest) > 0)
                    {
                        highest = change.AuditId;
                    }

                    // Already delivered in this read, or at or before the checkpoint: at most once per read.
                    if ((cursor != null && AhaChangeCheckpoint.CompareIds(change.AuditId, cursor) <= 0) || !seen.Add(change.AuditId))
                    {
                        continue;
                    }

                    changes.Add(change);
                }

                changes.Sort((a, b) => AhaChangeCheckpoint.CompareIds(a.AuditId, b.AuditId));
                var more = audits.Count > 0 && (totalPages is null || totalPages > 1);
                if (more && highest == cursor)
                {
                    throw new AhaException("Aha! answered the audits cursor with no newer audit although it reported more: the feed stops rather than loop.", "GET", path, null);
                }

                AhaChangeCheckpoint next;
                if (highest is null)
                {
                    // Nothing yet since the start time: move it forward, keeping the clock allowance, never backwards.
                    var moved = readAt - ClockSkewAllowance;
                    next = new AhaChangeCheckpoint(null, moved > since ? moved : since);
                }
                else
                {
                    next = new AhaChangeCheckpoint(highest, readAt);
                }

                yield return new AhaChangeBatch(changes, next.ToString(), !more);
                if (!more)
                {
                    yield break;
                }

                cursor = highest;
            }
        }

        /// <summary>Reads every change after a checkpoint as one sequence (see <see cref="ReadAsync"/> for batches and their checkpoints).</summary>
        /// <param name="checkpoint">Where to start.</param>
        /// <param name="options">Filters; none by default.</param>
        /// <param name="cancellationToken">Stops the read.</param>
        /// <returns>The changes, oldest first.</returns>
        public virtual IAsyncEnumerable<AhaChange> ReadChangesAsync(string checkpoint, AhaChangeFeedOptions? options = null, CancellationToken cancellationToken = default)
            => FlattenAsync(checkpoint, options, cancellationToken);

        private async IAsyncEnumerable<AhaChange> FlattenAsync(string checkpoint, AhaChangeFeedOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var batch in ReadAsync(checkpoint, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var change in batch.Changes)
                {
                    yield return change;
                }
            }
        }

        private static async Task<JObject> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new AhaException(string.Format(CultureInfo.InvariantCulture, "Reading the audits failed with status {0}.", (int)response.StatusCode), "GET", path, null);
            }

            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return ParseBody(text, path);
        }

        private static int? TotalPages(JObject body)
        {
            var token = body["pagination"] is JArray array ? array.FirstOrDefault()?["total_pages"]
                : body["pagination"]?["total_pages"] ?? body["meta"]?["pagination"]?["total_pages"];
            return token is JValue { Type: JTokenType.Integer or JTokenType.Float or JTokenType.String } value
                && int.TryParse(Convert.ToString(value.Value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pages)
                ? pages
                : null;
        }

        /// <summary>Whether an answer lists its audits newest first (ids decreasing).</summary>
        private static bool IsNewestFirst(JArray? audits)
        {
            var ids = audits?.OfType<JObject>().Select(a => a["id"]?.ToString()).Where(id => id != null && AhaChangeCheckpoint.IsId(id)).ToList();
            return ids != null && ids.Count >= 2 && AhaChangeCheckpoint.CompareIds(ids[0]!, ids[ids.Count - 1]!) > 0;
        }

        private static string BuildPath(string? cursor, DateTimeOffset since, AhaChangeFeedOptions options, int? page)
        {
            var query = new List<string> { "per_page=" + MaxPerPage.ToString(CultureInfo.InvariantCulture) };
            if (page != null)
            {
                query.Add("page=" + page.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (cursor != null)
            {
                query.Add("after_id=" + cursor);
            }
            else
            {
                query.Add("created_since=" + Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
            }

            if (!string.IsNullOrWhiteSpace(options.RecordType))
            {
                query.Add("auditable_type=" + Uri.EscapeDataString(options.RecordType!.Trim()));
            }

            if (!string.IsNullOrWhiteSpace(options.UserId))
            {
                query.Add("user_id=" + Uri.EscapeDataString(options.UserId!.Trim()));
            }

            return "audits?" + string.Join("&", query);
        }

        /// <summary>Parses a JSON object as Aha! sent it: dates stay text and big numbers exact, so <see cref="AhaChange.Raw"/> is the audit as sent.</summary>
        internal static JObject ParseObject(string text)
        {
            using var reader = new Newtonsoft.Json.JsonTextReader(new System.IO.StringReader(text))
            {
                DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
                FloatParseHandling = Newtonsoft.Json.FloatParseHandling.Double,
            };
            var result = JObject.Load(reader);
            while (reader.Read())
            {
                if (reader.TokenType != Newtonsoft.Json.JsonToken.Comment)
                {
                    throw new Newtonsoft.Json.JsonReaderException("Additional text after the JSON object.");
                }
            }

            return result;
        }

        private static JObject ParseBody(string text, string path)
        {
            try
            {
                return ParseObject(text);
            }
            catch (Newtonsoft.Json.JsonException ex)
            {
                throw new AhaException("Aha! answered the audits request with something that is not a JSON object.", "GET", path, ex);
            }
        }
    }

    /// <summary>Filters of a change-feed read.</summary>
    public sealed class AhaChangeFeedOptions
    {
        /// <summary>Only changes of objects of this type (Aha!'s <c>auditable_type</c>, such as <c>Feature</c>); all by default.</summary>
        public string? RecordType { get; set; }

        /// <summary>Only changes made by this user (by id); everyone's by default.</summary>
        public string? UserId { get; set; }
    }

    /// <summary>The changes of one audits request, and the checkpoint to store once they are applied.</summary>
    public sealed class AhaChangeBatch
    {
        /// <summary>Creates a batch.</summary>
        /// <param name="changes">The changes, oldest first.</param>
        /// <param name="checkpoint">The checkpoint after them.</param>
        /// <param name="isLast">Whether Aha! had nothing more when it was read.</param>
        public AhaChangeBatch(IReadOnlyList<AhaChange> changes, string checkpoint, bool isLast)
        {
            Changes = changes ?? throw new ArgumentNullException(nameof(changes));
            Checkpoint = checkpoint ?? throw new ArgumentNullException(nameof(checkpoint));
            IsLast = isLast;
        }

        /// <summary>The changes, oldest first, none delivered earlier in the same read.</summary>
        public IReadOnlyList<AhaChange> Changes { get; }

        /// <summary>Where the next read starts once these changes are applied: store it with them.</summary>
        public string Checkpoint { get; }

        /// <summary>Whether this was the last batch of the read (Aha! had no newer audit).</summary>
        public bool IsLast { get; }
    }

    /// <summary>
    /// A change-feed checkpoint is older than the 12 months of audits Aha! keeps: resuming from it could miss changes.
    /// Start again from a full export (then <see cref="AhaChangeFeed.CheckpointAt"/> taken before it), or read the
    /// older history through Aha!'s historical audits search (a separate, token-limited budget).
    /// </summary>
    public class AhaChangeHistoryExpiredException : AhaException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="checkpointTime">Up to when the checkpoint had read.</param>
        /// <param name="oldestAvailable">The oldest moment Aha! still holds audits for.</param>
        public AhaChangeHistoryExpiredException(DateTimeOffset checkpointTime, DateTimeOffset oldestAvailable)
            : base(string.Format(CultureInfo.InvariantCulture,
                "The change-feed checkpoint dates from {0:yyyy-MM-dd}, and Aha! keeps audits only since {1:yyyy-MM-dd} (12 months): resuming would miss changes. Start again from a full export, or read the older history with Aha!'s historical audits search.",
                checkpointTime, oldestAvailable), "GET", "audits", null)
        {
            CheckpointTime = checkpointTime;
            OldestAvailable = oldestAvailable;
        }

        /// <summary>Up to when the checkpoint had read.</summary>
        public DateTimeOffset CheckpointTime { get; }

        /// <summary>The oldest moment Aha! still holds audits for, when the read was refused.</summary>
        public DateTimeOffset OldestAvailable { get; }
    }
}
