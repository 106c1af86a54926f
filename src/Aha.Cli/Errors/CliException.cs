using System;

namespace Aha.Cli.Errors
{
    /// <summary>A failure the tool detected itself, with the exit code and the one-line message to show.</summary>
    internal class CliException : Exception
    {
        public CliException(int exitCode, string message, Exception? inner = null)
            : base(message, inner)
        {
            ExitCode = exitCode;
        }

        public int ExitCode { get; }

        /// <summary>Invalid arguments (exit code 2).</summary>
        public static CliException Usage(string message) => new CliException(ExitCodes.InvalidArguments, message);

        /// <summary>Missing or unusable credentials (exit code 3).</summary>
        public static CliException Credentials(string message) => new CliException(ExitCodes.BadCredentials, message);

        /// <summary>The output could not be written (exit code 9).</summary>
        public static CliException Output(string message, Exception inner) => new CliException(ExitCodes.OutputError, message, inner);
    }
}
