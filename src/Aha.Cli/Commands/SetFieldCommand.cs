using System;
using System.CommandLine;
using System.Linq;
using Aha.Cli.Errors;
using Aha.Cli.Resources;

namespace Aha.Cli.Commands
{
    /// <summary>
    /// <c>aha set-field &lt;resource&gt; &lt;id&gt; key=value ...</c>: updates custom fields with the record's
    /// <c>UpdateCustomFieldsAsync</c> (one PUT), then prints the values as Aha! now has them.
    /// </summary>
    internal static class SetFieldCommand
    {
        public static Command Create(CliRuntime runtime)
        {
            var resource = new Argument<string>("resource") { Description = "The kind of record: " + string.Join(", ", ResourceCatalog.SetFieldNames) + "." };
            resource.AcceptOnlyFromAmong(ResourceCatalog.SetFieldNames.ToArray());
            var id = new Argument<string>("id") { Description = "The record's id or reference number (for example PRJ1-1)." };
            var assignments = new Argument<string[]>("assignments")
            {
                Description = "key=value (typed by the field: numbers, dates as yyyy-MM-dd, comma lists for array/tags/users fields; an empty value clears the field) or key:=JSON (sent as is: score:=7, tags:='[\"a\",\"b\"]').",
                Arity = ArgumentArity.OneOrMore,
                HelpName = "key=value",
            };
            var list = new Option<string[]>("--list") { Description = "Treat the value of this key as a comma-separated list (repeatable); needed only for a field the record does not report yet.", HelpName = "KEY", AllowMultipleArgumentsPerToken = false };
            var product = new Option<string?>("--product", "-p") { Description = "The record's product, for releases and goals that do not report it and for competitors (required there).", HelpName = "KEY" };

            var command = new Command("set-field", "Set custom fields of one record (one PUT with the custom_fields object), then print the values Aha! now has, as JSON. The record is read first to learn each field's type.")
            {
                resource, id, assignments, list, product,
            };

            command.SetAction((parse, cancellationToken) => runtime.RunAsync("set-field", cancellationToken, async ct =>
            {
                var definition = ResourceCatalog.Find(parse.GetValue(resource)!);
                var key = parse.GetValue(id)!.Trim();
                var pairs = parse.GetValue(assignments) ?? Array.Empty<string>();
                var listKeys = (parse.GetValue(list) ?? Array.Empty<string>()).Select(k => k.Trim()).ToHashSet(StringComparer.Ordinal);
                var productKey = string.IsNullOrWhiteSpace(parse.GetValue(product)) ? null : parse.GetValue(product)!.Trim();

                // Syntax first (no request for a malformed argument); types come from the record below.
                foreach (var pair in pairs)
                {
                    CustomFieldValueParser.Split(pair);
                }

                await using var session = await runtime.OpenAsync(parse, ct).ConfigureAwait(false);
                RecordView? current = null;
                if (definition.Get != null)
                {
                    current = await definition.Get(session.Client, key, null, ct).ConfigureAwait(false);
                }

                var update = CustomFieldValueParser.Build(pairs, current?.CustomFields, listKeys);
                var productId = productKey ?? current?.ProductId;
                if (definition.UpdateNeedsProduct && productId is null)
                {
                    throw CliException.Usage($"{definition.Name} are updated through their product: give --product KEY.");
                }

                var recordId = current?.Id ?? key;
                var updated = await definition.SetCustomFields!(session.Client, recordId, productId, update, ct).ConfigureAwait(false);
                var fields = updated.CustomFields;
                if (!CustomFieldValueParser.HasAll(fields, update.Keys) && definition.Get != null)
                {
                    // The update's answer did not include every field: read the record back.
                    fields = (await definition.Get(session.Client, recordId, null, ct).ConfigureAwait(false)).CustomFields;
                }

                await runtime.Context.Out.WriteLineAsync(CustomFieldValueParser.ReadBack(fields, update.Keys)).ConfigureAwait(false);
                if (!parse.GetValue(runtime.Global.Quiet))
                {
                    runtime.Reporter.WriteLine(runtime.Context.Error, $"updated {update.Count} custom field(s) of {definition.Singular} {updated.Label}: {string.Join(", ", update.Keys)}.", "set-field");
                }

                return ExitCodes.Success;
            }));

            return command;
        }
    }
}
