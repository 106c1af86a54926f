using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Data;
using Aha.Sandbox.Spec;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    /// <summary>
    /// Walks every operation of the spec the sandbox embeds (or of <c>SANDBOX_WALK_SPEC</c>, to try a grown spec)
    /// against one in-process sandbox: path parameters filled with ids of seeded or created records that belong
    /// together, the first request example sent, and the answer validated with NJsonSchema against the operation's
    /// response schema. A failure names the operation and the JSON pointer.
    /// </summary>
    [TestFixture]
    public class SpecWalkTests
    {
        [Test]
        public async Task Every_operation_answers_in_its_documented_shape()
        {
            var specPath = Environment.GetEnvironmentVariable("SANDBOX_WALK_SPEC");
            var document = SpecDocument.Load(string.IsNullOrEmpty(specPath) ? null : specPath)!;
            Assert.That(document, Is.Not.Null, "the sandbox embeds the spec");
            var validator = new SpecValidator(document.ToJsonString());

            await using var sandbox = await Sandboxes.SmallAsync(o => o.SpecPath = string.IsNullOrEmpty(specPath) ? null : specPath);
            using var http = sandbox.CreateHttpClient();
            Assert.That(sandbox.UnservedOperations, Is.Empty, "operations without any route");

            var operations = SpecDocument.Operations(document);
            var order = new[] { "GET", "POST", "PUT", "PATCH", "DELETE" };
            var problems = new List<string>();
            var walked = 0;
            var clock = Stopwatch.StartNew();
            foreach (var operation in operations.OrderBy(o => Array.IndexOf(order, o.Method)))
            {
                var name = (operation.OperationId ?? "?") + " (" + operation.Method + " " + operation.Path + ")";
                var uri = Concrete(sandbox, operation);
                var body = RequestExample(operation);
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), uri.TrimStart('/'))
                {
                    Content = body == null ? null : Sandboxes.Json(body.ToJsonString()),
                };
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                walked++;

                var (status, pointer) = Success(operation);
                if ((int)response.StatusCode != status)
                {
                    problems.Add($"{name} {uri}: answered {(int)response.StatusCode}, documented {status}: {Shorten(text)}");
                    continue;
                }

                if (pointer != null && validator.Has(pointer))
                {
                    foreach (var error in validator.Validate(pointer, text).Take(5))
                    {
                        problems.Add($"{name} {uri}: {error}");
                    }
                }
            }

            TestContext.Out.WriteLine($"{walked} operations walked in {clock.ElapsedMilliseconds} ms ({sandbox.GenericRoutes.Count} served by the spec-driven layer); {problems.Count} problems.");
            Assert.That(walked, Is.EqualTo(operations.Count));
            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
        }

        /// <summary>The documented success status and the pointer of its JSON schema (null when the answer has none).</summary>
        private static (int Status, string? Pointer) Success(SpecOperation operation)
        {
            foreach (var code in new[] { "200", "201", "204" })
            {
                if (operation.Operation["responses"]?[code] is JsonObject response)
                {
                    var media = (response["content"] as JsonObject)?.FirstOrDefault(p => p.Key.StartsWith("application/json", StringComparison.OrdinalIgnoreCase));
                    var pointer = media?.Value?["schema"] != null
                        ? "#/paths/" + SpecValidator.Escape(operation.Path) + "/" + operation.Method.ToLowerInvariant() + "/responses/" + code + "/content/" + SpecValidator.Escape(media.Value.Key) + "/schema"
                        : null;
                    return (int.Parse(code, CultureInfo.InvariantCulture), pointer);
                }
            }

            return (200, null);
        }

        private static JsonNode? RequestExample(SpecOperation operation)
        {
            var media = SpecRoutes.JsonMedia(operation.Operation["requestBody"]?["content"]);
            if (media == null)
            {
                return null;
            }

            if (media["example"] is JsonNode single)
            {
                return single.DeepClone();
            }

            return (media["examples"] as JsonObject)?.Select(p => p.Value?["value"]).FirstOrDefault(v => v != null)?.DeepClone() ?? new JsonObject();
        }

        /// <summary>
        /// Fills the path parameters from the last to the first: the record named last is chosen first (one that has a
        /// parent of the kind named before it, when the path has one), then its parent is the one it belongs to.
        /// A parameter whose segment names no record type takes the parameter's documented example.
        /// </summary>
        private static string Concrete(AhaSandbox sandbox, SpecOperation operation)
        {
            var segments = operation.Path.Trim('/').Split('/');
            var values = (string[])segments.Clone();
            var store = sandbox.Store;
            lock (store.Gate)
            {
                Record? child = null;
                for (var i = segments.Length - 1; i >= 0; i--)
                {
                    var segment = segments[i];
                    var open = segment.IndexOf('{');
                    if (open < 0)
                    {
                        continue;
                    }

                    var close = segment.IndexOf('}', open);
                    var parameter = segment.Substring(open + 1, close - open - 1);
                    var kind = (i > 0 ? store.KindOf(segments[i - 1]) : null)
                        ?? (parameter.EndsWith("_id", StringComparison.Ordinal) ? store.KindOf(parameter.Substring(0, parameter.Length - 3)) : null);
                    string value;
                    if (kind != null)
                    {
                        var candidates = store.All(kind);
                        var parentKind = i >= 3 && segments[i - 2].StartsWith("{", StringComparison.Ordinal) ? store.KindOf(segments[i - 3]) : null;
                        Record? record = null;
                        if (child != null && child.Links.TryGetValue(kind.Name, out var ids))
                        {
                            record = ids.Select(id => store.Find(kind, id)).FirstOrDefault(r => r != null);
                        }

                        record ??= parentKind != null ? candidates.FirstOrDefault(r => r.Link(parentKind.Name) is string p && store.Find(parentKind, p) != null) : null;
                        record ??= operation.Method == "DELETE" ? candidates.LastOrDefault() : candidates.FirstOrDefault(r => r.Link("product") != null) ?? candidates.FirstOrDefault();
                        child = record;
                        value = record != null ? record.Key ?? record.Id : "no-" + kind.Name;
                    }
                    else
                    {
                        value = ParameterExample(operation, parameter) ?? "1";
                    }

                    values[i] = segment.Substring(0, open) + Uri.EscapeDataString(value) + segment.Substring(close + 1);
                }
            }

            return "/" + string.Join("/", values);
        }

        private static string? ParameterExample(SpecOperation operation, string name) =>
            (operation.Operation["parameters"] as JsonArray)?.OfType<JsonObject>()
                .Where(p => p["name"]?.ToString() == name)
                .Select(p => p["example"]?.ToString() ?? p["schema"]?["example"]?.ToString())
                .FirstOrDefault(v => !string.IsNullOrEmpty(v));

        private static string Shorten(string text) => text.Length > 300 ? text.Substring(0, 300) + "..." : text;
    }
}
