using System.Collections.Generic;

namespace Aha.Cli
{
    /// <summary>
    /// The exit codes of <c>aha</c>, one per class of failure so that scripts can tell them apart. Listed at the end of
    /// every command's <c>--help</c> and in docs/cli.md; changing a number is a breaking change.
    /// </summary>
    internal static class ExitCodes
    {
        /// <summary>The command did what was asked.</summary>
        public const int Success = 0;

        /// <summary>An unexpected error (a bug in the tool: please report it with the message).</summary>
        public const int Unexpected = 1;

        /// <summary>Invalid arguments: unknown command, resource or option, a malformed value, an option the resource does not support.</summary>
        public const int InvalidArguments = 2;

        /// <summary>Bad or missing credentials: none configured and no --demo, no token, or Aha! rejected the token (401/403).</summary>
        public const int BadCredentials = 3;

        /// <summary>The record (or the product/release named in a filter) does not exist, or the user cannot see it (404).</summary>
        public const int NotFound = 4;

        /// <summary>Aha! could not be reached: DNS name not found, connection refused or reset, TLS handshake failed, timed out connecting.</summary>
        public const int NetworkFailure = 5;

        /// <summary>The rate limit stayed exhausted: 429 after every retry the client is allowed.</summary>
        public const int RateLimitExhausted = 6;

        /// <summary>Aha! failed: 5xx after every retry, or an answer that is not what the API describes.</summary>
        public const int ServerError = 7;

        /// <summary>Aha! rejected the request (400 or another 4xx), for example an unknown custom field key or a value of the wrong type.</summary>
        public const int Rejected = 8;

        /// <summary>The output file could not be written.</summary>
        public const int OutputError = 9;

        /// <summary>
        /// Not ready yet: Aha! is still running the historical search whose results were asked for (nothing was written);
        /// the same command succeeds once the search is done.
        /// </summary>
        public const int NotReady = 10;

        /// <summary>Interrupted (Ctrl+C or SIGTERM); a partial output file is removed.</summary>
        public const int Cancelled = 130;

        /// <summary>Every code with its meaning, in order, for the help text.</summary>
        public static IReadOnlyList<KeyValuePair<int, string>> All { get; } = new[]
        {
            Pair(Success, "success"),
            Pair(Unexpected, "unexpected error (a bug: please report it)"),
            Pair(InvalidArguments, "invalid arguments (unknown resource or option, malformed value)"),
            Pair(BadCredentials, "bad or missing credentials (none and no --demo, no token, or Aha! answered 401/403)"),
            Pair(NotFound, "unknown record, product or release (404)"),
            Pair(NetworkFailure, "network failure (DNS, connection refused/reset, TLS, timed out connecting)"),
            Pair(RateLimitExhausted, "rate limit exhausted (429 after all retries)"),
            Pair(ServerError, "Aha! server error (5xx after all retries, or an invalid answer)"),
            Pair(Rejected, "request rejected by Aha! (400 or other 4xx, e.g. unknown custom field)"),
            Pair(OutputError, "the output file could not be written"),
            Pair(NotReady, "not ready: the historical search is still running (try the same command again later)"),
            Pair(Cancelled, "interrupted (Ctrl+C)"),
        };

        private static KeyValuePair<int, string> Pair(int code, string meaning) => new KeyValuePair<int, string>(code, meaning);
    }
}
