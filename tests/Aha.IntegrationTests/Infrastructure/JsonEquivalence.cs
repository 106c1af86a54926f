using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Aha.Client.Serialization;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Infrastructure
{
    /// <summary>
    /// Compares what the client read (its typed model written back to JSON) with what the sandbox holds (its own
    /// JSON), member by member. Differences of representation only are accepted: 45 and 45.0; an instant written
    /// with Z or +00:00 or with or without milliseconds; an id sent as a JSON number and kept as a string; a member
    /// that is null on one side and left out on the other. Anything else is a difference, reported with its path.
    /// </summary>
    internal static class JsonEquivalence
    {
        public static JToken FromSandbox(System.Text.Json.Nodes.JsonNode node) => AhaJson.ParseToken(node.ToJsonString());

        public static List<string> Differences(JToken? expected, JToken? actual, string path = "$")
        {
            var differences = new List<string>();
            Compare(expected, actual, path, differences);
            return differences;
        }

        private static void Compare(JToken? expected, JToken? actual, string path, List<string> differences)
        {
            if (IsNull(expected) && IsNull(actual))
            {
                return;
            }

            if (IsNull(expected) || IsNull(actual))
            {
                differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                return;
            }

            if (expected is JObject eo && actual is JObject ao)
            {
                foreach (var name in eo.Properties().Select(p => p.Name).Union(ao.Properties().Select(p => p.Name)))
                {
                    Compare(eo[name], ao[name], path + "." + name, differences);
                }

                return;
            }

            if (expected is JArray ea && actual is JArray aa)
            {
                if (ea.Count != aa.Count)
                {
                    differences.Add($"{path}: expected {ea.Count} items, got {aa.Count}");
                    return;
                }

                for (var i = 0; i < ea.Count; i++)
                {
                    Compare(ea[i], aa[i], $"{path}[{i}]", differences);
                }

                return;
            }

            if (expected is JValue ev && actual is JValue av && ValuesEqual(ev, av))
            {
                return;
            }

            differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
        }

        private static bool ValuesEqual(JValue expected, JValue actual)
        {
            if (JToken.DeepEquals(expected, actual))
            {
                return true;
            }

            if (Number(expected) is { } en && Number(actual) is { } an)
            {
                return en == an;
            }

            if (Instant(expected) is { } ei && Instant(actual) is { } ai)
            {
                return ei == ai;
            }

            // An id (or other number) the client keeps as a string: the same digits.
            return Text(expected) == Text(actual);
        }

        private static decimal? Number(JValue value) => value.Type switch
        {
            JTokenType.Integer or JTokenType.Float => Convert.ToDecimal(value.Value, CultureInfo.InvariantCulture),
            _ => null,
        };

        private static DateTimeOffset? Instant(JValue value)
        {
            if (value.Type == JTokenType.Date)
            {
                return value.Value is DateTimeOffset o ? o : new DateTimeOffset(Convert.ToDateTime(value.Value, CultureInfo.InvariantCulture));
            }

            return value.Type == JTokenType.String && ((string)value!).Length >= 10 && ((string)value!)[4] == '-'
                && DateTimeOffset.TryParse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : null;
        }

        private static string? Text(JValue value) => value.Type switch
        {
            JTokenType.String => (string?)value,
            JTokenType.Integer or JTokenType.Float or JTokenType.Boolean => Convert.ToString(value.Value, CultureInfo.InvariantCulture),
            _ => null,
        };

        private static bool IsNull(JToken? token) => token is null || token.Type == JTokenType.Null || token.Type == JTokenType.Undefined;

        private static string Show(JToken? token) => token is null ? "(absent)" : token.ToString(Newtonsoft.Json.Formatting.None);
    }
}
