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
        /// <summary>Set by a local experiment to collect one line per operation; null in CI.</summary>
        /// <summary>Values for parameters that name no record type: by parameter name, or by the segment before it.</summary>
        private static readonly Dictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["integration_id"] = "204584239",
            ["field_name"] = "key",
            ["field_value"] = "JRA-1",
            // the search id of the spec's example: the sandbox holds that search, done, with the documented results
            ["search_id"] = "6776757454428658092",
        };

        private static readonly List<string>? SandboxReport = Environment.GetEnvironmentVariable("SANDBOX_WALK_REPORT") != null ? new List<string>() : null;

        [Test]
        public async Task Every_operation_answers_in_its_documented_shape()
        {
            var specPath = Environment.GetEnvironmentVariable("SANDBOX_WALK_SPEC");
            var document = SpecDocument.Load(string.IsNullOrEmpty(specPath) ? null : specPath)!;
            Assert.That(document, Is.Not.Null, "the sandbox embeds the spec");
            var validator = new SpecValidator(document.ToJsonString());

            await using var sandbox = await Sandboxes.SmallAsync(o => o.SpecPath = string.IsNullOrEmpty(specPath) ? null : specPath);
            using var http = sandbox.CreateHttpClient();

            // The recycle bin gets one entry, so that the restore operation has something to restore.
            string deleted;
            lock (sandbox.Store.Gate)
            {
                deleted = sandbox.Store.All(Kinds.Feature).Last().Key!;
            }

            using (var delete = await http.DeleteAsync("features/" + deleted))
            {
                Assert.That((int)delete.StatusCode, Is.EqualTo(204));
            }

            // An integration field on the feature the walk picks first (for the field reads and lookups), and one on the
            // second (for the delete: converting the first feature to an epic removes it and its fields).
            string[] firstTwo;
            lock (sandbox.Store.Gate)
            {
                firstTwo = sandbox.Store.All(Kinds.Feature).Where(r => r.Link("product") != null).Take(2).Select(r => r.Key!).ToArray();
            }

            foreach (var feature in firstTwo)
            {
                using var post = await http.PostAsync($"features/{feature}/integrations/204584239/fields", Sandboxes.Json("{\"integration_field\": {\"name\": \"key\", \"value\": \"JRA-1\"}}"));
                Known["integration_fields"] = (await post.ReadObjectAsync())["integration_field"]!["id"]!.GetValue<string>();
            }

            var operations = SpecDocument.Operations(document);
            var order = new[] { "GET", "POST", "PUT", "PATCH", "DELETE" };
            var problems = sandbox.UnservedOperations.Select(u => "no route for " + u).ToList();
            var walked = 0;
            var clock = Stopwatch.StartNew();
            // Reads, writes, the reads again (lists and audits now hold what the writes made), then deletes.
            var reads = operations.Where(o => o.Method == "GET").ToList();
            var sequence = reads.Concat(operations.Where(o => o.Method is "POST" or "PUT" or "PATCH").OrderBy(o => Array.IndexOf(order, o.Method)))
                .Concat(reads).Concat(operations.Where(o => o.Method == "DELETE")).ToList();
            foreach (var operation in sequence)
            {
                var name = (operation.OperationId ?? "?") + " (" + operation.Method + " " + operation.Path + ")";
                var uri = Concrete(sandbox, operation) + RequiredQuery(operation);
                var body = RequestExample(operation);
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), uri.TrimStart('/'))
                {
                    Content = body == null ? null : Sandboxes.Json(body.ToJsonString()),
                };
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                walked++;

                var (status, pointer) = Success(operation);
                if (SandboxReport != null)
                {
                    SandboxReport.Add($"{operation.Method} {operation.Path} -> {(int)response.StatusCode}");
                }

                if ((int)response.StatusCode != status)
                {
                    problems.Add($"{name} {uri}: answered {(int)response.StatusCode}, documented {status}: {Shorten(text)}");
                    continue;
                }

                if (pointer != null && validator.Has(pointer))
                {
                    var errors = validator.Validate(pointer, text);
                    if (errors.Count > 0)
                    {
                        // Tells a sandbox fault from a spec whose own example breaks its schema (then fix the spec).
                        var example = new SpecRoutes(document).SuccessOf(operation).Example;
                        var note = example != null && validator.Validate(pointer, example.ToJsonString()).Count > 0 ? " [the spec's own example fails this schema too]" : string.Empty;
                        problems.AddRange(errors.Take(5).Select(error => $"{name} {uri}: {error}{note}"));
                    }
                }
            }

            TestContext.Out.WriteLine($"{operations.Count} operations walked ({walked} requests) in {clock.ElapsedMilliseconds} ms ({sandbox.GenericRoutes.Count} served by the spec-driven layer); {problems.Count} problems.");
            if (SandboxReport != null)
            {
                System.IO.File.WriteAllLines(Environment.GetEnvironmentVariable("SANDBOX_WALK_REPORT")!, SandboxReport.Concat(problems));
            }

            Assert.That(sequence.Distinct().Count(), Is.EqualTo(operations.Count), "every operation walked");
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

        /// <summary>
        /// The query parameters the operation requires (the historical audits' time window), with values that hold every
        /// record: <c>?created_since=2000-01-01T00:00:00Z&amp;created_before=2100-01-01T00:00:00Z</c>; empty when none is required.
        /// </summary>
        private static string RequiredQuery(SpecOperation operation)
        {
            var pairs = (operation.Operation["parameters"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                .Where(p => (string?)p["in"] == "query" && p["required"]?.GetValue<bool>() == true)
                .Select(p => (string)p["name"]! + "=" + ((string?)p["schema"]?["format"] == "date-time"
                    ? ((string)p["name"]!).EndsWith("_since", StringComparison.Ordinal) ? "2000-01-01T00:00:00Z" : "2100-01-01T00:00:00Z"
                    : "1"))
                .ToList();
            return pairs.Count == 0 ? string.Empty : "?" + string.Join("&", pairs);
        }

        private static JsonNode? RequestExample(SpecOperation operation)
        {
            // A file upload's JSON form (an attachment link, x-aha-json-alternative) stands for its body: the walk sends JSON.
            var media = SpecRoutes.JsonMedia(operation.Operation["requestBody"]?["content"]) ?? operation.Operation["requestBody"]?["x-aha-json-alternative"];
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
                    // A parameter named after a type (release_id) names that type; {id} names the segment's type.
                    var kind = (parameter.EndsWith("_id", StringComparison.Ordinal) ? store.KindOf(parameter.Substring(0, parameter.Length - 3)) : null)
                        ?? (i > 0 ? store.KindOf(segments[i - 1]) : null);
                    string value;
                    if (i + 1 < segments.Length && segments[i + 1] == "fields" && Known.TryGetValue(parameter, out var owner))
                    {
                        value = owner; // the integration that holds the walk's integration field, whatever integrations exist
                    }
                    else if (parameter == "search_id")
                    {
                        value = Known[parameter]; // a search, not a record of the index that shares its path
                    }
                    else if (i > 0 && segments[i - 1] == "deletions")
                    {
                        value = store.Deletions().Select(d => d.Id).FirstOrDefault() ?? "empty-recycle-bin";
                    }
                    else if (kind != null)
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
                        value = (i > 0 && Known.TryGetValue(segments[i - 1], out var bySegment) ? bySegment : null)
                            ?? (Known.TryGetValue(parameter, out var byName) ? byName : null)
                            ?? ParameterExample(operation, parameter) ?? "1";
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
