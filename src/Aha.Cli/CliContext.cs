using System;
using System.IO;
using Aha.Sandbox;

namespace Aha.Cli
{
    /// <summary>
    /// What a run of the tool talks to: its output streams and environment. <see cref="Program"/> passes the console;
    /// tests pass writers and a dictionary, and run commands in-process.
    /// </summary>
    internal sealed class CliContext
    {
        public CliContext(TextWriter output, TextWriter error, Func<string, string?> environment)
        {
            Out = output ?? throw new ArgumentNullException(nameof(output));
            Error = error ?? throw new ArgumentNullException(nameof(error));
            Environment = environment ?? throw new ArgumentNullException(nameof(environment));
        }

        /// <summary>Standard output: records, JSON, help. UTF-8.</summary>
        public TextWriter Out { get; }

        /// <summary>Standard error: progress, notices, the one-line error.</summary>
        public TextWriter Error { get; }

        /// <summary>Reads an environment variable (AHA_ACCOUNT, AHA_TOKEN, AHA_BASE_URL).</summary>
        public Func<string, string?> Environment { get; }

        /// <summary>Whether stderr is a terminal: progress then redraws one line instead of printing one line per update.</summary>
        public bool ErrorIsTerminal { get; init; }

        /// <summary>Whether Ctrl+C / SIGTERM cancel the running command (the console; not in-process tests).</summary>
        public bool HandleProcessTermination { get; init; }

        /// <summary>Adjusts the embedded sandbox of demo mode (tests: smaller data, chaos, tighter limits).</summary>
        public Action<AhaSandboxOptions>? ConfigureDemoSandbox { get; init; }

        /// <summary>The console of this process.</summary>
        public static CliContext FromConsole(TextWriter output) => new CliContext(output, Console.Error, System.Environment.GetEnvironmentVariable)
        {
            ErrorIsTerminal = !Console.IsErrorRedirected,
            HandleProcessTermination = true,
        };
    }
}
