using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Aha.Client.Tests.Contract.Schemas;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.Reference
{
    /// <summary>One JSON example published by Aha! (its OpenAPI document or a docs page), matched to an operation of our spec.</summary>
    public sealed class ReferenceExample
    {
        public ReferenceExample(string label, string method, string pathShape, bool isRequest, string status, string json)
        {
            Label = label;
            Method = method;
            PathShape = pathShape;
            IsRequest = isRequest;
            Status = status;
            Json = json;
        }

        /// <summary>Where the example comes from, unique: <c>aha-openapi.json PUT /releases/{id} response 200</c> or <c>releases.md "Create a release" request</c>.</summary>
        public string Label { get; }

        public string Method { get; }

        /// <summary>The path with every parameter written <c>{}</c>.</summary>
        public string PathShape { get; }

        public bool IsRequest { get; }

        /// <summary>The response status (<c>200</c> for docs pages); empty for requests.</summary>
        public string Status { get; }

        /// <summary>The example exactly as published.</summary>
        public string Json { get; }

        public JToken Value => JsonAssert.Parse(Json);

        public override string ToString() => Label;
    }

    /// <summary>
    /// Reads every JSON example of Aha!'s own API description straight from the shared reference folder
    /// (<c>aha-openapi.json</c> and <c>aha-docs-pages/*.md</c>) and matches each to the operation of openapi/aha.yaml with
    /// the same method and path shape. The folder is <c>shared/reference</c> beside the repository (or beside one of its
    /// parent folders); <c>AHA_REFERENCE_DIR</c> overrides it.
    /// </summary>
    internal static class ReferenceExamples
    {
        private static readonly Lazy<IReadOnlyList<ReferenceExample>> LazyAll = new(Load);

        private static readonly Lazy<IReadOnlyDictionary<(string Method, string Shape), SpecOperation>> LazyOperations = new(() =>
            Spec.Operations.ToDictionary(o => (o.Method, Shape(o.Path)), o => o));

        /// <summary>The reference folder, or an exception that says where it was looked for.</summary>
        public static string Directory { get; } = FindDirectory();

        /// <summary>Every example published for an operation our spec has.</summary>
        public static IReadOnlyList<ReferenceExample> All => LazyAll.Value;

        /// <summary>The operation of our spec an example belongs to.</summary>
        public static SpecOperation OperationOf(ReferenceExample example) => LazyOperations.Value[(example.Method, example.PathShape)];

        /// <summary>JSON pointer (in openapi/aha.yaml) of the schema the example must satisfy, or null when the operation declares none.</summary>
        public static string? SchemaPointerOf(ReferenceExample example)
        {
            var operation = OperationOf(example);
            var op = SpecJson.Root["paths"]![operation.Path]![operation.Method.ToLowerInvariant()]!;
            var prefix = $"#/paths/{SpecSchemas.Escape(operation.Path)}/{operation.Method.ToLowerInvariant()}";
            if (example.IsRequest)
            {
                return op["requestBody"]?["content"]?["application/json"]?["schema"] is null ? null : prefix + "/requestBody/content/application~1json/schema";
            }

            var status = example.Status == "200" && op["responses"]?["200"] is null ? operation.Success.Key : example.Status;
            var response = op["responses"]?[status];
            if (response?["$ref"] is JValue reference)
            {
                var name = ((string)reference!).Split('/').Last();
                return SpecJson.Root["components"]!["responses"]![name]!["content"]?["application/json"]?["schema"] is null ? null : $"#/components/responses/{name}/content/application~1json/schema";
            }

            return response?["content"]?["application/json"]?["schema"] is null ? null : $"{prefix}/responses/{status}/content/application~1json/schema";
        }

        /// <summary><c>/api/v1/products/:product_id/releases?x=1</c> and <c>/products/{id}/releases</c> both become <c>/products/{}/releases</c>.</summary>
        public static string Shape(string path)
        {
            var p = path.Split('?')[0];
            if (p.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                p = p.Substring("/api/v1".Length);
            }

            p = Regex.Replace(p, @"\{[^}]*\}", "{}");
            return Regex.Replace(p, @":[A-Za-z_]+", "{}");
        }

        private static string FindDirectory()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("AHA_REFERENCE_DIR");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return System.IO.Directory.Exists(fromEnvironment)
                    ? fromEnvironment
                    : throw new DirectoryNotFoundException($"AHA_REFERENCE_DIR={fromEnvironment} does not exist.");
            }

            var tried = new List<string>();
            for (var dir = new DirectoryInfo(Repo.Root).Parent; dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "reference");
                tried.Add(candidate);
                if (File.Exists(Path.Combine(candidate, "aha-openapi.json")))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException(
                "Aha!'s reference documents (shared/reference/aha-openapi.json and aha-docs-pages/) are not beside the repository; looked in: "
                + string.Join(", ", tried) + ". Put the shared folder beside the clone (as CI does) or set AHA_REFERENCE_DIR.");
        }

        private static IReadOnlyList<ReferenceExample> Load()
        {
            var found = new List<ReferenceExample>();
            found.AddRange(FromOpenApiDocument(Path.Combine(Directory, "aha-openapi.json")));
            foreach (var page in System.IO.Directory.GetFiles(Path.Combine(Directory, "aha-docs-pages"), "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                found.AddRange(FromDocsPage(page));
            }

            var ours = LazyOperations.Value;
            var matched = found.Where(e => ours.ContainsKey((e.Method, e.PathShape))).ToList();
            var duplicates = matched.GroupBy(e => e.Label).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            return duplicates.Count == 0 ? matched : throw new InvalidOperationException("Reference example labels are not unique: " + string.Join("; ", duplicates));
        }

        private static IEnumerable<ReferenceExample> FromOpenApiDocument(string file)
        {
            var document = (JObject)JsonAssert.Parse(File.ReadAllText(file));
            foreach (var path in ((JObject)document["paths"]!).Properties())
            {
                foreach (var operation in ((JObject)path.Value).Properties().Where(p => p.Name is "get" or "post" or "put" or "delete" or "patch"))
                {
                    var method = operation.Name.ToUpperInvariant();
                    var label = $"aha-openapi.json {method} {path.Name}";
                    foreach (var media in (operation.Value["requestBody"]?["content"] as JObject)?.Properties() ?? Enumerable.Empty<JProperty>())
                    {
                        if (media.Name.Contains("json") && media.Value["example"] is { } example)
                        {
                            yield return new ReferenceExample(label + " request", method, Shape(path.Name), true, string.Empty, example.ToString(Formatting.None));
                        }
                    }

                    foreach (var response in (operation.Value["responses"] as JObject)?.Properties() ?? Enumerable.Empty<JProperty>())
                    {
                        foreach (var media in (response.Value["content"] as JObject)?.Properties() ?? Enumerable.Empty<JProperty>())
                        {
                            if (media.Name.Contains("json") && media.Value["example"] is { } example)
                            {
                                yield return new ReferenceExample($"{label} response {response.Name}", method, Shape(path.Name), false, response.Name, example.ToString(Formatting.None));
                            }
                        }
                    }
                }
            }
        }

        private static readonly Regex Endpoint = new(@"\*\*(GET|POST|PUT|DELETE|PATCH)\*\* `([^`]+)`", RegexOptions.CultureInvariant);
        private static readonly Regex CurlBody = new(@"curl [^\n]* -d '(.*?)'(?: -X| \\)", RegexOptions.CultureInvariant);
        private static readonly Regex ResponseBlock = new(@"\*\*Response:\*\*\s*```json\n(.*?)\n```", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        private static IEnumerable<ReferenceExample> FromDocsPage(string file)
        {
            var name = Path.GetFileName(file);
            var text = File.ReadAllText(file).Replace("\r\n", "\n");
            var titles = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var section in text.Split(new[] { "\n## " }, StringSplitOptions.None).Skip(1))
            {
                var endpoint = Endpoint.Match(section);
                if (!endpoint.Success)
                {
                    continue;
                }

                var title = section.Split('\n')[0].Trim();
                titles[title] = titles.TryGetValue(title, out var n) ? n + 1 : 1;
                var label = $"{name} \"{title}\"" + (titles[title] > 1 ? $" #{titles[title]}" : string.Empty);
                var method = endpoint.Groups[1].Value;
                var shape = Shape(endpoint.Groups[2].Value);
                var bodies = 0;
                foreach (Match body in CurlBody.Matches(section))
                {
                    // a multipart form upload (the attachment pages' "via a link" variants) is not a JSON example
                    var bodyText = body.Groups[1].Value.Trim();
                    if (bodyText.Length > 0 && (bodyText[0] == '{' || bodyText[0] == '['))
                    {
                        // a section may show several curl bodies (integrations.md "Enable integration"): number the later ones
                        bodies++;
                        yield return new ReferenceExample(label + " request" + (bodies > 1 ? $" #{bodies}" : string.Empty), method, shape, true, string.Empty, body.Groups[1].Value);
                    }
                }

                var response = ResponseBlock.Match(section);
                if (response.Success)
                {
                    yield return new ReferenceExample(label + " response", method, shape, false, "200", response.Groups[1].Value);
                }
            }
        }
    }
}
