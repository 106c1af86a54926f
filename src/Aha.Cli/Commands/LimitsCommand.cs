using System;
using System.CommandLine;
using System.Globalization;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Cli.Commands
{
    /// <summary><c>aha limits</c>: the rate-limit state, as the server reports it and as the client paces itself.</summary>
    internal static class LimitsCommand
    {
        public static Command Create(CliRuntime runtime)
        {
            var format = new Option<string>("--format", "-f") { Description = "text or json.", HelpName = "FORMAT", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json");

            var command = new Command("limits", "Show the current rate-limit state: Aha!'s X-Ratelimit-Limit/Remaining/Reset (read from one GET /me, which itself counts as a request), any pause in force, and the client-side pacing.")
            {
                format,
            };

            command.SetAction((parse, cancellationToken) => runtime.RunAsync("limits", cancellationToken, async ct =>
            {
                var asJson = parse.GetValue(format) == "json";
                await using var session = await runtime.OpenAsync(parse, ct).ConfigureAwait(false);
                var me = await session.Client.Me.GetAsync(cancellationToken: ct).ConfigureAwait(false);
                var state = session.Client.RateLimit;
                var output = runtime.Context.Out;
                if (asJson)
                {
                    var json = new JObject
                    {
                        ["limit"] = state.Limit,
                        ["remaining"] = state.Remaining,
                        ["resets_at"] = state.ResetsAt?.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
                        ["paused_until"] = state.PausedUntil?.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
                        ["rate_limited_responses"] = state.RateLimitedResponses,
                        ["client_pacing"] = session.Pacing,
                        ["demo"] = session.IsDemo,
                        ["user"] = me?.Email ?? me?.Name,
                    };
                    await output.WriteLineAsync(JsonConvert.SerializeObject(json, Formatting.Indented, AhaJson.CreateSettings())).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var now = DateTimeOffset.UtcNow;
                await output.WriteLineAsync("Aha! rate limit (X-Ratelimit-* of the last answer):").ConfigureAwait(false);
                await output.WriteLineAsync("  limit        " + (state.Limit?.ToString(CultureInfo.InvariantCulture) ?? "(not reported)")).ConfigureAwait(false);
                await output.WriteLineAsync("  remaining    " + (state.Remaining?.ToString(CultureInfo.InvariantCulture) ?? "(not reported)")).ConfigureAwait(false);
                await output.WriteLineAsync("  resets at    " + (state.ResetsAt is { } reset ? reset.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + string.Format(CultureInfo.InvariantCulture, " (in {0:0} s)", Math.Max(0, (reset - now).TotalSeconds)) : "(not reported)")).ConfigureAwait(false);
                await output.WriteLineAsync("  paused until " + (state.PausedUntil is { } paused ? paused.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "(not paused)")).ConfigureAwait(false);
                await output.WriteLineAsync("  429s seen    " + state.RateLimitedResponses.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                await output.WriteLineAsync("Client-side pacing: " + session.Pacing + ".").ConfigureAwait(false);
                if (me != null)
                {
                    await output.WriteLineAsync("Authenticated as: " + (me.Email ?? me.Name ?? me.Id)).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }));

            return command;
        }
    }
}
