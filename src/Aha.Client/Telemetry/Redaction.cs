using System;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;

namespace Aha.Client.Telemetry
{
    /// <summary>
    /// Keeps secrets out of logs, traces and exception messages: requests are described by method and path only, with
    /// the values of credential-like query parameters replaced, and bearer tokens are masked in any text we echo back.
    /// </summary>
    internal static class Redaction
    {
        internal const string Mask = "[redacted]";

        private static readonly string[] SensitiveParameterParts = { "token", "key", "secret", "password", "auth", "signature", "code" };

        private static readonly Regex BearerPattern = new Regex(@"(?i)(bearer|token|api[_-]?key|authorization)(["":=\s]+)([A-Za-z0-9\-._~+/=]{6,})", RegexOptions.CultureInvariant);

        /// <summary>The request's path and query, with credential-like query values masked. No scheme, host or user info.</summary>
        internal static string DescribePath(HttpRequestMessage? request) => DescribePath(request?.RequestUri);

        internal static string DescribePath(Uri? uri)
        {
            if (uri is null)
            {
                return "(no URI)";
            }

            if (!uri.IsAbsoluteUri)
            {
                var raw = uri.OriginalString;
                var q = raw.IndexOf('?');
                return q < 0 ? raw : raw.Substring(0, q) + RedactQuery(raw.Substring(q));
            }

            return uri.AbsolutePath + RedactQuery(uri.Query);
        }

        /// <summary>Masks anything that looks like a bearer token or API key in text taken from a response.</summary>
        internal static string MaskSecrets(string text) => BearerPattern.Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mask);

        private static bool IsSensitive(string lowerName)
        {
            foreach (var part in SensitiveParameterParts)
            {
                if (lowerName.IndexOf(part, StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static string RedactQuery(string query)
        {
            if (string.IsNullOrEmpty(query) || query == "?")
            {
                return string.Empty;
            }

            var builder = new StringBuilder("?");
            var first = true;
            foreach (var pair in query.TrimStart('?').Split('&'))
            {
                if (!first)
                {
                    builder.Append('&');
                }

                first = false;
                var eq = pair.IndexOf('=');
                var name = eq < 0 ? pair : pair.Substring(0, eq);
                var lower = Uri.UnescapeDataString(name).ToLowerInvariant();
                if (eq >= 0 && IsSensitive(lower))
                {
                    builder.Append(name).Append('=').Append(Mask);
                }
                else
                {
                    builder.Append(pair);
                }
            }

            return builder.ToString();
        }
    }
}
