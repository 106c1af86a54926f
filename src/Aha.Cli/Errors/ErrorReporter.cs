using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using Aha.Client;
using Aha.Client.RateLimiting;
using Microsoft.Extensions.Options;

namespace Aha.Cli.Errors
{
    /// <summary>
    /// Turns any failure into an exit code and one line for stderr. The line never holds a secret: the client's own
    /// messages never contain the token, and every line is scrubbed of the token values the tool knows anyway.
    /// </summary>
    internal sealed class ErrorReporter
    {
        private readonly List<string> _secrets = new List<string>();

        /// <summary>Remembers a value that must never be printed (the token from --token or AHA_TOKEN).</summary>
        public void AddSecret(string? secret)
        {
            if (!string.IsNullOrWhiteSpace(secret) && secret!.Trim().Length >= 4)
            {
                _secrets.Add(secret.Trim());
            }
        }

        /// <summary>Classifies <paramref name="error"/>.</summary>
        /// <returns>The exit code and the message (without the "aha: " prefix).</returns>
        public static (int ExitCode, string Message) Classify(Exception error)
        {
            switch (error)
            {
                case CliException cli:
                    return (cli.ExitCode, cli.Message);
                case OptionsValidationException invalid:
                    return (ExitCodes.InvalidArguments, "invalid connection settings: " + string.Join(" ", invalid.Failures));
                case AhaAuthenticationException auth:
                    return (ExitCodes.BadCredentials, $"authentication failed ({auth.StatusCode}): Aha! rejected the token. Check AHA_TOKEN (or --token) and AHA_ACCOUNT (or --account/--base-url).");
                case AhaNotFoundException notFound:
                    return (ExitCodes.NotFound, "not found: " + notFound.Message);
                case AhaRateLimitException rateLimited:
                    var wait = rateLimited.RetryAfter is { } after ? $" Aha! asks to wait {Math.Ceiling(after.TotalSeconds)} s." : string.Empty;
                    return (ExitCodes.RateLimitExhausted, "rate limit exhausted: " + rateLimited.Message + wait);
                case AhaRateLimitQueueFullException queueFull:
                    return (ExitCodes.RateLimitExhausted, "rate limit exhausted: " + queueFull.Message);
                case AhaServerException server:
                    return (ExitCodes.ServerError, "Aha! server error: " + server.Message);
                case AhaApiException api when api.StatusCode >= 400 && api.StatusCode < 500:
                    return (ExitCodes.Rejected, "Aha! rejected the request: " + api.Message);
                case AhaApiException api:
                    return (ExitCodes.ServerError, "unexpected answer from Aha!: " + api.Message);
                case Connection.ConnectFailedException connect:
                    return (ExitCodes.NetworkFailure, "network failure: " + connect.Message + ".");
                case AhaTransportException { InnerException: Connection.ConnectFailedException connect }:
                    return (ExitCodes.NetworkFailure, "network failure: " + connect.Message + ".");
                case AhaCircuitOpenException circuit:
                    return (ExitCodes.NetworkFailure, "Aha! unavailable: " + circuit.Message);
                case AhaTransportException transport:
                    return (ExitCodes.NetworkFailure, "network failure: " + transport.Message);
                case TimeoutException timeout:
                    return (ExitCodes.NetworkFailure, "network failure: " + timeout.Message);
                case HttpRequestException http:
                    return (ExitCodes.NetworkFailure, "network failure: " + Describe(http));
                case SocketException socket:
                    return (ExitCodes.NetworkFailure, "network failure: " + socket.Message);
                case IOException io:
                    return (ExitCodes.NetworkFailure, "network failure: " + io.Message);
                case OperationCanceledException:
                    return (ExitCodes.Cancelled, "interrupted.");
                default:
                    return (ExitCodes.Unexpected, $"unexpected error ({error.GetType().Name}): {error.Message}");
            }
        }

        /// <summary>With <c>--verbose</c>: after the one-line error, the chain of exceptions behind it, one line each.</summary>
        public bool Verbose { get; set; }

        /// <summary>
        /// Writes <c>aha: error: ...</c> as one line, without secrets, and returns the exit code. With
        /// <see cref="Verbose"/>, one more line per exception of the chain (type and message), still scrubbed.
        /// </summary>
        public int Report(Exception error, TextWriter stderr, string? command)
        {
            var (code, message) = Classify(error);
            WriteLine(stderr, code == ExitCodes.Cancelled ? message : "error: " + message, command);
            if (Verbose)
            {
                var depth = 0;
                for (var e = error; e != null && depth < 10; e = e.InnerException, depth++)
                {
                    var detail = e is System.Net.Sockets.SocketException socket ? $" [{socket.SocketErrorCode}]" : e is HttpRequestException { HttpRequestError: var kind } && kind != HttpRequestError.Unknown ? $" [{kind}]" : string.Empty;
                    WriteLine(stderr, $"  {(depth == 0 ? "exception" : "caused by")}: {e.GetType().FullName}{detail}: {e.Message}", command);
                }
            }

            return code;
        }

        /// <summary>Writes one scrubbed line, <c>aha[ command]: text</c>.</summary>
        public void WriteLine(TextWriter stderr, string text, string? command = null)
        {
            var prefix = command is null ? "aha: " : "aha " + command + ": ";
            stderr.WriteLine(prefix + Scrub(OneLine(text)));
            stderr.Flush();
        }

        /// <summary>Replaces every known secret in <paramref name="text"/>.</summary>
        public string Scrub(string text)
        {
            foreach (var secret in _secrets.OrderByDescending(s => s.Length))
            {
                text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }

            return text;
        }

        internal static string OneLine(string text)
            => string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

        private static string Describe(HttpRequestException http)
        {
            if (Connection.ConnectFailure.Describe(http, null) is { } connect)
            {
                return connect + ".";
            }

            // The innermost message names the cause ("Connection refused (127.0.0.1:5000)"); the outer one is generic.
            var inner = http.InnerException;
            return inner != null && (inner is SocketException || inner is IOException) && !http.Message.Contains(inner.Message, StringComparison.Ordinal)
                ? http.Message + " (" + inner.Message + ")"
                : http.Message;
        }
    }
}
