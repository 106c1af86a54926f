using System;
using System.Globalization;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Errors;
using Aha.Client;
using Aha.Client.Configuration;
using Aha.Sandbox;

namespace Aha.Cli.Connection
{
    /// <summary>The connection settings every command takes (options first, then environment variables).</summary>
    internal sealed class ConnectionSettings
    {
        public string? Account { get; init; }

        public string? Token { get; init; }

        public string? BaseUrl { get; init; }

        public bool Demo { get; init; }

        /// <summary>Whether demo mode was asked for by <c>AHA_DEMO</c> rather than <c>--demo</c> (for the notice).</summary>
        public bool DemoFromEnvironment { get; init; }

        /// <summary>How long opening a connection (DNS, TCP and TLS) may take before the command fails.</summary>
        public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

        public int? MaxRetries { get; init; }

        public bool Quiet { get; init; }

        public bool Verbose { get; init; }

        /// <summary>The default of <c>--connect-timeout</c>: long enough for a distant server, short enough for a script.</summary>
        public static TimeSpan DefaultConnectTimeout { get; } = TimeSpan.FromSeconds(5);

        /// <summary>Whether anything points at a real account (an account, a base URL or a token).</summary>
        public bool HasCredentials => !string.IsNullOrWhiteSpace(Account) || !string.IsNullOrWhiteSpace(BaseUrl) || !string.IsNullOrWhiteSpace(Token);
    }

    /// <summary>
    /// An <see cref="AhaClient"/> for one command: against the account named by the settings, or, only when asked for
    /// with <c>--demo</c> (or <c>AHA_DEMO=1</c>), against an embedded <see cref="AhaSandbox"/> with demo data (started
    /// here, stopped on dispose). No credentials and no <c>--demo</c> is an error: a script whose secret is missing
    /// must not export demo data.
    /// </summary>
    internal sealed class ClientSession : IAsyncDisposable
    {
        private readonly IDisposable? _transport;

        private ClientSession(AhaClient client, AhaSandbox? sandbox, ClientEvents events, string pacing, IDisposable? transport = null)
        {
            _transport = transport;
            Client = client;
            Sandbox = sandbox;
            Events = events;
            Pacing = pacing;
        }

        public AhaClient Client { get; }

        /// <summary>The embedded sandbox in demo mode; null against a real account.</summary>
        public AhaSandbox? Sandbox { get; }

        public bool IsDemo => Sandbox != null;

        public ClientEvents Events { get; }

        /// <summary>The client-side pacing in force, for <c>aha limits</c>.</summary>
        public string Pacing { get; }

        /// <summary>The User-Agent text the tool adds to the SDK's own.</summary>
        public static string UserAgent { get; } = "aha-cli/" + (typeof(ClientSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

        public static async Task<ClientSession> OpenAsync(ConnectionSettings settings, CliContext context, ErrorReporter reporter, CancellationToken cancellationToken)
        {
            var events = new ClientEvents(settings.Verbose ? context.Error : null);
            if (settings.Demo)
            {
                return await OpenDemoAsync(settings, context, reporter, events, cancellationToken).ConfigureAwait(false);
            }

            if (!settings.HasCredentials)
            {
                throw CliException.Credentials("no Aha! credentials: set AHA_ACCOUNT and AHA_TOKEN (or pass --account and --token), or add --demo to try the embedded sandbox with demo data.");
            }

            if (string.IsNullOrWhiteSpace(settings.Token))
            {
                throw CliException.Credentials("no Aha! token: set AHA_TOKEN (or pass --token) to an API key, or use --demo for the embedded sandbox.");
            }

            if (string.IsNullOrWhiteSpace(settings.Account) && string.IsNullOrWhiteSpace(settings.BaseUrl))
            {
                throw CliException.Usage("no Aha! account: set AHA_ACCOUNT (or pass --account, 'company' for https://company.aha.io) or --base-url.");
            }

            Uri? baseUrl = null;
            if (!string.IsNullOrWhiteSpace(settings.BaseUrl) && !Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out baseUrl))
            {
                throw CliException.Usage($"--base-url '{settings.BaseUrl}' is not an absolute URL (for example https://company.aha.io/api/v1/).");
            }

            var options = new AhaClientOptions
            {
                // Not Trim(): a line break from a secret file is refused by the options validation, not hidden.
                Account = string.IsNullOrWhiteSpace(settings.Account) ? null : settings.Account!.Trim(' '),
                BaseUrl = baseUrl,
                Token = settings.Token!.Trim(),
            };
            ApplyCommon(options, settings);

            // Validates the options (OptionsValidationException → invalid arguments); the token is never in its messages.
            var transport = new ConnectFailFastHandler(settings.ConnectTimeout);
            AhaClient client;
            try
            {
                client = new AhaClient(options, transport, events);
            }
            catch
            {
                transport.Dispose();
                throw;
            }

            var pacing = string.Format(CultureInfo.InvariantCulture, "{0} requests/second and {1} requests/minute (Aha!'s limits), shared by every client in this process", options.RateLimit.RequestsPerSecond, options.RateLimit.RequestsPerMinute);
            return new ClientSession(client, null, events, pacing, transport);
        }

        private static async Task<ClientSession> OpenDemoAsync(ConnectionSettings settings, CliContext context, ErrorReporter reporter, ClientEvents events, CancellationToken cancellationToken)
        {
            var sandboxOptions = new AhaSandboxOptions();
            context.ConfigureDemoSandbox?.Invoke(sandboxOptions);
            var sandbox = await AhaSandbox.StartAsync(sandboxOptions, cancellationToken).ConfigureAwait(false);
            try
            {
                var journal = DemoJournal.From(context);
                var replayed = journal is null ? 0 : await journal.ReplayAsync(sandbox, cancellationToken).ConfigureAwait(false);
                var client = journal is null
                    ? sandbox.CreateClient(events, o => ApplyCommon(o, settings))
                    : new AhaClient(sandbox.CreateClientOptions(o => ApplyCommon(o, settings)), journal.CreateRecordingHandler(), events);
                var why = settings.DemoFromEnvironment ? "AHA_DEMO" : "--demo";
                // Always said, --quiet or not: nobody should mistake demo data for their account's.
                {
                    reporter.WriteLine(context.Error, string.Format(
                        CultureInfo.InvariantCulture,
                        "DEMO MODE ({0}): using the embedded Aha! sandbox at {1} with generated demo data ({2:N0} products, {3:N0} features, {4:N0} ideas). Nothing is read from or written to a real Aha! account.",
                        why,
                        sandbox.BaseAddress,
                        sandbox.Count("products"),
                        sandbox.Count("features"),
                        sandbox.Count("ideas")));
                    if (journal != null)
                    {
                        reporter.WriteLine(context.Error, string.Format(
                            CultureInfo.InvariantCulture,
                            "DEMO MODE: {0} earlier demo write(s) replayed from {1} ({2}); this run's writes are added to it. Delete the file to start from the seed data again.",
                            replayed,
                            journal.Path,
                            DemoJournal.Variable));
                    }
                }

                var limits = sandbox.Options.RateLimit;
                var pacing = limits.Enabled
                    ? string.Format(CultureInfo.InvariantCulture, "{0} requests per {1:0.###} s and {2} per {3:0.###} s (the sandbox's limits)", limits.ShortWindowLimit, limits.ShortWindow.TotalSeconds / limits.TimeScale, limits.LongWindowLimit, limits.LongWindow.TotalSeconds / limits.TimeScale)
                    : "none (the sandbox's rate limits are off)";
                return new ClientSession(client, sandbox, events, pacing);
            }
            catch
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        private static void ApplyCommon(AhaClientOptions options, ConnectionSettings settings)
        {
            options.UserAgent = UserAgent;
            if (settings.MaxRetries is { } retries)
            {
                options.Resilience.MaxRetryAttempts = retries;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _transport?.Dispose();
            if (Sandbox != null)
            {
                await Sandbox.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
