using System.CommandLine;
using System.Linq;
using Aha.Cli.Errors;
using Aha.Cli.Resources;
using Newtonsoft.Json;

namespace Aha.Cli.Commands
{
    /// <summary><c>aha get &lt;resource&gt; &lt;id&gt;</c>: one record as JSON on stdout.</summary>
    internal static class GetCommand
    {
        public static Command Create(CliRuntime runtime)
        {
            var resource = new Argument<string>("resource") { Description = "The kind of record: " + string.Join(", ", ResourceCatalog.GetNames) + "." };
            resource.AcceptOnlyFromAmong(ResourceCatalog.GetNames.ToArray());
            var id = new Argument<string>("id") { Description = "The record's id or reference number (for example PRJ1-1, PRJ1-R-1, PRJ1-I-1)." };
            var fields = new Option<string?>("--fields") { Description = "Attributes to return, comma-separated (resources whose read takes fields=: features, ideas, releases, products, requirements, release-phases, idea-organizations, competitors).", HelpName = "LIST" };

            var within = ExportCommand.WithinOption("The parent of a record that Aha! reads only under it: aha get idea-subscriptions ID --in idea PRJ1-I-1, aha get integrations ID --in product PRJ1 (also --in idea:PRJ1-I-1). The error names the parents a resource has.");

            var command = new Command("get", "Print one record as JSON (custom fields included, as Aha! sends them).")
            {
                resource, id, fields, within,
            };

            command.SetAction((parse, cancellationToken) => runtime.RunAsync("get", cancellationToken, async ct =>
            {
                var definition = ResourceCatalog.Find(parse.GetValue(resource)!);
                var key = parse.GetValue(id)!.Trim();
                if (key.Length == 0)
                {
                    throw CliException.Usage("the record id is empty.");
                }

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
