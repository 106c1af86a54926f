using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace Aha.Client
{
    public partial class AhaClient
    {
        private const int WarmUpDepth = 4;

        /// <summary>
        /// Prepares, on a thread-pool thread, what the first call of a process otherwise does on its own critical path:
        /// the JSON contracts of the given response types and of the records they hold, with the compiled setters of the
        /// records' plain attributes (text, numbers, dates: what a list page returns unless <c>fields</c> asks for more),
        /// and the reader's code paths (by reading a small sample of each type). Nested objects of a record (users,
        /// custom fields, ...) are left to the first call that reads them, so that the warm-up stays short. Start it
        /// without awaiting it when the process starts: <c>_ = AhaClient.WarmUpAsync(new[] { typeof(FeatureList) });</c>.
        /// With a core to spare, a short job (a bulk export from a fresh process) then parses its first page sooner,
        /// and, because a rate-limit window is reused one second after each request, every later second starts sooner
        /// too. On a busy machine with two cores it competes with building the client and with the first answer, and
        /// was measured to delay both (docs/benchmarks.md, "fresh process"): measure before adopting it there.
        /// <c>ListAll...Async</c> does not start it by itself. Best effort: a type that cannot be prepared is skipped,
        /// nothing is sent.
        /// </summary>
        /// <param name="responseTypes">The types your first calls return (for a feature export, <see cref="FeatureList"/>).</param>
        /// <param name="cancellationToken">Stops the warm-up between types.</param>
        /// <returns>A task that completes when every type is prepared.</returns>
        public static Task WarmUpAsync(IEnumerable<Type> responseTypes, CancellationToken cancellationToken = default)
        {
            if (responseTypes is null)
            {
                throw new ArgumentNullException(nameof(responseTypes));
            }

            var types = responseTypes.ToList();
            if (types.Any(t => t is null))
            {
                throw new ArgumentException("The list of response types contains null.", nameof(responseTypes));
            }

            return Task.Run(
                () =>
                {
                    var settings = AhaJson.CreateSettings();
                    settings.Error = (_, e) => e.ErrorContext.Handled = true; // a sample value of the wrong shape is skipped
                    var serializer = JsonSerializer.Create(settings);
                    foreach (var type in types)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        try
                        {
                            var sample = new StringBuilder();
                            WriteSample(serializer.ContractResolver, type, sample, new HashSet<Type>(), 0, 0);
                            using var reader = new JsonTextReader(new System.IO.StringReader(sample.ToString()));
                            serializer.Deserialize(reader, type);
                        }
                        catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is ArgumentException || ex is NotSupportedException)
                        {
                            // Best effort: the real call prepares this type itself.
                        }
                    }
                },
                cancellationToken);
        }

        // A JSON sample whose reading resolves the contracts and compiles the setters a first page needs, and no more: the
        // response wrapper (object level 0) with all its members, and in the records it holds (level 1: the list's
        // items, the pagination) only the plain attributes. Preparing every nested type of a full record compiled
        // ~400 setters (Feature alone reaches users, custom fields, workflow, ...), which on two cores kept the warm-up
        // busy beyond the first answer and delayed the next request (docs/benchmarks.md, "fresh process").
        private static void WriteSample(IContractResolver resolver, Type type, StringBuilder sb, HashSet<Type> path, int depth, int objectLevel)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            var contract = resolver.ResolveContract(type);
            if (depth > WarmUpDepth || !path.Add(type))
            {
                sb.Append("null");
                return;
            }

            try
            {
                switch (contract)
                {
                    case JsonObjectContract obj:
                        sb.Append('{');
                        var first = true;
                        foreach (var p in obj.Properties.Where(p => !p.Ignored && p.Writable && p.PropertyType != null && (objectLevel == 0 || IsPlain(p.PropertyType))))
                        {
                            sb.Append(first ? string.Empty : ",").Append(JsonConvert.ToString(p.PropertyName)).Append(':');
                            WriteSample(resolver, p.PropertyType!, sb, path, depth + 1, objectLevel + 1);
                            first = false;
                        }

                        sb.Append('}');
                        break;
                    case JsonArrayContract array when array.CollectionItemType != null:
                        sb.Append('[');
                        WriteSample(resolver, array.CollectionItemType, sb, path, depth + 1, objectLevel);
                        sb.Append(']');
                        break;
                    case JsonDictionaryContract dictionary when dictionary.DictionaryValueType != null:
                        sb.Append("{\"k\":");
                        WriteSample(resolver, dictionary.DictionaryValueType, sb, path, depth + 1, objectLevel);
                        sb.Append('}');
                        break;
                    case JsonLinqContract _:
                        sb.Append("{\"k\":[1,\"x\",true,null]}");
                        break;
                    default:
                        sb.Append(PrimitiveSample(type));
                        break;
                }
            }
            finally
            {
                path.Remove(type);
            }
        }

        // Text, numbers, booleans, dates and enums (nullable or not): the attributes a sparse list record carries.
        private static bool IsPlain(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset);
        }

        private static string PrimitiveSample(Type type)
        {
            if (type == typeof(bool))
            {
                return "true";
            }

            if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) || type == typeof(float) || type == typeof(short))
            {
                return "1";
            }

            if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            {
                return "\"2026-01-01T00:00:00Z\"";
            }

            if (type.IsEnum)
            {
                var names = Enum.GetNames(type);
                return names.Length > 0 ? JsonConvert.ToString(names[0]) : "0";
            }

            return "\"x\"";
        }
    }
}
