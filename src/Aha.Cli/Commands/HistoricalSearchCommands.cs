using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Errors;
using Aha.Cli.Output;
using Aha.Cli.Resources;
using Aha.Client;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Cli.Commands
{
    /// <summary>
    /// Aha!'s searches of older change history, in two steps because Aha! runs them in the background:
    /// <c>aha search historical-audits</c> starts one (it spends search tokens, so only on request) and
    /// <c>aha get historical-audit-searches ID</c> reads its results, following <c>next_token</c> to the last page.
    /// </summary>
    internal static class HistoricalSearchCommands
    {
        /// <summary>The header in which Aha! reports the search tokens left.</summary>
        internal const string TokensHeader = "X-Historical-Tokens-Available";

        /// <summary>The resource name of a search's results for <c>aha get</c>, plural first (as the other resources), then the singular.</summary>
        internal static readonly string[] ResultNames = { "historical-audit-searches", "historical-audit-search" };

        /// <summary>What <c>aha search</c> can start: the historical audits, plural first.</summary>
        internal static readonly string[] SearchNames = { "historical-audits", "historical-audit" };

        /// <summary>The command that reads a search's results, as printed for the user.</summary>
        internal static string ReadCommand(string searchId) => "aha get " + ResultNames[0] + " " + searchId;

        /// <summary><c>aha search historical-audits --created-since T --created-before T [filters]</c>.</summary>
        public static Command CreateSearchCommand(CliRuntime runtime)
        {
            var what = new Argument<string>("resource") { Description = "What to search: historical-audits (the change history older than 12 months)." };
            what.AcceptOnlyFromAmong(SearchNames);
            var createdSince = new Option<string?>("--created-since") { Description = "Start of the time window (required): an ISO 8601 date or date-time, UTC unless it says otherwise, or an age such as 400d.", HelpName = "TIME" };
            var createdBefore = new Option<string?>("--created-before") { Description = "End of the time window (required), same forms: only changes made before then.", HelpName = "TIME" };
            var auditableType = new Option<string?>("--auditable-type") { Description = "Only changes of records of this type, for example Feature (narrower searches cost fewer tokens).", HelpName = "TYPE" };
            var auditableId = new Option<string?>("--auditable-id") { Description = "Only changes of the record with this numeric id.", HelpName = "ID" };
            var associatedType = new Option<string?>("--associated-type") { Description = "Only changes of what belongs to a record of this type (its description, its custom field values); give --associated-id too.", HelpName = "TYPE" };
            var associatedId = new Option<string?>("--associated-id") { Description = "The numeric id of that record; give --associated-type too.", HelpName = "ID" };
            var auditAction = new Option<string?>("--audit-action") { Description = "Only changes of this kind: create, update or destroy.", HelpName = "ACTION" };
            auditAction.AcceptOnlyFromAmong("create", "update", "destroy");
            var userId = new Option<string?>("--user-id") { Description = "Only changes made by the user with this numeric id.", HelpName = "ID" };
            var afterId = new Option<string?>("--after-id") { Description = "Only audits whose id is greater than this one (to resume after the last audit read).", HelpName = "ID" };
            var format = new Option<string>("--format", "-f") { Description = "text or json.", HelpName = "FORMAT", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json");

            var command = new Command("search", "Start a search of Aha!'s change history older than 12 months. It spends search tokens (Aha! reserves the search's maximum cost at once and gives back the unused part once the results are read), so it runs only when asked, once: the request is never repeated. Prints the search id, the tokens left and the command that reads the results: aha get historical-audit-searches ID.")
            {
                what, createdSince, createdBefore, auditableType, auditableId, associatedType, associatedId, auditAction, userId, afterId, format,
            };

            command.SetAction((parse, cancellationToken) => runtime.RunAsync("search", cancellationToken, async ct =>
            {
                // Everything is checked before the connection is opened: a usage error costs no request and no token.
                var since = ExportCommand.ParseTime(parse.GetValue(createdSince), "--created-since");
                var before = ExportCommand.ParseTime(parse.GetValue(createdBefore), "--created-before");
                var missing = new[] { ("--created-since", since), ("--created-before", before) }.Where(p => p.Item2 == null).Select(p => p.Item1).ToList();
                if (missing.Count > 0)
                {
                    throw CliException.Usage("a historical search needs its time window: give --created-since TIME and --created-before TIME "
                        + $"(missing: {string.Join(", ", missing)}; for example --created-since 2023-01-01 --created-before 2023-07-01).");
                }

                if (since >= before)
                {
                    throw CliException.Usage(string.Format(
                        CultureInfo.InvariantCulture,
                        "--created-since ({0:yyyy-MM-ddTHH:mm:ssZ}) must be earlier than --created-before ({1:yyyy-MM-ddTHH:mm:ssZ}).",
                        since!.Value.UtcDateTime,
                        before!.Value.UtcDateTime));
                }

                var search = new HistoricalAuditSearch
                {
                    CreatedSince = since!.Value.ToUniversalTime(),
                    CreatedBefore = before!.Value.ToUniversalTime(),
                    AuditableType = TypeName(parse.GetValue(auditableType), "--auditable-type"),
                    AuditableId = NumericId(parse.GetValue(auditableId), "--auditable-id"),
                    AssociatedType = TypeName(parse.GetValue(associatedType), "--associated-type"),
                    AssociatedId = NumericId(parse.GetValue(associatedId), "--associated-id"),
                    AuditAction = Blank(parse.GetValue(auditAction)),
                    UserId = NumericId(parse.GetValue(userId), "--user-id"),
                    AfterId = NumericId(parse.GetValue(afterId), "--after-id"),
                };
                if ((search.AssociatedType == null) != (search.AssociatedId == null))
                {
                    throw CliException.Usage("--associated-type and --associated-id go together: the id names a record of that type (for example --associated-type Feature --associated-id 1007868956).");
                }

                var asJson = parse.GetValue(format) == "json";
                var quiet = parse.GetValue(runtime.Global.Quiet);
                if (!quiet && search.CreatedBefore > DateTimeOffset.UtcNow.AddYears(-1))
                {
                    runtime.Reporter.WriteLine(runtime.Context.Error, "note: Aha!'s historical search covers changes older than 12 months; the part of the window after "
                        + DateTimeOffset.UtcNow.AddYears(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " is in the audits list: aha export audits --created-since ... (the library's Audits.ListAllAsync).", "search");
                }

                await using var session = await runtime.OpenAsync(parse, ct).ConfigureAwait(false);
                AhaResponse<HistoricalAuditSearchStarted> response;
                try
                {
                    // One POST through the client's pipeline, which repeats a write only when Aha! provably did not take it
                    // (a 429, a connection never opened): a second search would reserve tokens a second time.
                    response = await session.Client.HistoricalAudits.CreateSearchWithResponseAsync(search, cancellationToken: ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (MayHaveStarted(ex))
                {
                    var (code, message) = ErrorReporter.Classify(ex);
                    throw new CliException(code, message.TrimEnd('.') + ". The search may have started all the same (and reserved its tokens); it was not sent again. "
                        + "Its id is unknown: check the tokens left (X-Historical-Tokens-Available) before starting it again.", ex);
                }

                var searchId = response.Value?.SearchId;
                if (string.IsNullOrWhiteSpace(searchId))
                {
                    throw new CliException(ExitCodes.ServerError, "Aha! accepted the search but answered no search_id; it may be running (and have reserved tokens) without a way to read it.");
                }

                var tokens = Tokens(response);
                var output = runtime.Context.Out;
                if (asJson)
                {
                    var json = new JObject
                    {
                        ["search_id"] = searchId,
                        ["tokens_available"] = tokens,
                        ["read_with"] = ReadCommand(searchId),
                        ["demo"] = session.IsDemo,
                    };
                    await output.WriteLineAsync(JsonConvert.SerializeObject(json, Formatting.Indented, AhaJson.CreateSettings())).ConfigureAwait(false);
                }
                else
                {
                    await output.WriteLineAsync("search id         " + searchId).ConfigureAwait(false);
                    await output.WriteLineAsync("tokens available  " + (tokens?.ToString(CultureInfo.InvariantCulture) ?? "(not reported)")
                        + " (after this search reserved its maximum cost; the unused part comes back once its results are read)").ConfigureAwait(false);
                    await output.WriteLineAsync("read results with " + ReadCommand(searchId)).ConfigureAwait(false);
                }

                if (session.IsDemo && !quiet)
                {
                    runtime.Reporter.WriteLine(runtime.Context.Error, "demo mode: this search lives in this command's own sandbox, which ends with it; a later 'aha get' starts another sandbox and will not find it (the demo sandbox holds the documented search 6776757454428658092 to read instead).", "search");
                }

                return ExitCodes.Success;
            }));

            return command;
        }

        /// <summary>
        /// <c>aha get historical-audit-searches ID</c>: every audit the search found, page after page (<c>next_token</c>),
        /// in one of the export formats; a search still running ends with <see cref="ExitCodes.NotReady"/> and no output.
        /// </summary>
        public static async Task<int> ReadResultsAsync(CliRuntime runtime, ParseResult parse, string searchId, string? formatName, string? outPath, bool byteOrderMark, CancellationToken ct)
        {
            // JSON unless asked otherwise, as 'get' prints; a file's extension (.csv, .ndjson, .jsonl) chooses as in 'export'.
            var format = formatName != null
                ? Enum.Parse<ExportFormat>(formatName, ignoreCase: true)
                : System.IO.Path.GetExtension(outPath ?? string.Empty).ToLowerInvariant() switch
                {
                    ".csv" => ExportFormat.Csv,
                    ".ndjson" or ".jsonl" => ExportFormat.Ndjson,
                    _ => ExportFormat.Json,
                };
            var quiet = parse.GetValue(runtime.Global.Quiet);

            // The output first: an unwritable path fails before any request. The file appears only when every page was read.
            await using var target = OutputTarget.Open(outPath, runtime.Context, byteOrderMark);
            await using var session = await runtime.OpenAsync(parse, ct).ConfigureAwait(false);
            RecordWriter? writer = null;
            try
            {
                string? token = null;
                var tokensSeen = new HashSet<string>(StringComparer.Ordinal);
                var pages = 0;
                int? tokensLeft = null;
                while (true)
                {
                    var response = await session.Client.HistoricalAudits.GetSearchResultsWithResponseAsync(
                        searchId, new HistoricalAuditsGetSearchResultsOptions { NextToken = token }, ct).ConfigureAwait(false);
                    tokensLeft = Tokens(response) ?? tokensLeft;
                    var results = response.Value ?? throw new CliException(ExitCodes.ServerError, $"Aha! answered the results of search {searchId} without a body.");
                    if (results.Running == true)
                    {
                        throw NotReady(searchId, pages, tokensLeft, Written(target, writer));
                    }

                    pages++;
                    writer ??= RecordWriter.Create(format, target.Writer, null);
                    foreach (var audit in results.Audits ?? new List<Audit>())
                    {
                        await writer.WriteAsync(RecordView.From(audit, _ => null), ct).ConfigureAwait(false);
                    }

                    var next = NextToken(results.NextToken, searchId);
                    if (next == null)
                    {
                        if (results.ResultsComplete == false)
                        {
                            // The last page says more is to come: what was read is not all, so it is not written out as if it were.
                            throw NotReady(searchId, pages, tokensLeft, Written(target, writer));
                        }

                        break;
                    }

                    if (!tokensSeen.Add(next))
                    {
                        throw new CliException(ExitCodes.ServerError, $"Aha! sent the same next_token twice for search {searchId} (after {pages} pages); stopped rather than read the same page again.");
                    }

                    token = next;
                }

                await writer!.CompleteAsync(ct).ConfigureAwait(false);
                await target.CommitAsync().ConfigureAwait(false);
                if (!quiet)
                {
                    runtime.Reporter.WriteLine(runtime.Context.Error, string.Format(
                        CultureInfo.InvariantCulture,
                        "read {0:N0} audit(s) of historical search {1} in {2:N0} page(s) to {3} as {4}; search tokens left: {5}.",
                        writer.Records,
                        searchId,
                        pages,
                        target.Name,
                        writer.Describe(),
                        tokensLeft?.ToString(CultureInfo.InvariantCulture) ?? "(not reported)"), "get");
                }

                return ExitCodes.Success;
            }
            finally
            {
                if (writer != null)
                {
                    await writer.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        /// <summary>What a read that stops early leaves behind: a file never appears; stdout may hold the first pages.</summary>
        private static string Written(OutputTarget target, RecordWriter? writer)
            => target.Name == "stdout" && writer is { Records: > 0 } w
                ? string.Format(CultureInfo.InvariantCulture, "the {0:N0} audit(s) already printed are not all of them", w.Records)
                : "nothing was written";

        /// <summary>The search is not done (or its results not all there): a distinct exit code, and when to try again.</summary>
        private static CliException NotReady(string searchId, int pagesRead, int? tokensLeft, string written)
        {
            var state = pagesRead == 0
                ? $"historical search {searchId} is still running (Aha! answered running: true); {written}."
                : $"historical search {searchId} has not delivered all of its results yet (after {pagesRead} page(s) Aha! answered that more is to come); {written}.";
            var tokens = tokensLeft is { } left ? $" Search tokens left: {left.ToString(CultureInfo.InvariantCulture)}." : string.Empty;
            return new CliException(ExitCodes.NotReady, state + " Try again later: " + ReadCommand(searchId) + tokens);
        }

        /// <summary>
        /// Whether a failed start may still have started the search: Aha! answered a server error, or the connection
        /// failed after the request may have reached it. A 4xx, a 429 or a connection never opened started nothing.
        /// </summary>
        private static bool MayHaveStarted(Exception error) => error switch
        {
            AhaWriteOutcomeUnknownException => true,
            AhaServerException => true,
            AhaTransportException transport => transport.MayHaveReachedServer,
            _ => false,
        };

        /// <summary>The tokens left as reported by the answer, or null when the header is absent or not a number.</summary>
        private static int? Tokens(AhaResponse response)
            => int.TryParse(response.Header(TokensHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokens) ? tokens : null;

        /// <summary>
        /// <c>next_token</c> as text: null or empty ends the results; a string or a number is the token; anything else
        /// (an object, a list) is not an answer the tool can follow.
        /// </summary>
        internal static string? NextToken(object? value, string searchId)
        {
            switch (value)
            {
                case null:
                    return null;
                case string text:
                    return text.Length == 0 ? null : text;
                case JValue { Type: JTokenType.Null or JTokenType.Undefined }:
                    return null;
                case JValue { Type: JTokenType.String or JTokenType.Integer or JTokenType.Float } token:
                    var tokenText = Convert.ToString(token.Value, CultureInfo.InvariantCulture);
                    return string.IsNullOrEmpty(tokenText) ? null : tokenText;
                case long or int or double or decimal:
                    return Convert.ToString(value, CultureInfo.InvariantCulture);
                default:
                    var shown = value is JToken json ? json.ToString(Formatting.None) : value.ToString();
                    throw new CliException(ExitCodes.ServerError, $"Aha! answered a next_token for search {searchId} that is neither text nor a number ({shown}); the remaining pages cannot be read.");
            }
        }

        /// <summary>A numeric id option (Aha!'s record and user ids), or null when not given.</summary>
        internal static string? NumericId(string? text, string option)
        {
            text = Blank(text);
            if (text == null)
            {
                return null;
            }

            if (!Regex.IsMatch(text, @"^\d{1,20}$", RegexOptions.CultureInvariant))
            {
                throw CliException.Usage($"{option} '{text}' is not a numeric id: Aha! takes the record's number here (for example 1007868956), not a reference such as PRJ1-1; 'aha get features PRJ1-1' shows a record's id.");
            }

            return text;
        }

        /// <summary>A record type option (<c>Feature</c>, <c>Ideas::Idea</c>), or null when not given.</summary>
        internal static string? TypeName(string? text, string option)
        {
            text = Blank(text);
            if (text == null)
            {
                return null;
            }

            if (!Regex.IsMatch(text, @"^[A-Za-z][A-Za-z0-9_]*(::[A-Za-z][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant))
            {
                throw CliException.Usage($"{option} '{text}' is not a record type: give a type name such as Feature, Epic, Release or Ideas::Idea.");
            }

            return text;
        }

        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
