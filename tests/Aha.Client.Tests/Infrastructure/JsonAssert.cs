using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>
    /// Compares two JSON documents as trees: same members (none lost, none added), same array lengths, equal values.
    /// Timestamps are compared as instants (the client writes <c>2019-01-01T00:00:00+00:00</c> for
    /// <c>2019-01-01T00:00:00.000Z</c>) and numbers by value (<c>5</c> equals <c>5.0</c>). One deliberate allowance:
    /// an expected <c>null</c> member may be absent from the actual document, because the generated models do not
    /// tell an explicit null from an absent attribute and never write nulls (a PUT must not clear what it did not
    /// set; see openapi/DECISIONS.md). Free-form JSON (custom-field values, unknown attributes) keeps its nulls.
    /// </summary>
    internal static class JsonAssert
    {
        public static JToken Parse(string json)
        {
            using var reader = new JsonTextReader(new StringReader(json))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
            };
            return JToken.ReadFrom(reader);
        }

        public static void AreEquivalent(string expectedJson, string actualJson, string because = "")
        {
            var differences = Differences(Parse(expectedJson), Parse(actualJson)).Take(20).ToList();
            if (differences.Count > 0)
            {
                Assert.Fail($"{because}{Environment.NewLine}JSON differs:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", differences)}{Environment.NewLine}expected: {Truncate(expectedJson)}{Environment.NewLine}actual:   {Truncate(actualJson)}");
            }
        }

        public static IEnumerable<string> Differences(JToken expected, JToken actual, string path = "$")
        {
            if (expected.Type == JTokenType.Object && actual.Type == JTokenType.Object)
            {
                var e = (JObject)expected;
                var a = (JObject)actual;
                foreach (var p in e.Properties())
                {
                    if (!a.TryGetValue(p.Name, out var other))
                    {
                        if (p.Value.Type == JTokenType.Null)
                        {
                            continue;
                        }

                        yield return $"{path}.{p.Name}: missing (expected {Short(p.Value)})";
                        continue;
                    }

                    foreach (var d in Differences(p.Value, other, path + "." + p.Name))
                    {
                        yield return d;
                    }
                }

                foreach (var p in a.Properties().Where(p => !e.ContainsKey(p.Name)))
                {
                    yield return $"{path}.{p.Name}: unexpected (actual {Short(p.Value)})";
                }

                yield break;
            }

            if (expected.Type == JTokenType.Array && actual.Type == JTokenType.Array)
            {
                var e = (JArray)expected;
                var a = (JArray)actual;
                if (e.Count != a.Count)
                {
                    yield return $"{path}: {e.Count} items expected, {a.Count} actual";
                    yield break;
                }

                for (var i = 0; i < e.Count; i++)
                {
                    foreach (var d in Differences(e[i], a[i], $"{path}[{i}]"))
                    {
                        yield return d;
                    }
                }

                yield break;
            }

            if (!ValuesEqual(expected, actual))
            {
                yield return $"{path}: expected {Short(expected)}, actual {Short(actual)}";
            }
        }

        private static bool ValuesEqual(JToken expected, JToken actual)
        {
            if (expected.Type == actual.Type && JToken.DeepEquals(expected, actual))
            {
                return true;
            }

            if (IsNumber(expected) && IsNumber(actual))
            {
                return Convert.ToDecimal(((JValue)expected).Value, CultureInfo.InvariantCulture) == Convert.ToDecimal(((JValue)actual).Value, CultureInfo.InvariantCulture);
            }

            if (expected.Type == JTokenType.String && actual.Type == JTokenType.String)
            {
                var e = (string)expected!;
                var a = (string)actual!;
                return e == a || (IsTimestamp(e, out var te) && IsTimestamp(a, out var ta) && te == ta);
            }

            return false;
        }

        private static bool IsNumber(JToken t) => t.Type is JTokenType.Integer or JTokenType.Float;

        private static bool IsTimestamp(string s, out DateTimeOffset value)
        {
            value = default;
            return s.Length > 10 && s[10] == 'T' && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
        }

        private static string Short(JToken t) => Truncate(t.ToString(Formatting.None), 120);

        private static string Truncate(string s, int max = 2000) => s.Length <= max ? s : s.Substring(0, max) + "…";
    }
}
