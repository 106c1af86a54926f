using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.Sandbox;
using Microsoft.VisualBasic.FileIO;

namespace Aha.IntegrationTests.Cli
{
    /// <summary>The outcome of one in-process run of the aha command.</summary>
    internal sealed class CliRun
    {
        public CliRun(int exitCode, string output, string error)
        {
            ExitCode = exitCode;
            Out = output;
            Error = error;
        }

        public int ExitCode { get; }

        public string Out { get; }

        public string Error { get; }

        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
    }

    /// <summary>
    /// Runs <c>aha</c> in-process with captured output and a private environment (never the machine's). Given
    /// <c>demoSandbox</c> and no credentials, the run gets <c>--demo</c> too.
    /// </summary>
    internal static class CliRunner
    {
        public static async Task<CliRun> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null, Action<AhaSandboxOptions>? demoSandbox = null, bool terminal = false)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var context = new CliContext(output, error, name => environment != null && environment.TryGetValue(name, out var value) ? value : null)
            {
                ConfigureDemoSandbox = demoSandbox,
                ErrorIsTerminal = terminal,
            };
            // A test that configures the demo sandbox runs in demo mode, which the tool enters only when asked.
            var argv = args.ToArray();
            if (demoSandbox != null && !argv.Contains("--demo") && !argv.Any(a => a is "--base-url" or "--account" or "--token"))
            {
                argv = argv.Append("--demo").ToArray();
            }

            var code = await AhaCli.RunAsync(argv, context, cancellationToken);
            return new CliRun(code, output.ToString(), error.ToString());
        }

        /// <summary>Arguments that point the CLI at a running sandbox as if it were an Aha! account.</summary>
        public static string[] Against(AhaSandbox sandbox, params string[] args)
            => args.Concat(new[] { "--base-url", sandbox.BaseAddress.ToString(), "--token", sandbox.Token }).ToArray();

        /// <summary>Parses CSV with the runtime's own RFC 4180 reader (not the tool's code): header and rows.</summary>
        public static (string[] Header, List<string[]> Rows) ReadCsv(string path)
        {
            using var parser = new TextFieldParser(path, System.Text.Encoding.UTF8)
            {
                TextFieldType = FieldType.Delimited,
                HasFieldsEnclosedInQuotes = true,
                TrimWhiteSpace = false,
            };
            parser.SetDelimiters(",");
            var header = parser.ReadFields() ?? Array.Empty<string>();
            var rows = new List<string[]>();
            while (!parser.EndOfData)
            {
                rows.Add(parser.ReadFields()!);
            }

            return (header, rows);
        }

        public static string TempFile(string name)
        {
            var folder = Path.Combine(Path.GetTempPath(), "aha-cli-tests-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(folder);
            return Path.Combine(folder, name);
        }

        /// <summary>
        /// The moment the demo data of tests that compare two sandboxes is dated relative to: the data is a function of
        /// the seed and this moment, so two sandboxes started a minute apart hold the same records only when it is pinned.
        /// </summary>
        public static readonly DateTimeOffset DemoDate = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

        /// <summary>The default demo sandbox, dated relative to <see cref="DemoDate"/>.</summary>
        public static void PinnedDemo(AhaSandboxOptions options) => options.DemoDataAsOf = DemoDate;

        /// <summary>A demo sandbox small enough to start in a blink (error-path tests do not need thousands of records).</summary>
        public static void SmallDemo(AhaSandboxOptions options)
        {
            options.FeaturesPerProduct = 30;
            options.IdeasPerProduct = 10;
            options.DemoDataAsOf = DemoDate;
        }
    }
}
