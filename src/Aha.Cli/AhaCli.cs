using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Commands;
using Aha.Cli.Connection;
using Aha.Cli.Errors;

namespace Aha.Cli
{
    /// <summary>
    /// The <c>aha</c> command line (System.CommandLine): builds the command tree, parses, and runs one command.
    /// <see cref="RunAsync"/> is what <see cref="Program"/> calls and what tests call in-process.
    /// </summary>
    internal static class AhaCli
    {
        /// <summary>Runs one invocation and returns its exit code (see <see cref="ExitCodes"/>).</summary>
        public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
        {
            var reporter = new ErrorReporter();
            reporter.AddSecret(context.Environment("AHA_TOKEN"));
            var runtime = new CliRuntime(context, reporter);
            var root = BuildRootCommand(runtime);

            var parse = root.Parse(JoinParentPairs(args));
            if (parse.Tokens.Count > 0)
            {
                reporter.AddSecret(parse.GetValue(runtime.Global.Token));
                reporter.Verbose = parse.GetValue(runtime.Global.Verbose);
            }

            if (parse.Action is ParseErrorAction)
            {
                // One line, and a distinct exit code, instead of the library's error list followed by the whole help.
                var command = parse.CommandResult.Command;
                var path = command is RootCommand ? "aha" : "aha " + command.Name;
                var message = Suggestions.Describe(parse);
                var end = message.EndsWith("?", StringComparison.Ordinal) ? " " : ". ";
                reporter.WriteLine(context.Error, $"error: {message}{end}See '{path} --help'.");
                return ExitCodes.InvalidArguments;
            }

            var invocation = new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = context.HandleProcessTermination ? TimeSpan.FromSeconds(2) : null,
            };

            try
            {
                return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                reporter.WriteLine(context.Error, "interrupted.");
                return ExitCodes.Cancelled;
            }
            finally
            {
                await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Makes <c>--in PARENT ID</c> one token (<c>--in PARENT:ID</c>) before parsing, so that the option takes exactly its
        /// two values wherever it stands: <c>aha export --in product PRJ1 features</c> reads <c>features</c> as the resource,
        /// as <c>aha export features --in product PRJ1</c> does. The parser alone cannot tell where a two-word option ends
        /// without taking the next word as well. <c>--in PARENT:ID</c>, <c>--in=PARENT:ID</c> and <c>--in PARENT=ID</c> are
        /// left as they are, and nothing after <c>--</c> is touched; an <c>--in</c> without its id stays alone and is
        /// reported by the command (<c>--in takes a parent and its id</c>).
        /// </summary>
        internal static string[] JoinParentPairs(string[] args)
        {
            var joined = new List<string>(args.Length);
            for (var i = 0; i < args.Length; i++)
            {
                var token = args[i];
                if (token == "--")
                {
                    joined.AddRange(args.Skip(i));
                    break;
                }

                string? parent = null;
                var next = i + 1;
                if (token == "--in" && next < args.Length)
                {
                    parent = args[next++];
                }
                else if (token.StartsWith("--in=", StringComparison.Ordinal))
                {
                    parent = token.Substring("--in=".Length);
                }

                if (parent == null || parent.Length == 0 || parent.StartsWith("-", StringComparison.Ordinal) || parent.IndexOfAny(new[] { ':', '=' }) >= 0
                    || next >= args.Length || args[next].StartsWith("-", StringComparison.Ordinal))
                {
                    joined.Add(token);
                    continue;
                }

                joined.Add("--in");
                joined.Add(parent + ":" + args[next]);
                i = next;
            }

            return joined.ToArray();
        }

        internal static RootCommand BuildRootCommand(CliRuntime runtime)
        {
            var root = new RootCommand(
                "Export, read and update Aha! records from the command line.\n\n" +
                "Credentials come from AHA_ACCOUNT and AHA_TOKEN (or --account/--base-url and --token). With --demo (or AHA_DEMO=1) " +
                "the commands run against an embedded Aha! sandbox with generated demo data and say so on stderr; without credentials " +
                "and without --demo they fail (exit code 3).");

            foreach (var option in runtime.Global.All)
            {
                root.Options.Add(option);
            }

            root.Subcommands.Add(ExportCommand.Create(runtime));
            root.Subcommands.Add(GetCommand.Create(runtime));
            root.Subcommands.Add(SetFieldCommand.Create(runtime));
            root.Subcommands.Add(LimitsCommand.Create(runtime));
            root.Subcommands.Add(SyncCommand.Create(runtime));
            root.Subcommands.Add(HistoricalSearchCommands.CreateSearchCommand(runtime));

            // Every command's --help ends with the exit codes.
            var help = root.Options.OfType<HelpOption>().Single();
            help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
            return root;
        }

        /// <summary>The default help, followed by the exit codes.</summary>
        private sealed class HelpWithExitCodes : SynchronousCommandLineAction
        {
            private readonly HelpAction _inner;

            public HelpWithExitCodes(HelpAction inner) => _inner = inner;

            public override bool ClearsParseErrors => true;

            public override int Invoke(ParseResult parseResult)
            {
                _inner.Invoke(parseResult);
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Exit codes:");
                foreach (var code in ExitCodes.All)
                {
                    output.WriteLine($"  {code.Key,-5}{code.Value}");
                }

                output.WriteLine();
                return ExitCodes.Success;
            }
        }
    }

    /// <summary>The options every command accepts (declared once on the root, recursive).</summary>
    internal sealed class GlobalOptions
    {
        public Option<string?> Account { get; } = new Option<string?>("--account")
        {
            Description = "Aha! account (subdomain: 'company' for https://company.aha.io). Default: $AHA_ACCOUNT.",
            HelpName = "NAME",
            Recursive = true,
        };

        public Option<string?> Token { get; } = new Option<string?>("--token")
        {
            Description = "API key or OAuth2 token. Default: $AHA_TOKEN (preferred: a command line is visible to other users). Never printed.",
            HelpName = "TOKEN",
            Recursive = true,
        };

        public Option<string?> BaseUrl { get; } = new Option<string?>("--base-url")
        {
            Description = "API root instead of https://<account>.aha.io/api/v1/ (HTTPS, or http on loopback). Default: $AHA_BASE_URL.",
            HelpName = "URL",
            Recursive = true,
        };

        public Option<bool> Demo { get; } = new Option<bool>("--demo")
        {
            Description = "Use the embedded sandbox with generated demo data instead of an Aha! account (also: AHA_DEMO=1). Without it, missing credentials are an error.",
            Recursive = true,
        };

        public Option<double?> ConnectTimeout { get; } = new Option<double?>("--connect-timeout")
        {
            Description = "Seconds to wait for a connection to open (DNS, TCP, TLS); a first connection that fails ends the command at once with the reason. Default: 5.",
            HelpName = "SECONDS",
            Recursive = true,
        };

        public Option<int?> MaxRetries { get; } = new Option<int?>("--max-retries")
        {
            Description = "Retries per request after a 429, a 5xx or a network error (0-100). Default: 6.",
            HelpName = "N",
            Recursive = true,
        };

        public Option<bool> Quiet { get; } = new Option<bool>("--quiet", "-q")
        {
            Description = "No progress on stderr (errors and the demo-mode notice are still printed).",
            Recursive = true,
        };

        public Option<bool> Verbose { get; } = new Option<bool>("--verbose", "-v")
        {
            Description = "Print the client's retries, rate-limit waits and pauses on stderr.",
            Recursive = true,
        };

        public Option[] All => new Option[] { Account, Token, BaseUrl, Demo, ConnectTimeout, MaxRetries, Quiet, Verbose };
    }

    /// <summary>What every command action shares: the context, the error reporter, the global options.</summary>
    internal sealed class CliRuntime
    {
        public CliRuntime(CliContext context, ErrorReporter reporter)
        {
            Context = context;
            Reporter = reporter;
        }

        public CliContext Context { get; }

        public ErrorReporter Reporter { get; }

        public GlobalOptions Global { get; } = new GlobalOptions();

        /// <summary>Connection settings: options first, then AHA_ACCOUNT / AHA_TOKEN / AHA_BASE_URL.</summary>
        public ConnectionSettings Settings(ParseResult parse)
        {
            var retries = parse.GetValue(Global.MaxRetries);
            if (retries is { } r && (r < 0 || r > 100))
            {
                throw CliException.Usage($"--max-retries must be between 0 and 100 (was {r}).");
            }

            var connectTimeout = parse.GetValue(Global.ConnectTimeout);
            if (connectTimeout is { } c && (double.IsNaN(c) || c <= 0 || c > 300))
            {
                throw CliException.Usage($"--connect-timeout must be more than 0 and at most 300 seconds (was {c.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
            }

            var demoFromEnvironment = !parse.GetValue(Global.Demo) && IsYes(Context.Environment("AHA_DEMO"));
            return new ConnectionSettings
            {
                Account = parse.GetValue(Global.Account) ?? Context.Environment("AHA_ACCOUNT"),
                Token = parse.GetValue(Global.Token) ?? Context.Environment("AHA_TOKEN"),
                BaseUrl = parse.GetValue(Global.BaseUrl) ?? Context.Environment("AHA_BASE_URL"),
                Demo = parse.GetValue(Global.Demo) || demoFromEnvironment,
                DemoFromEnvironment = demoFromEnvironment,
                ConnectTimeout = connectTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : ConnectionSettings.DefaultConnectTimeout,
                MaxRetries = retries,
                Quiet = parse.GetValue(Global.Quiet),
                Verbose = parse.GetValue(Global.Verbose),
            };
        }

        /// <summary>AHA_DEMO=1 (or true/yes) asks for demo mode, as --demo does.</summary>
        private static bool IsYes(string? value)
            => value != null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) || value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// Runs a command body and turns any failure into its exit code and one line on stderr. Arguments are checked
        /// by <paramref name="body"/> before it opens a connection, so a usage error costs no request.
        /// </summary>
        public async Task<int> RunAsync(string command, CancellationToken cancellationToken, Func<CancellationToken, Task<int>> body)
        {
            try
            {
                return await body(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Reporter.WriteLine(Context.Error, "interrupted.", command);
                return ExitCodes.Cancelled;
            }
            catch (OperationCanceledException ex)
            {
                // Not ours: a transport-level cancellation is a timeout.
                return Reporter.Report(new TimeoutException(ex.Message, ex), Context.Error, command);
            }
            catch (Exception ex)
            {
                return Reporter.Report(ex, Context.Error, command);
            }
        }

        /// <summary>Opens the client for a command (demo sandbox or real account).</summary>
        public Task<ClientSession> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
            => ClientSession.OpenAsync(Settings(parse), Context, Reporter, cancellationToken);
    }
}
