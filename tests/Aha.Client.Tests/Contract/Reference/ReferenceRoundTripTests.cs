using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Aha.Client.Tests.Contract.Schemas;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.Reference
{
    /// <summary>
    /// The generated models are lossless and deterministic for what Aha! really sends: every reference example (see
    /// <see cref="ReferenceExampleTests"/>) deserialises into the generated type of its operation and serialises back to
    /// the same JSON tree, apart from the differences README.md states ("What the models write back"): a <c>null</c>
    /// member is not written back, an id sent as a number is written back as a string with the same digits, a number
    /// sent as decimal text (<c>FlexibleNumber</c>) is written back as a number, and a timestamp is written back as the
    /// same instant (a timestamp without a zone is read as UTC). The same holds under another time zone and culture.
    /// </summary>
    [TestFixture]
    public class ReferenceRoundTripTests
    {
        private static IEnumerable<TestCaseData> Examples() =>
            ReferenceExamples.All
                .Where(e => !ReferenceExampleTests.Exclusions().ContainsKey(e.Label))
                .Select(e => new TestCaseData(e.Label).SetName("Reference_round_trips " + e.Label));

        private static IEnumerable<TestCaseData> Unwrapped() =>
            ReferenceExampleTests.Unwrapped().Keys.Select(label => new TestCaseData(label).SetName("Reference_without_wrapper_is_refused " + label));

        [TestCaseSource(nameof(Unwrapped))]
        public void Reference_answer_without_its_wrapper_key_is_refused_clearly(string label)
        {
            var example = ReferenceExampleTests.Find(label);
            var type = ModelTypeOf(example)!;
            var error = Assert.Throws<JsonSerializationException>(() => Written(example, type));
            Assert.That(error!.Message, Does.Contain("wrapper").And.Contain(type.Name));
        }

        [TestCaseSource(nameof(Examples))]
        public void Reference_example_round_trips_through_its_generated_type(string label)
        {
            var example = ReferenceExampleTests.Find(label);
            var type = ModelTypeOf(example);
            if (ReferenceExampleTests.Unwrapped().ContainsKey(label))
            {
                return; // checked by Reference_answer_without_its_wrapper_key_is_refused_clearly
            }

            Assume.That(type, Is.Not.Null, $"{label}: the operation has no JSON body of a generated type");
            var differences = RoundTrip(example, type!).Take(15).ToList();
            Assert.That(differences, Is.Empty, $"{label} ({ReferenceExamples.OperationOf(example)}) through {type!.Name}:{Environment.NewLine}{string.Join(Environment.NewLine, differences)}");
        }

        [Test]
        public void Every_reference_example_round_trips_identically_under_another_time_zone_and_culture()
        {
            var examples = ReferenceExamples.All.Where(e => ModelTypeOf(e) != null && !ReferenceExampleTests.Exclusions().ContainsKey(e.Label) && !ReferenceExampleTests.Unwrapped().ContainsKey(e.Label)).ToList();
            var here = examples.Select(e => Written(e, ModelTypeOf(e)!)).ToList();

            var culture = CultureInfo.CurrentCulture;
            var uiCulture = CultureInfo.CurrentUICulture;
            try
            {
                using (LocalTimeZone.Set(TimeZoneInfo.CreateCustomTimeZone("Test+05:45", TimeSpan.FromMinutes(345), "Test+05:45", "Test+05:45")))
                {
                    CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = FarCulture();
                    var there = examples.Select(e => Written(e, ModelTypeOf(e)!)).ToList();
                    for (var i = 0; i < examples.Count; i++)
                    {
                        Assert.That(there[i], Is.EqualTo(here[i]), $"{examples[i].Label}: the written JSON depends on the time zone or culture");
                    }
                }
            }
            finally
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = uiCulture;
            }
        }

        internal static Type? ModelTypeOf(ReferenceExample example)
        {
            // The wire-level types: the internal NSwag client's body parameter and result ({"feature": {...}} wrappers
            // included), which the public clients unwrap.
            var operation = ReferenceExamples.OperationOf(example);
            var rest = typeof(AhaClient).Assembly.GetType("Aha.Client." + operation.ClientName.Substring(0, operation.ClientName.Length - "Client".Length) + "RestClient");
            var method = rest?.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => m.Name == operation.MethodName).OrderByDescending(m => m.GetParameters().Length).FirstOrDefault();
            if (method is null)
            {
                return null;
            }

            if (example.IsRequest)
            {
                return method.GetParameters().FirstOrDefault(p => p.Name == "body")?.ParameterType;
            }

            var returned = method.ReturnType;
            return example.Status.StartsWith("2", StringComparison.Ordinal) && returned.IsGenericType && returned.GetGenericTypeDefinition() == typeof(Task<>)
                ? returned.GetGenericArguments()[0]
                : null;
        }

        internal static string Written(ReferenceExample example, Type type)
        {
            var settings = SchemaValidationTests.Settings.Value;
            var model = JsonConvert.DeserializeObject(example.Json, type, settings);
            return JsonConvert.SerializeObject(model, settings);
        }

        internal static IEnumerable<string> RoundTrip(ReferenceExample example, Type type) =>
            Differences(JsonAssert.Parse(example.Json), JsonAssert.Parse(Written(example, type)), string.Empty);

        /// <summary>Tree differences, allowing only what README.md states (see the class summary).</summary>
        internal static IEnumerable<string> Differences(JToken expected, JToken actual, string pointer)
        {
            if (expected is JObject e && actual is JObject a)
            {
                foreach (var p in e.Properties())
                {
                    if (!a.TryGetValue(p.Name, out var other))
                    {
                        if (p.Value.Type != JTokenType.Null)
                        {
                            yield return $"{pointer}/{p.Name}: lost (was {Short(p.Value)})";
                        }

                        continue;
                    }

                    foreach (var d in Differences(p.Value, other, pointer + "/" + p.Name))
                    {
                        yield return d;
                    }
                }

                foreach (var p in a.Properties().Where(p => !e.ContainsKey(p.Name)))
                {
                    yield return $"{pointer}/{p.Name}: added ({Short(p.Value)})";
                }

                yield break;
            }

            if (expected is JArray ea && actual is JArray aa)
            {
                if (ea.Count != aa.Count)
                {
                    yield return $"{pointer}: {ea.Count} items sent, {aa.Count} written";
                    yield break;
                }

                for (var i = 0; i < ea.Count; i++)
                {
                    foreach (var d in Differences(ea[i], aa[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture)))
                    {
                        yield return d;
                    }
                }

                yield break;
            }

            if (!SameValue(expected, actual))
            {
                yield return $"{(pointer.Length == 0 ? "/" : pointer)}: sent {Short(expected)}, written {Short(actual)}";
            }
        }

        private static bool SameValue(JToken expected, JToken actual)
        {
            if (expected.Type == actual.Type && JToken.DeepEquals(expected, actual))
            {
                return true;
            }

            if (IsNumber(expected) && IsNumber(actual))
            {
                return Decimal(expected) == Decimal(actual);
            }

            if (expected.Type == JTokenType.Integer && actual.Type == JTokenType.String)
            {
                // an id sent as a number is held (and written back) as its exact decimal text
                return ((JValue)expected).ToString(CultureInfo.InvariantCulture) == (string)actual!;
            }

            if (expected.Type == JTokenType.String && IsNumber(actual))
            {
                // FlexibleNumber: decimal text is read as a number
                return decimal.TryParse((string)expected!, NumberStyles.Float, CultureInfo.InvariantCulture, out var sent) && sent == Decimal(actual);
            }

            if (expected.Type == JTokenType.String && actual.Type == JTokenType.String)
            {
                return Timestamp((string)expected!, out var sent) && Timestamp((string)actual!, out var written) && sent == written;
            }

            return false;
        }

        private static bool IsNumber(JToken t) => t.Type is JTokenType.Integer or JTokenType.Float;

        private static decimal Decimal(JToken t) => Convert.ToDecimal(((JValue)t).Value, CultureInfo.InvariantCulture);

        private static bool Timestamp(string s, out DateTimeOffset value)
        {
            value = default;
            return s.Length > 10 && s[10] == 'T'
                && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
        }

        private static string Short(JToken t)
        {
            var s = t.ToString(Formatting.None);
            return s.Length <= 120 ? s : s.Substring(0, 120) + "…";
        }

        private static CultureInfo FarCulture()
        {
            foreach (var name in new[] { "th-TH", "ar-SA", "fa-IR", "de-DE" })
            {
                try
                {
                    var culture = CultureInfo.GetCultureInfo(name);
                    if (culture.NumberFormat.NumberDecimalSeparator != "." || culture.Calendar is not GregorianCalendar)
                    {
                        return culture;
                    }
                }
                catch (CultureNotFoundException)
                {
                }
            }

            return CultureInfo.InvariantCulture;
        }
    }

    /// <summary>
    /// Replaces <see cref="TimeZoneInfo.Local"/> for the current process while it is in scope (the runtime keeps it in a
    /// private cache; <see cref="TimeZoneInfo.ClearCachedData"/> restores the machine's zone).
    /// </summary>
    internal sealed class LocalTimeZone : IDisposable
    {
        private LocalTimeZone()
        {
        }

        public static LocalTimeZone Set(TimeZoneInfo zone)
        {
            var cacheField = typeof(TimeZoneInfo).GetField("s_cachedData", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException("this runtime keeps no TimeZoneInfo cache to replace");
            var cache = cacheField.GetValue(null)!;
            var localField = cache.GetType().GetField("_localTimeZone", BindingFlags.NonPublic | BindingFlags.Instance)
                ?? throw new InvalidOperationException("this runtime keeps no local time zone field to replace");
            localField.SetValue(cache, zone);
            Assert.That(TimeZoneInfo.Local.BaseUtcOffset, Is.EqualTo(zone.BaseUtcOffset), "the local time zone was replaced");
            return new LocalTimeZone();
        }

        public void Dispose() => TimeZoneInfo.ClearCachedData();
    }
}
