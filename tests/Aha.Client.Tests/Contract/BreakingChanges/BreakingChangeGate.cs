using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Contract.BreakingChanges
{
    /// <summary>
    /// The breaking-change gate: compares openapi/aha.yaml with the spec of the last release
    /// (openapi/released/aha.&lt;version&gt;.yaml) using api-smart-diff (build/openapi-tools/spec-diff.mjs), and
    /// refuses breaking changes unless the package's major version (VersionPrefix in Directory.Build.props) is above
    /// the released one. Each breaking change is reported under the operations it affects (operationId, method, path).
    /// </summary>
    /// <remarks>
    /// Policy, on top of api-smart-diff's own "breaking" classification (removed operation, new required parameter or
    /// request property, dropped request body, narrowed types, ...): for a generated SDK, anything that removes or
    /// changes a generated member also breaks users' code, even where the HTTP API stays compatible, so these count too:
    /// a removed (or renamed) schema property, request or response; a changed <c>type</c>/<c>format</c>; a removed
    /// parameter; a removed success response; a changed operationId (the method name).
    /// </remarks>
    internal static class BreakingChangeGate
    {
        private static readonly string[] HttpMethods = { "get", "put", "post", "delete", "options", "head", "patch", "trace" };

        public static string ReleasedDir => Repo.PathOf("openapi", "released");

        /// <summary>The package version (VersionPrefix) from Directory.Build.props.</summary>
        public static Version CurrentVersion()
        {
            var props = File.ReadAllText(Repo.PathOf("Directory.Build.props"));
            var match = Regex.Match(props, @"<VersionPrefix>\s*([0-9]+\.[0-9]+\.[0-9]+)\s*</VersionPrefix>");
            Assert.That(match.Success, "Directory.Build.props must set <VersionPrefix>major.minor.patch</VersionPrefix>");
            return Version.Parse(match.Groups[1].Value);
        }

        /// <summary>The newest openapi/released/aha.&lt;version&gt;.yaml.</summary>
        public static (Version Version, string Path) LastRelease()
        {
            var releases = Directory.Exists(ReleasedDir)
                ? Directory.EnumerateFiles(ReleasedDir, "aha.*.yaml")
                    .Select(f => (Match: Regex.Match(System.IO.Path.GetFileName(f), @"^aha\.([0-9]+\.[0-9]+\.[0-9]+)\.yaml$"), Path: f))
                    .Where(x => x.Match.Success)
                    .Select(x => (Version: Version.Parse(x.Match.Groups[1].Value), x.Path))
                    .OrderBy(x => x.Version)
                    .ToList()
                : new List<(Version, string)>();
            Assert.That(releases, Is.Not.Empty, "openapi/released/ must hold the spec of the last release as aha.<version>.yaml");
            return releases[releases.Count - 1];
        }

        public static GateResult Check(string releasedSpec, Version releasedVersion, string currentSpec, Version currentVersion)
        {
            var tool = NpmTools.Ensure("api-smart-diff", Path.Combine("node_modules", "api-smart-diff", "package.json"));
            var script = Path.Combine(Path.GetDirectoryName(tool)!, "..", "..", "spec-diff.mjs");
            var compared = new[] { AsTheSdkSeesIt(releasedSpec), AsTheSdkSeesIt(currentSpec) };
            ProcessResult run;
            try
            {
                run = NpmTools.RunNode(Path.GetFullPath(script), compared, TimeSpan.FromMinutes(2));
            }
            finally
            {
                foreach (var file in compared)
                {
                    File.Delete(file);
                }
            }

            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"spec-diff.mjs could not compare {releasedSpec} with {currentSpec} (exit {run.ExitCode}):{Environment.NewLine}{run.Stderr}");
            }

            var timer = System.Diagnostics.Stopwatch.StartNew();
            var diffs = ((JArray)JObject.Parse(run.Stdout)["diffs"]!).Select(d => new SpecChange(
                (string)d["type"]!,
                (string)d["action"]!,
                d["path"]!.Select(p => (string)p!).ToList(),
                (string?)d["description"] ?? string.Empty,
                d["before"]?.ToString(Newtonsoft.Json.Formatting.None),
                d["after"]?.ToString(Newtonsoft.Json.Formatting.None))).ToList();

            var before = Cached(releasedSpec);
            var after = Cached(currentSpec);
            var users = new Dictionary<string, List<string>>(ComponentUsers(before), StringComparer.Ordinal);
            foreach (var pair in ComponentUsers(after))
            {
                users[pair.Key] = users.TryGetValue(pair.Key, out var existing) ? existing.Union(pair.Value).ToList() : pair.Value;
            }

            foreach (var change in diffs)
            {
                change.Breaking = IsBreaking(change);
                change.Operations = Operations(change.Path, before, after, users);
            }

            TestContext.Progress.WriteLine($"gate: api-smart-diff {run.Elapsed.TotalSeconds:0.0} s, policy and operation mapping {timer.Elapsed.TotalSeconds:0.0} s");
            return new GateResult(releasedSpec, releasedVersion, currentVersion, diffs);
        }

        /// <summary>
        /// A copy of a spec as the generated SDK sees it, written to a temporary JSON file for the diff. Two kinds of
        /// change cannot break the SDK's users, so they are taken out before comparing:
        /// <list type="bullet">
        /// <item><description>A shape schema (a component with <c>x-aha-csharp-type</c>, such as <c>AhaId</c>: string or
        /// integer, generated as <c>string</c>) is compared as the C# type it becomes (<c>string</c> as
        /// <c>{type: string}</c>, <c>double</c> as <c>{type: number}</c>, <c>object</c> and a hand-written type such as
        /// <c>Pagination</c> as any value). A response member that now also accepts the numbers Aha! really sends
        /// keeps its C# type, so no user code changes; retyping a member to a shape of another C# type still fails.</description></item>
        /// <item><description><c>nullable</c> is dropped: with <c>generateOptionalPropertiesAsNullable</c> every optional
        /// member is already nullable in C#, so a member (or record schema) that becomes nullable changes no generated
        /// signature (the DTO template keeps list items non-null).</description></item>
        /// </list>
        /// </summary>
        /// <summary>The schemas nswag.json keeps out of generation: their C# types are the shapes' or hand-written ones.</summary>
        private static readonly Lazy<HashSet<string>> HandWrittenTypes = new(() => new HashSet<string>(
            JObject.Parse(File.ReadAllText(Repo.PathOf("nswag.json"))).SelectTokens("$..excludedTypeNames[*]").Select(t => (string)t!),
            StringComparer.Ordinal));

        internal static string AsTheSdkSeesIt(string specPath)
        {
            var spec = Cached(specPath).DeepClone();
            var shapes = new Dictionary<string, JToken>(StringComparer.Ordinal);
            foreach (var schema in (spec["components"]?["schemas"] as JObject)?.Properties() ?? Enumerable.Empty<JProperty>())
            {
                var csharp = (string?)schema.Value["x-aha-csharp-type"];
                if (csharp == null && HandWrittenTypes.Value.Contains(schema.Name))
                {
                    csharp = schema.Name; // excluded from generation in nswag.json in this version too: a hand-written type
                }

                if (csharp != null)
                {
                    shapes["#/components/schemas/" + schema.Name] = csharp switch
                    {
                        "string" => new JObject { ["type"] = "string" },
                        "double" => new JObject { ["type"] = "number" },
                        // object, and a hand-written type (Pagination): its C# signature does not come from the spec,
                        // so widening what it reads (current_page as "1") changes nothing for users; what it reads is
                        // checked by the reference round trips and the wire tests instead
                        _ => new JObject(),
                    };
                }
            }

            foreach (var shape in shapes)
            {
                spec["components"]!["schemas"]![shape.Key.Substring("#/components/schemas/".Length)] = shape.Value.DeepClone();
            }

            foreach (var reference in spec.SelectTokens("$..['$ref']").ToList())
            {
                if (reference.Parent?.Parent is JObject holder && holder.Count == 1 && shapes.TryGetValue((string)reference!, out var replacement))
                {
                    holder.Replace(replacement.DeepClone());
                }
            }

            // a schema marked x-aha-inline was an inline object, named only so that its class can carry a description
            // (NJsonSchema gives none to a class made from an inline schema): it compares as written inline, where the
            // released spec has it, so the move changes nothing for the SDK (same class, same members)
            foreach (var reference in spec.SelectTokens("$..['$ref']").ToList())
            {
                var pointer = (string)reference!;
                if (reference.Parent?.Parent is JObject { Count: 1 } holder && pointer.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                    && spec["components"]?["schemas"]?[pointer.Substring("#/components/schemas/".Length)] is JObject { } target
                    && (bool?)target["x-aha-inline"] == true)
                {
                    var inline = (JObject)target.DeepClone();
                    inline.Remove("x-aha-inline");
                    holder.Replace(inline);
                }
            }

            // innermost first: flattening a holder copies its inner schema, so a nested holder must be done before
            foreach (var holder in spec.SelectTokens("$..allOf").Select(t => t.Parent?.Parent).OfType<JObject>().Reverse().ToList())
            {
                // a one-item allOf only carries documentation (description, x-decision) next to its schema:
                // {description, allOf: [{type: string}]} compares as {description, type: string}, and
                // {description, allOf: [{$ref: X}]} (how a $ref gets a description) compares as {$ref: X}
                if (holder["allOf"] is JArray { Count: 1 } single && single[0] is JObject inner
                    && holder.Properties().All(p => p.Name is "allOf" or "description" || p.Name.StartsWith("x-", StringComparison.Ordinal)))
                {
                    if (inner["$ref"] != null)
                    {
                        holder.Replace(inner.DeepClone());
                        continue;
                    }

                    holder.Remove("allOf");
                    foreach (var p in inner.Properties())
                    {
                        holder[p.Name] = p.Value.DeepClone();
                    }
                }
            }

            // examples never break the SDK (IsBreaking ignores them) and dominate the diff's running time
            foreach (var example in spec.SelectTokens("$..example").Concat(spec.SelectTokens("$..examples")).Select(t => t.Parent).OfType<JProperty>().ToList())
            {
                if (example.Parent?.Parent is not JProperty { Name: "properties" } && example.Parent != null)
                {
                    example.Remove();
                }
            }

            foreach (var nullable in spec.SelectTokens("$..nullable").Select(t => t.Parent).OfType<JProperty>().ToList())
            {
                nullable.Remove();
            }

            var file = Path.Combine(Path.GetTempPath(), "aha-gate-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".json");
            File.WriteAllText(file, spec.ToString(Newtonsoft.Json.Formatting.None));
            return file;
        }

        private static readonly Dictionary<(string, DateTime), JToken> Specs = new();

        private static JToken Cached(string path)
        {
            var key = (Path.GetFullPath(path), File.GetLastWriteTimeUtc(path));
            lock (Specs)
            {
                if (!Specs.TryGetValue(key, out var spec))
                {
                    Specs[key] = spec = SpecJson.Load(path);
                }

                return spec;
            }
        }

        /// <summary>The gate's policy (see the class remarks).</summary>
        internal static bool IsBreaking(SpecChange change)
        {
            if (change.Type == "breaking")
            {
                return true;
            }

            var path = change.Path;
            if (path.Count < 2 || path.Contains("examples") || path.Contains("example") || path.Contains("description"))
            {
                return false;
            }

            var last = path[path.Count - 1];
            var parent = path[path.Count - 2];
            return change.Action switch
            {
                "remove" => parent == "properties" || parent == "parameters" || last == "requestBody" || (parent == "responses" && last.StartsWith("2", StringComparison.Ordinal)),
                "replace" => (last is "type" or "format" && path.Any(p => p is "schema" or "schemas" or "properties" or "items")) || last == "operationId",
                "rename" => parent == "properties",
                _ => false,
            };
        }

        /// <summary>"Features_Update (PUT /features/{id})" for each operation a change touches.</summary>
        private static IReadOnlyList<string> Operations(IReadOnlyList<string> path, JToken before, JToken after, Dictionary<string, List<string>> users)
        {
            if (path.Count >= 2 && path[0] == "paths")
            {
                var methods = path.Count >= 3 && HttpMethods.Contains(path[2]) ? new[] { path[2] } : HttpMethods;
                var found = new List<string>();
                foreach (var method in methods)
                {
                    var op = before["paths"]?[path[1]]?[method] ?? after["paths"]?[path[1]]?[method];
                    if (op != null)
                    {
                        found.Add(Describe((string?)op["operationId"], method, path[1]));
                    }
                }

                return found.Count > 0 ? found : new[] { $"(path {path[1]})" };
            }

            if (path.Count >= 3 && path[0] == "components")
            {
                var pointer = $"#/components/{path[1]}/{path[2]}";
                return users.TryGetValue(pointer, out var ops) && ops.Count > 0 ? ops : new[] { $"(component {path[1]}.{path[2]}, used by no operation)" };
            }

            return new[] { "(document: " + string.Join(".", path) + ")" };
        }

        private static string Describe(string? operationId, string method, string path) =>
            $"{operationId ?? "(no operationId)"} ({method.ToUpperInvariant()} {path})";

        /// <summary>For every component (#/components/kind/name), the operations that reach it through $ref, transitively.</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JToken, Dictionary<string, List<string>>> UsersBySpec = new();

        private static Dictionary<string, List<string>> ComponentUsers(JToken spec) => UsersBySpec.GetValue(spec, ComputeComponentUsers);

        private static Dictionary<string, List<string>> ComputeComponentUsers(JToken spec)
        {
            var direct = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            if (spec["components"] is JObject components)
            {
                foreach (var kind in components.Properties())
                {
                    foreach (var component in ((JObject)kind.Value).Properties())
                    {
                        direct[$"#/components/{kind.Name}/{component.Name}"] = Refs(component.Value);
                    }
                }
            }

            var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var pathItem in (spec["paths"] as JObject)?.Properties() ?? Enumerable.Empty<JProperty>())
            {
                var shared = pathItem.Value["parameters"];
                foreach (var method in HttpMethods)
                {
                    if (pathItem.Value[method] is not JObject operation)
                    {
                        continue;
                    }

                    var reached = new HashSet<string>(StringComparer.Ordinal);
                    var queue = new Queue<string>(Refs(operation).Concat(shared is null ? Enumerable.Empty<string>() : Refs(shared)));
                    while (queue.Count > 0)
                    {
                        var next = queue.Dequeue();
                        if (reached.Add(next) && direct.TryGetValue(next, out var more))
                        {
                            foreach (var m in more)
                            {
                                queue.Enqueue(m);
                            }
                        }
                    }

                    var name = Describe((string?)operation["operationId"], method, pathItem.Name);
                    foreach (var component in reached)
                    {
                        if (!users.TryGetValue(component, out var list))
                        {
                            users[component] = list = new List<string>();
                        }

                        list.Add(name);
                    }
                }
            }

            return users;
        }

        private static HashSet<string> Refs(JToken token) =>
            token.SelectTokens("$..['$ref']").Select(t => (string)t!).Where(r => r.StartsWith("#/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>One change reported by api-smart-diff.</summary>
    internal sealed class SpecChange
    {
        public SpecChange(string type, string action, IReadOnlyList<string> path, string description, string? before = null, string? after = null)
        {
            Type = type;
            Action = action;
            Path = path;
            Description = description;
            Before = before;
            After = after;
        }

        public string? Before { get; }

        public string? After { get; }

        /// <summary>api-smart-diff's classification: breaking, non-breaking, deprecated, annotation, unclassified.</summary>
        public string Type { get; }

        public string Action { get; }

        public IReadOnlyList<string> Path { get; }

        public string Description { get; }

        /// <summary>Breaking under the gate's policy.</summary>
        public bool Breaking { get; set; }

        public IReadOnlyList<string> Operations { get; set; } = Array.Empty<string>();

        /// <summary>api-smart-diff's description, or one of ours where it has none or only says "annotation".</summary>
        public string Text => (Description.Length > 0 && !Description.Contains("annotation") && !Description.StartsWith(" ", StringComparison.Ordinal) ? Description : Describe()) + $" at {string.Join(".", Path)}";

        private string Describe()
        {
            var last = Path[Path.Count - 1];
            var parent = Path.Count > 1 ? Path[Path.Count - 2] : string.Empty;
            var owner = Path.Count > 2 && Path[0] == "components" ? $" of {Path[1]}.{Path[2]}" : string.Empty;
            var verb = Action switch { "remove" => "[Removed]", "add" => "[Added]", "replace" => "[Replaced]", "rename" => "[Renamed]", _ => $"[{Action}]" };
            if (parent == "properties")
            {
                return $"{verb} property `{last}`{owner}";
            }

            if (Action == "replace" && last is "type" or "format")
            {
                var property = Path.Count > 2 && Path[Path.Count - 3] == "properties" ? $" of property `{parent}`" : string.Empty;
                return $"[Replaced] {last}{property}{owner}: {Before} -> {After}";
            }

            return $"{verb} {last}{owner}";
        }
    }

    internal sealed class GateResult
    {
        public GateResult(string releasedSpec, Version releasedVersion, Version currentVersion, IReadOnlyList<SpecChange> changes)
        {
            ReleasedSpec = releasedSpec;
            ReleasedVersion = releasedVersion;
            CurrentVersion = currentVersion;
            Changes = changes;
        }

        public string ReleasedSpec { get; }

        public Version ReleasedVersion { get; }

        public Version CurrentVersion { get; }

        public IReadOnlyList<SpecChange> Changes { get; }

        public IReadOnlyList<SpecChange> Breaking => Changes.Where(c => c.Breaking).ToList();

        public bool MajorBumped => CurrentVersion.Major > ReleasedVersion.Major;

        public bool Passed => CurrentVersion >= ReleasedVersion && (Breaking.Count == 0 || MajorBumped);

        /// <summary>Breaking changes grouped by operation: "Features_Update (PUT /features/{id})" -> descriptions.</summary>
        public IReadOnlyDictionary<string, List<string>> BreakingByOperation =>
            Breaking.SelectMany(c => c.Operations.Select(o => (Operation: o, c.Text)))
                .GroupBy(x => x.Operation, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(x => x.Text).Distinct().ToList(), StringComparer.Ordinal);

        public string Report()
        {
            var released = System.IO.Path.GetFileName(ReleasedSpec);
            var sb = new StringBuilder();
            if (CurrentVersion < ReleasedVersion)
            {
                sb.AppendLine($"VersionPrefix {CurrentVersion} is older than the last release {ReleasedVersion} (openapi/released/{released}).");
            }

            var byOperation = BreakingByOperation;
            if (byOperation.Count == 0)
            {
                sb.AppendLine($"No breaking change in openapi/aha.yaml since openapi/released/{released} ({Changes.Count} changes in all).");
            }
            else
            {
                sb.AppendLine(MajorBumped
                    ? $"Breaking changes since {ReleasedVersion}, allowed by the major version bump to {CurrentVersion}:"
                    : $"Breaking changes in openapi/aha.yaml since the release {ReleasedVersion} (openapi/released/{released}), but VersionPrefix is {CurrentVersion} (Directory.Build.props): bump the major version to {ReleasedVersion.Major + 1}.0.0, or undo the change. {byOperation.Count} operation(s) affected:");
                foreach (var pair in byOperation)
                {
                    sb.AppendLine("  " + pair.Key);
                    foreach (var text in pair.Value.Take(10))
                    {
                        sb.AppendLine("    - " + text);
                    }

                    if (pair.Value.Count > 10)
                    {
                        sb.AppendLine($"    - … and {pair.Value.Count - 10} more");
                    }
                }
            }

            var other = Changes.Where(c => !c.Breaking).ToList();
            if (other.Count > 0)
            {
                sb.AppendLine($"Non-breaking changes: {other.Count} (" + string.Join(", ", other.GroupBy(c => c.Type + " " + c.Action).Select(g => $"{g.Count()} {g.Key}")) + ").");
            }

            return sb.ToString();
        }
    }
}
