using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Errors;
using Aha.Cli.Output;
using Aha.Cli.Resources;
using Aha.Client;

namespace Aha.Cli.Commands
{
    /// <summary><c>aha export &lt;resource&gt;</c>: every record of a list, streamed through the client's paging helpers.</summary>
    internal static class ExportCommand
    {
        public static Command Create(CliRuntime runtime)
        {
            var resource = new Argument<string>("resource")
            {
                Description = "What to export: " + string.Join(", ", ResourceCatalog.ExportNames) + ".",
            };
            resource.AcceptOnlyFromAmong(ResourceCatalog.ExportNames.ToArray());

            var product = new Option<string?>("--product", "-p") { Description = "Only records of this product (workspace), by key or id: features, ideas, releases, epics, competitors (required), comments.", HelpName = "KEY" };
            var release = new Option<string?>("--release", "-r") { Description = "Only records of this release, by key or id: features, epics, comments.", HelpName = "KEY" };
            var within = WithinOption("Only the records under one parent record: --in feature PRJ1-1, --in release PRJ1-R-1, --in idea PRJ1-I-1 (also --in feature:PRJ1-1). Needed for lists that Aha! keeps per parent (comments, endorsements, ...); a list under two path values takes one --in for each, in any order (--in product PRJ1 --in key team_directory). The error names the parents a resource has.");
            var updatedSince = new Option<string?>("--updated-since") { Description = "Only records updated since then: 2025-01-31, 2025-01-31T08:00:00Z, or an age such as 7d, 12h, 30m.", HelpName = "TIME" };
            var createdSince = new Option<string?>("--created-since") { Description = "Start of the time window (ISO 8601 date or date-time, UTC unless it says otherwise, or an age such as 400d): required with --created-before by historical-audits-index; a filter of audits, ideas and ideas-account-endorsements.", HelpName = "TIME" };
            var createdBefore = new Option<string?>("--created-before") { Description = "End of the time window (same forms as --created-since): only records created before then.", HelpName = "TIME" };
            var fields = new Option<string?>("--fields") { Description = "Attributes to ask Aha! for, comma-separated (sent as fields=); they become the first CSV columns, in order. 'custom_fields' adds every custom field; '*' asks for everything (slow on Aha!). Default: a useful set per resource, custom fields included.", HelpName = "LIST" };
            var format = new Option<string?>("--format", "-f") { Description = "csv, json (one array) or ndjson (one record per line). Default: from the --out extension, else csv.", HelpName = "FORMAT" };
            format.AcceptOnlyFromAmong("csv", "json", "ndjson");
            var output = new Option<string?>("--out", "-o") { Description = "Write to this file (created when the export succeeds; replaced if it exists). Default: stdout.", HelpName = "FILE" };
            var parallel = new Option<int>("--parallel") { Description = "Pages fetched at once after the first (1-20); the client's rate limiter paces them. Records keep their order. Lists read with a cursor (audits) take only 1.", HelpName = "N", DefaultValueFactory = _ => 1 };
            var perPage = new Option<int>("--per-page") { Description = "Records per request (1-200).", HelpName = "N", DefaultValueFactory = _ => AhaPageable.MaxPerPage };
            var bom = new Option<bool>("--bom") { Description = "Start the output with a UTF-8 byte-order mark (for Excel)." };

            // The audits' filters, named and checked as for 'aha search historical-audits'; a list without them refuses them.
            var auditableType = new Option<string?>("--auditable-type") { Description = "audits: only changes of records of this type, for example Feature.", HelpName = "TYPE" };
            var auditableId = new Option<string?>("--auditable-id") { Description = "audits: only changes of the record with this numeric id.", HelpName = "ID" };
            var associatedType = new Option<string?>("--associated-type") { Description = "audits: only changes of what belongs to a record of this type (its description, its custom field values); give --associated-id too.", HelpName = "TYPE" };
            var associatedId = new Option<string?>("--associated-id") { Description = "audits: the numeric id of that record; give --associated-type too.", HelpName = "ID" };
            var auditAction = new Option<string?>("--audit-action") { Description = "audits: only changes of this kind: create, update or destroy.", HelpName = "ACTION" };
            auditAction.AcceptOnlyFromAmong("create", "update", "destroy");
            var userId = new Option<string?>("--user-id") { Description = "audits: only changes made by the user with this numeric id.", HelpName = "ID" };
            var afterId = new Option<string?>("--after-id") { Description = "audits: start after this audit id (to resume after the last audit exported).", HelpName = "ID" };

            var command = new Command("export", "Export every record of a resource to CSV, JSON or NDJSON. Pages are fetched through the client (rate-limited, retried); progress (records, pages, rate-limit waits) goes to stderr, records to stdout or --out. CSV has one column per attribute and one per custom field (custom_fields.<key>), UTF-8, RFC 4180 quoting.")
            {
                resource, product, release, within, updatedSince, createdSince, createdBefore, fields, format, output, parallel, perPage, bom,
                auditableType, auditableId, associatedType, associatedId, auditAction, userId, afterId,
            };

            command.SetAction((parse, cancellationToken) => runtime.RunAsync("export", cancellationToken, async ct =>
            {
                // Everything is checked before the connection is opened: a usage error costs no request.
                var definition = ResourceCatalog.Find(parse.GetValue(resource)!);

                // The first page's parse would JIT and build the record type's JSON contract on the critical path, and
                // every later second of a rate-limited export inherits that delay: prepare it on a pool thread while
                // the tool checks its arguments, opens the output and connects (docs/benchmarks.md, fresh process).
                if (definition.ListType is { } listType)
                {
                    _ = AhaClient.WarmUpAsync(new[] { listType }, ct);
                }

                var (parentName, parentIds) = ParseParent(definition.Name, definition.Parents.Keys, parse.GetValue(within), "listed");
                var query = new ExportQuery
                {
                    Product = Blank(parse.GetValue(product)),
                    Release = Blank(parse.GetValue(release)),
                    Parent = parentName,
                    ParentIds = parentIds,
                    UpdatedSince = ParseTime(parse.GetValue(updatedSince), "--updated-since"),
                    CreatedSince = ParseTime(parse.GetValue(createdSince), "--created-since"),
                    CreatedBefore = ParseTime(parse.GetValue(createdBefore), "--created-before"),
                    Fields = Blank(parse.GetValue(fields)) ?? definition.DefaultFields,
                    Filters = TextFilters(
                        ("--auditable-type", "AuditableType", HistoricalSearchCommands.TypeName(parse.GetValue(auditableType), "--auditable-type")),
                        ("--auditable-id", "AuditableId", HistoricalSearchCommands.NumericId(parse.GetValue(auditableId), "--auditable-id")),
                        ("--associated-type", "AssociatedType", HistoricalSearchCommands.TypeName(parse.GetValue(associatedType), "--associated-type")),
                        ("--associated-id", "AssociatedId", HistoricalSearchCommands.NumericId(parse.GetValue(associatedId), "--associated-id")),
                        ("--audit-action", "AuditAction", Blank(parse.GetValue(auditAction))),
                        ("--user-id", "UserId", HistoricalSearchCommands.NumericId(parse.GetValue(userId), "--user-id")),
                        ("--after-id", "AfterId", HistoricalSearchCommands.NumericId(parse.GetValue(afterId), "--after-id"))),
                };
                CheckFilters(definition, query);
                var degree = Check(parse.GetValue(parallel), 1, AhaPageable.MaxParallelism, "--parallel");
                if (degree > 1 && query.Parent == null && definition.ExportIsCursor)
                {
                    throw CliException.Usage(CursorRecordStream<object>.CursorParallelMessage(definition.Name, degree));
                }

                var size = Check(parse.GetValue(perPage), 1, AhaPageable.MaxPerPage, "--per-page");
                var outPath = Blank(parse.GetValue(output));
                var exportFormat = FormatOf(parse.GetValue(format), outPath);
                var quiet = parse.GetValue(runtime.Global.Quiet);

                // The output first: an unwritable path fails before any request. The file appears only on success.
                await using var target = OutputTarget.Open(outPath, runtime.Context, parse.GetValue(bom));
                await using var session = await runtime.OpenAsync(parse, ct).ConfigureAwait(false);
                var stream = query.Parent != null
                    ? definition.Parents[query.Parent](session.Client, query.ParentIds, query)
                    : definition.Export!(session.Client, query);

                await using var writer = RecordWriter.Create(exportFormat, target.Writer, RequestedColumns(query.Fields));
                var progress = new ExportProgress(runtime.Context, quiet, parse.GetValue(runtime.Global.Verbose), definition.Name, session.Events);
                await progress.RunAsync(async onPage =>
                {
                    await foreach (var page in stream.ReadAsync(size, degree, ct).ConfigureAwait(false))
                    {
                        foreach (var record in page.Records)
                        {
                            await writer.WriteAsync(record, ct).ConfigureAwait(false);
                        }

                        onPage(page);
                    }

                    await writer.CompleteAsync(ct).ConfigureAwait(false);
                    await target.CommitAsync().ConfigureAwait(false);
                }).ConfigureAwait(false);

                if (!quiet)
                {
                    var seconds = progress.Elapsed.TotalSeconds;
                    var events = session.Events;
                    runtime.Reporter.WriteLine(runtime.Context.Error, string.Format(
                        CultureInfo.InvariantCulture,
                        "exported {0:N0} {1} in {2:N0} {11} to {3} as {4} in {5:0.0} s ({6:N0} records/s); rate-limit waits: {7} ({8:0.0} s), 429 answers: {9}, retries: {10}.",
                        writer.Records,
                        definition.Name,
                        stream.IsCursor ? events.Requests : progress.Pages,
                        target.Name,
                        writer.Describe(),
                        seconds,
                        seconds > 0 ? writer.Records / seconds : writer.Records,
                        events.RateLimitWaits,
                        events.RateLimitWaitTime.TotalSeconds,
                        events.RateLimitedResponses,
                        events.Retries,
                        stream.IsCursor ? "request(s) (after_id cursor)" : "page(s)"), "export");
                }

                return ExitCodes.Success;
            }));

            return command;
        }

        /// <summary>The CSV columns the user asked for with fields= (nothing for '*', custom fields come at the end).</summary>
        internal static IReadOnlyList<string>? RequestedColumns(string? fields)
        {
            if (fields is null)
            {
                return null;
            }

            return fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(f => f != "*" && f != "custom_fields")
                .ToArray();
        }

        /// <summary>Parses --updated-since: an ISO date or date-time (UTC unless it says otherwise), or an age (7d, 12h, 30m, 2w).</summary>
        internal static DateTimeOffset? ParseTime(string? text, string option, DateTimeOffset? now = null)
        {
            text = Blank(text);
            if (text is null)
            {
                return null;
            }

            var age = Regex.Match(text, @"^(\d+)\s*([smhdw])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            if (age.Success)
            {
                var amount = int.Parse(age.Groups[1].Value, CultureInfo.InvariantCulture);
                var span = char.ToLowerInvariant(age.Groups[2].Value[0]) switch
                {
                    's' => TimeSpan.FromSeconds(amount),
                    'm' => TimeSpan.FromMinutes(amount),
                    'h' => TimeSpan.FromHours(amount),
                    'd' => TimeSpan.FromDays(amount),
                    _ => TimeSpan.FromDays(7.0 * amount),
                };
                return (now ?? DateTimeOffset.UtcNow) - span;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var instant))
            {
                return instant;
            }

            throw CliException.Usage($"{option} '{text}' is not a date, a date-time or an age (examples: 2025-01-31, 2025-01-31T08:00:00Z, 7d, 12h).");
        }

        internal static ExportFormat FormatOf(string? format, string? outPath)
        {
            if (format != null)
            {
                return Enum.Parse<ExportFormat>(format, ignoreCase: true);
            }

            var extension = outPath is null ? string.Empty : Path.GetExtension(outPath).ToLowerInvariant();
            return extension switch
            {
                ".json" => ExportFormat.Json,
                ".ndjson" or ".jsonl" => ExportFormat.Ndjson,
                _ => ExportFormat.Csv,
            };
        }

        /// <summary>The <c>--in PARENT ID</c> option of <c>export</c> and <c>get</c>: repeatable, one parent and its id each time.</summary>
        internal static Option<string[]> WithinOption(string description) => new Option<string[]>("--in")
        {
            Description = description,
            HelpName = "PARENT ID",
            // AhaCli.JoinParentPairs has made each --in PARENT ID one token (PARENT:ID), so an occurrence takes one token and
            // the resource may come before or after it; repeated --in arrive as one list that ParseParent reads.
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };

        /// <summary>
        /// Reads the <c>--in PARENT ID</c> pairs (or <c>--in PARENT:ID</c>): each parent by its singular or plural name,
        /// checked against the parents the resource has, with the nearest name suggested for a typo. A list under
        /// several path values takes one pair per value, in any order; the ids come back in path order.
        /// </summary>
        /// <param name="resource">The resource, for messages.</param>
        /// <param name="parentKeys">The resource's parent chains (<c>idea</c>, <c>product key</c>).</param>
        /// <param name="values">The tokens given after <c>--in</c>, all occurrences together.</param>
        /// <param name="verb">What happens under a parent, for messages (<c>listed</c>, <c>read</c>).</param>
        internal static (string? Parent, IReadOnlyList<string> Ids) ParseParent(string resource, IEnumerable<string> parentKeys, string[]? values, string verb)
        {
            if (values == null || values.Length == 0)
            {
                return (null, Array.Empty<string>());
            }

            var pairs = new List<(string Name, string Id)>();
            for (var i = 0; i < values.Length; i++)
            {
                var parts = values[i].Split(new[] { ':', '=' }, 2);
                if (parts.Length != 2)
                {
                    parts = i + 1 < values.Length ? new[] { values[i], values[++i] } : new[] { values[i] };
                }

                if (parts.Length != 2 || string.IsNullOrWhiteSpace(parts[0]) || string.IsNullOrWhiteSpace(parts[1]))
                {
                    throw CliException.Usage("--in takes a parent and its id, for example --in feature PRJ1-1 (repeat --in for each parent a list needs).");
                }

                pairs.Add((parts[0].Trim().ToLowerInvariant().Replace('_', '-'), parts[1].Trim()));
            }

            var chains = parentKeys.OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (chains.Count == 0)
            {
                throw CliException.Usage($"{resource} are not {verb} under a parent; give no --in.");
            }

            var names = chains.SelectMany(c => c.Split(' ')).Distinct(StringComparer.Ordinal).ToList();
            string Resolve(string typed) =>
                names.FirstOrDefault(p => p == typed) ?? names.FirstOrDefault(p => p == GeneratedResources.Singular(typed))
                ?? (typed == "workspace" && names.Contains("product") ? "product" : null)
                ?? throw CliException.Usage($"{resource} cannot be {verb} in a {typed}" + Suggestions.DidYouMean(typed, names, orList: true));
            var given = pairs.Select(p => (Name: Resolve(p.Name), p.Id)).ToList();
            if (given.Select(g => g.Name).Distinct(StringComparer.Ordinal).Count() != given.Count)
            {
                throw CliException.Usage("each parent is given once with --in.");
            }

            // The chain with exactly these parents; the ids are put in its (the path's) order.
            var chain = chains.FirstOrDefault(c => c.Split(' ').OrderBy(n => n, StringComparer.Ordinal).SequenceEqual(given.Select(g => g.Name).OrderBy(n => n, StringComparer.Ordinal)));
            if (chain == null)
            {
                throw CliException.Usage($"{resource} are {verb} under " + string.Join(", or ", chains.Select(GeneratedResources.Describe)) + "; got " + string.Join(" ", given.Select(g => "--in " + g.Name + " " + g.Id)) + ".");
            }

            return (chain, chain.Split(' ').Select(n => given.First(g => g.Name == n).Id).ToList());
        }

        /// <summary>The text filters given, in option order; <c>--associated-type</c> and <c>--associated-id</c> only together.</summary>
        private static IReadOnlyList<ExportFilter> TextFilters(params (string Option, string Property, string? Value)[] given)
        {
            var filters = given.Where(f => f.Value != null).Select(f => new ExportFilter(f.Option, f.Property, f.Value!)).ToList();
            if (filters.Any(f => f.Property == "AssociatedType") != filters.Any(f => f.Property == "AssociatedId"))
            {
                throw CliException.Usage("--associated-type and --associated-id go together: the id names a record of that type (for example --associated-type Feature --associated-id 1007868956).");
            }

            return filters;
        }

        private static void CheckFilters(ResourceDefinition definition, ExportQuery query)
        {
            if (query.CreatedSince is { } since && query.CreatedBefore is { } before && since >= before)
            {
                throw CliException.Usage(string.Format(
                    CultureInfo.InvariantCulture,
                    "--created-since ({0:yyyy-MM-ddTHH:mm:ssZ}) must be earlier than --created-before ({1:yyyy-MM-ddTHH:mm:ssZ}).",
                    since.UtcDateTime,
                    before.UtcDateTime));
            }

            if (query.Parent != null)
            {
                if (query.Product != null || query.Release != null)
                {
                    throw CliException.Usage("give --in, or --product/--release, not both (--in product KEY is the same as --product KEY).");
                }

                return; // --fields and --updated-since are checked against the list's options when it is called
            }

            if (definition.Export == null)
            {
                throw CliException.Usage($"{definition.Name} are listed per parent: give --in PARENT ID, where PARENT is one of {string.Join(", ", definition.Parents.Keys.Where(k => !k.Contains(' ')).OrderBy(k => k, StringComparer.Ordinal))}"
                    + string.Join(string.Empty, definition.Parents.Keys.Where(k => k.Contains(' ')).OrderBy(k => k, StringComparer.Ordinal).Select(k => "; or " + GeneratedResources.Describe(k))) + ".");
            }

            var missing = definition.ExportRequires.Where(o => (o == "--created-since" ? query.CreatedSince : o == "--created-before" ? query.CreatedBefore : null) == null).ToList();
            if (missing.Count > 0)
            {
                throw CliException.Usage($"{definition.Name} are listed only within a time window: give {string.Join(" and ", definition.ExportRequires.Select(o => o + " TIME"))} "
                    + $"(missing: {string.Join(", ", missing)}; for example --created-since 2024-01-01 --created-before 2024-07-01).");
            }

            var supported = definition.Filters;
            if (definition.Generated)
            {
                Require(query.Product == null && query.Release == null, definition, query.Product != null ? "--product" : "--release");
                GeneratedResources.CheckFilters(definition.ExportOptionsType, query, definition.Name);
                return;
            }

            if (query.Filters.Count > 0)
            {
                Require(false, definition, query.Filters[0].Option);
            }

            if (query.Product != null && query.Release != null)
            {
                throw CliException.Usage("give --product or --release, not both (a release key already names its product).");
            }

            Require(query.Product == null || supported.HasFlag(ExportFilters.Product), definition, "--product");
            Require(query.Release == null || supported.HasFlag(ExportFilters.Release), definition, "--release");
            Require(query.UpdatedSince == null || supported.HasFlag(ExportFilters.UpdatedSince), definition, "--updated-since");
            Require(query.CreatedSince == null || supported.HasFlag(ExportFilters.Created), definition, "--created-since");
            Require(query.CreatedBefore == null || supported.HasFlag(ExportFilters.Created), definition, "--created-before");
            if (supported.HasFlag(ExportFilters.RequiresProduct) && query.Product == null)
            {
                throw CliException.Usage($"{definition.Name} are listed per product: give --product KEY.");
            }

            if (supported.HasFlag(ExportFilters.RequiresProductOrRelease) && query.Product == null && query.Release == null)
            {
                throw CliException.Usage($"{definition.Name} are listed per product or release: give --product KEY or --release KEY.");
            }
        }

        private static void Require(bool ok, ResourceDefinition definition, string option)
        {
            if (!ok)
            {
                var names = new List<string>();
                if (definition.Filters.HasFlag(ExportFilters.Product))
                {
                    names.Add("--product");
                }

                if (definition.Filters.HasFlag(ExportFilters.Release))
                {
                    names.Add("--release");
                }

                if (definition.Filters.HasFlag(ExportFilters.UpdatedSince))
                {
                    names.Add("--updated-since");
                }

                if (definition.Filters.HasFlag(ExportFilters.Created))
                {
                    names.Add("--created-since, --created-before");
                }

                var what = names.Count == 0 ? "no filter" : string.Join(", ", names);
                throw CliException.Usage($"{definition.Name} cannot be filtered by {option} (Aha! offers {what} for them).");
            }
        }

        private static int Check(int value, int min, int max, string option)
        {
            if (value < min || value > max)
            {
                throw CliException.Usage($"{option} must be between {min} and {max} (was {value}).");
            }

            return value;
        }

        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
