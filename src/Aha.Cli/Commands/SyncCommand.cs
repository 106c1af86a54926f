using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Aha.Cli.Sync;
using Npgsql;

namespace Aha.Cli.Commands
{
    /// <summary>
    /// <c>aha sync features,ideas --to sqlite:aha.db</c>: mirrors resources into a database. The first run exports
    /// everything; later runs apply only the changes of Aha!'s audit feed, each batch committed with its checkpoint.
    /// </summary>
    internal static class SyncCommand
    {
        public static Command Create(CliRuntime runtime)
        {
            var resources = new Argument<string>("resources")
            {
                Description = "What to mirror, comma-separated: " + string.Join(",", SyncResources.Names) + ".",
            };
            var to = new Option<string?>("--to")
            {
                Description = "The database: sqlite:FILE (default sqlite:aha.db, created if missing) or postgres:CONNECTION_STRING (for example \"postgres:Host=localhost;Database=aha;Username=aha\", the password from PGPASSWORD or ~/.pgpass). Tables: aha_<resource> and aha_sync_state (see docs/sync.md).",
                HelpName = "DATABASE",
            };

            var command = new Command("sync", "Mirror Aha! records into SQLite or PostgreSQL. The first run exports everything (paged, rate-limited); each later run applies only what changed since, from Aha!'s audits (creates, updates, deletions, custom-field and description changes), re-reading each changed record by id. Each batch of changes is committed with its checkpoint: interrupted at any point, the next run goes on without losing or duplicating anything.")
            {
                resources, to,
            };

            command.SetAction((parse, cancellationToken) => runtime.RunAsync("sync", cancellationToken, async ct =>
            {
                var chosen = SyncResources.Parse(parse.GetValue(resources));
                var target = SyncTarget.Parse(parse.GetValue(to));
                if (target.Kind == SyncDatabaseKind.Postgres)
                {
                    runtime.Reporter.AddSecret(new NpgsqlConnectionStringBuilder(target.Location).Password);
                }

                var quiet = parse.GetValue(runtime.Global.Quiet);
                await using var store = await SyncStore.OpenAsync(target, ct).ConfigureAwait(false);
                await using var session = await runtime.OpenAsync(parse, ct).ConfigureAwait(false);
                var engine = new SyncEngine(session.Client, store, chosen, progress: quiet ? null : line => runtime.Reporter.WriteLine(runtime.Context.Error, line, "sync"));
                SyncSummary summary;
                try
                {
                    summary = await engine.RunAsync(ct).ConfigureAwait(false);
                }
                catch (SyncFeedUnavailableException) when (session.IsDemo)
                {
                    // Everything exported is committed; only the change feed is missing from this sandbox.
                    runtime.Reporter.WriteLine(runtime.Context.Error, "the records are exported and stored, but this demo sandbox does not serve /audits, so changes cannot be applied by a later run (see docs/sync.md, Known limits).", "sync");
                    return ExitCodes.Success;
                }
                catch (SyncFeedUnavailableException ex)
                {
                    throw new Errors.CliException(ExitCodes.NotFound, "Aha! answered 404 to GET /audits: the records exported so far are stored, but changes cannot be read. Check that the token's user may read the account's history (audits).", ex);
                }


                if (!quiet)
                {
                    var events = session.Events;
                    var exported = summary.FirstExport
                        ? "first export: " + string.Join(", ", summary.Exported.Select(e => string.Format(CultureInfo.InvariantCulture, "{0:N0} {1}", e.Value, e.Key))) + string.Format(CultureInfo.InvariantCulture, " in {0:N0} page(s); ", summary.ExportPages)
                        : string.Empty;
                    runtime.Reporter.WriteLine(runtime.Context.Error, string.Format(
                        CultureInfo.InvariantCulture,
                        "synced {0} to {1} in {2:0.0} s: {3}changes: {4:N0} audit(s) read ({5:N0} about other resources), {6:N0} record(s) re-read, {7:N0} upserted, {8:N0} deleted; requests: {9:N0}; rate-limit waits: {10} ({11:0.0} s), 429 answers: {12}, retries: {13}.",
                        string.Join(",", chosen.Select(r => r.Name)),
                        target.Display,
                        summary.Elapsed.TotalSeconds,
                        exported,
                        summary.AuditsRead,
                        summary.AuditsIgnored,
                        summary.RecordsReRead,
                        summary.Upserted,
                        summary.Deleted,
                        summary.Requests,
                        events.RateLimitWaits,
                        events.RateLimitWaitTime.TotalSeconds,
                        events.RateLimitedResponses,
                        events.Retries), "sync");
                }

                return ExitCodes.Success;
            }));

            return command;
        }
    }
}
