using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Aha.Client.Telemetry;
using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>What the error step knows about a failed request besides the response: the request and Aha!'s message.</summary>
    public sealed class AhaErrorDetails
    {
        private static readonly string[] RequestIdHeaders = { "X-Request-Id", "X-Request-ID", "Request-Id", "X-Amzn-RequestId", "X-Amz-Cf-Id" };
        private static readonly Regex TitlePattern = new Regex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        private static readonly Regex TagPattern = new Regex("<[^>]+>", RegexOptions.CultureInvariant);

        /// <summary>Creates the details.</summary>
        /// <param name="requestMethod">The request method.</param>
        /// <param name="requestPath">The request path and query, secrets masked.</param>
        /// <param name="ahaMessage">Aha!'s error message.</param>
        /// <param name="requestId">The server's request id.</param>
        public AhaErrorDetails(string? requestMethod, string? requestPath, string? ahaMessage, string? requestId)
        {
            RequestMethod = requestMethod;
            RequestPath = requestPath;
            AhaMessage = ahaMessage;
            RequestId = requestId;
        }

        /// <summary>The request method.</summary>
        public string? RequestMethod { get; }

        /// <summary>The request path and query, secrets masked.</summary>
        public string? RequestPath { get; }

        /// <summary>Aha!'s error message.</summary>
        public string? AhaMessage { get; }

        /// <summary>The server's request id.</summary>
        public string? RequestId { get; }

        /// <summary>The kind of a status; a 504 means "too much data" only for a GET (for a write it is a server error).</summary>
        internal static AhaErrorKind KindOf(int status, string? method)
        {
            if (status == 504 && method != null && !string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
            {
                return AhaErrorKind.ServerError;
            }

            switch (status)
            {
                case 400: return AhaErrorKind.BadRequest;
                case 401:
                case 403: return AhaErrorKind.Authentication;
                case 404: return AhaErrorKind.NotFound;
                case 429: return AhaErrorKind.RateLimited;
                case 504: return AhaErrorKind.TooMuchData;
                default: return status >= 500 && status <= 599 ? AhaErrorKind.ServerError : AhaErrorKind.Other;
            }
        }

        /// <summary>
        /// Aha!'s message from a JSON body (<c>message</c>, <c>error</c>, <c>errors</c> as text, object or list); for a
        /// non-JSON body such as an HTML proxy page, null (see <see cref="DescribeNonJson"/>).
        /// </summary>
        internal static string? ExtractMessage(string? body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            var trimmed = body!.TrimStart();
            if (trimmed[0] != '{' && trimmed[0] != '[')
            {
                return null;
            }

            try
            {
                var json = JToken.Parse(trimmed);
                var text = json is JObject obj
                    ? Flatten(obj["message"]) ?? Flatten(obj["errors"]) ?? Flatten(obj["error"]) ?? Flatten(obj["error_description"])
                    : Flatten(json);
                return string.IsNullOrWhiteSpace(text) ? null : Redaction.MaskSecrets(text!);
            }
            catch (Newtonsoft.Json.JsonException)
            {
                return null;
            }
        }

        /// <summary>A short description of a body that is not JSON: its HTML title or first words.</summary>
        internal static string DescribeNonJson(string? body, string? mediaType)
        {
            var kind = string.IsNullOrEmpty(mediaType) ? "an unknown content type" : mediaType;
            if (string.IsNullOrWhiteSpace(body))
            {
                return $"the response body was empty ({kind})";
            }

            var title = TitlePattern.Match(body!);
            var text = title.Success ? title.Groups[1].Value : TagPattern.Replace(body!, " ");
            text = Regex.Replace(System.Net.WebUtility.HtmlDecode(text), @"\s+", " ").Trim();
            if (text.Length > 200)
            {
                text = text.Substring(0, 200) + "...";
            }

            return $"the response was not JSON but {kind}, probably from a proxy or gateway in front of Aha!" + (text.Length > 0 ? $": \"{Redaction.MaskSecrets(text)}\"" : string.Empty);
        }

        internal static string? FindRequestId(IReadOnlyDictionary<string, IEnumerable<string>> headers)
        {
            foreach (var name in RequestIdHeaders)
            {
                foreach (var pair in headers)
                {
                    if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        var value = pair.Value.FirstOrDefault();
                        if (!string.IsNullOrWhiteSpace(value))
                        {
                            return value;
                        }
                    }
                }
            }

            return null;
        }

        private static string? Flatten(JToken? token)
        {
            switch (token)
            {
                case null:
                    return null;
                case JValue value:
                    return value.Value?.ToString();
                case JArray array:
                    var parts = array.Select(Flatten).Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
                    return parts.Count == 0 ? null : string.Join("; ", parts);
                case JObject obj:
                    if (Flatten(obj["message"]) is { } message)
                    {
                        return message;
                    }

                    // {"errors": {"name": ["can't be blank"]}} -> "name: can't be blank"
                    var fields = obj.Properties()
                        .Select(p => (p.Name, Text: Flatten(p.Value)))
                        .Where(p => !string.IsNullOrWhiteSpace(p.Text))
                        .Select(p => p.Name + ": " + p.Text)
                        .ToList();
                    return fields.Count == 0 ? null : string.Join("; ", fields);
                default:
                    return token.ToString();
            }
        }
    }
}
