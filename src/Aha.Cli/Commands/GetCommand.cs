using System.CommandLine;
using System.Linq;
using Aha.Cli.Errors;
using Aha.Cli.Resources;
using Newtonsoft.Json;

namespace Aha.Cli.Commands
{
    /// <summary>
    /// <c>aha get &lt;resource&gt; &lt;id&gt;</c>: one record as JSON on stdout; <c>aha get historical-audit-searches ID</c>:
    /// every result of a historical search (<see cref="HistoricalSearchCommands"/>), in any export format.
    /// </summary>
    internal static class GetCommand
    {
        public static Command Create(CliRuntime runtime)
        {
            var resource = new Argument<string>("resource")
            {
                Description = "The kind of record: " + string.Join(", ", ResourceCatalog.GetNames) + "; or historical-audit-searches (also historical-audit-search): the results of a search started with 'aha search historical-audits'.",
            };
            resource.AcceptOnlyFromAmong(ResourceCatalog.GetNames.Concat(HistoricalSearchCommands.ResultNames).ToArray());
            var id = new Argument<string>("id") { Description = "The record's id or reference number (for example PRJ1-1, PRJ1-R-1, PRJ1-I-1)." };
            var fields = new Option<string?>("--fields") { Description = "Attributes to return, comma-separated (resources whose read takes fields=: features, ideas, releases, products, requirements, release-phases, idea-organizations, competitors).", HelpName = "LIST" };

            var within = ExportCommand.WithinOption("The parent of a record that Aha! reads only under it: aha get idea-subscriptions ID --in idea PRJ1-I-1, aha get integrations ID --in product PRJ1 (also --in idea:PRJ1-I-1). The error names the parents a resource has.");

            var format = new Option<string?>("--format", "-f") { Description = "historical-audit-searches only: json (one array, the default), ndjson or csv. Other records are printed as JSON.", HelpName = "FORMAT" };
            format.AcceptOnlyFromAmong("csv", "json", "ndjson");
            var output = new Option<string?>("--out", "-o") { Description = "historical-audit-searches only: write to this file (created once every page was read; replaced if it exists). Default: stdout.", HelpName = "FILE" };
            var bom = new Option<bool>("--bom") { Description = "historical-audit-searches only: start the output with a UTF-8 byte-order mark (for Excel)." };

            var command = new Command("get", "Print one record as JSON (custom fields included, as Aha! sends them), or every result of a historical audit search (aha get historical-audit-searches SEARCH_ID).")
            {
                resource, id, fields, within, format, output, bom,
            };

            command.SetAction((parse, cancellationToken) => runtime.RunAsync("get", cancellationToken, async ct =>
            {
                var name = parse.GetValue(resource)!;
                var key = parse.GetValue(id)!.Trim();
                if (key.Length == 0)
                {
                    throw CliException.Usage("the record id is empty.");
                }

                if (HistoricalSearchCommands.ResultNames.Contains(name, System.StringComparer.OrdinalIgnoreCase))
                {
                    if (!string.IsNullOrWhiteSpace(parse.GetValue(fields)) || parse.GetValue(within) is { Length: > 0 })
                    {
                        throw CliException.Usage("the results of a historical search take no --fields and no --in: give the search id alone (aha get historical-audit-searches SEARCH_ID).");
                    }

                    var outPath = string.IsNullOrWhiteSpace(parse.GetValue(output)) ? null : parse.GetValue(output)!.Trim();
                    return await HistoricalSearchCommands.ReadResultsAsync(runtime, parse, key, parse.GetValue(format), outPath, parse.GetValue(bom), ct).ConfigureAwait(false);
                }

                if (parse.GetValue(format) != null || !string.IsNullOrWhiteSpace(parse.GetValue(output)) || parse.GetValue(bom))
                {
                    throw CliException.Usage($"--format, --out and --bom are for the results of a historical search; a record of {name} is printed as JSON on stdout (redirect it to keep it).");
                }

                var definition = ResourceCatalog.Find(name);

                var selection = string.IsNullOrWhiteSpace(parse.GetValue(fields)) ? null : parse.GetValue(fields)!.Trim();
                if (selection != null && !definition.GetTakesFields)
                {
                    throw CliException.Usage($"reading one of the {definition.Name} takes no --fields (Aha! always answers the whole record).");
                }

                // Checked before the connection is opened: a usage error costs no request.
                var (parent, parentIds) = ExportCommand.ParseParent(definition.Name, definition.GetsIn.Keys, parse.GetValue(within), "read");
                if (parent == null && definition.Get == null)
                {
                    throw CliException.Usage($"{definition.Name} are read under their parent: give " + string.Join(", or ", definition.GetsIn.Keys.OrderBy(k => k, System.StringComparer.Ordinal).Select(GeneratedResources.Describe)) + ".");
                }

                await using var session = await runtime.OpenAsync(parse, ct).ConfigureAwait(false);
                var record = parent != null
                    ? await definition.GetsIn[parent](session.Client, parentIds, key, selection, ct).ConfigureAwait(false)
                    : await definition.Get!(session.Client, key, selection, ct).ConfigureAwait(false);
                await runtime.Context.Out.WriteLineAsync(record.Json.ToString(Formatting.Indented)).ConfigureAwait(false);
                return ExitCodes.Success;
            }));

            return command;
        }
    }
}
