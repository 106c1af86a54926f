using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli;
using Aha.Cli.Resources;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Cli
{
    /// <summary>
    /// <c>aha get</c> and <c>aha export</c> on every resource the generated clients can list or read (found by
    /// reflection, not from a hand list), against one sandbox; lists kept per parent are reached with <c>--in</c>.
    /// </summary>
    [TestFixture]
    public sealed class CliEveryResourceTests
    {
        private AhaSandbox _sandbox = null!;

        [OneTimeSetUp]
        public async Task StartAsync()
        {
            var options = CliExportTests.Unlimited();
            CliRunner.SmallDemo(options);
            _sandbox = await AhaSandbox.StartAsync(options);
            await SeedUnderParentsAsync();
        }

        /// <summary>The key of the custom table the setup writes a record into.</summary>
        private const string CustomTableKey = "vendors";

        /// <summary>
        /// Records that the demo data and the spec's examples do not hold, written through the sandbox's API (one POST
        /// each) so that their lists and reads are checked: an idea subscription, a product's integration and note, and a
        /// custom table record.
        /// </summary>
        private async Task SeedUnderParentsAsync()
        {
            var idea = SomeId("idea")!;
            var product = SomeId("product")!;
            using var http = _sandbox.CreateHttpClient();
            foreach (var (path, body) in new[]
            {
                ($"ideas/{idea}/subscriptions", "{\"idea_subscription\": {\"email\": \"sandra.box@example.com\"}}"),
                ($"products/{product}/integrations", "{\"integration\": {\"service_name\": \"zendesk\", \"enabled\": true}}"),
                ($"products/{product}/pages", "{\"page\": {\"name\": \"Launch checklist\", \"description_attributes\": {\"body\": \"<p>Seeded by the CLI tests</p>\"}}}"),
                ($"products/{product}/custom_objects/{CustomTableKey}/records", "{\"custom_object_record\": {\"custom_fields\": {\"name\": \"Acme Supplies\"}}}"),
            })
            {
                using var response = await http.PostAsync(path, new System.Net.Http.StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                Assert.That((int)response.StatusCode, Is.InRange(200, 201), $"POST {path}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        [OneTimeTearDown]
        public async Task StopAsync() => await _sandbox.DisposeAsync();

        /// <summary>The sandbox collection of a CLI name: <c>release-phase</c> → <c>release_phase</c>.</summary>
        private static string Collection(string name) => GeneratedResources.Singular(name).Replace('-', '_');

        private string? SomeId(string name)
        {
            var snake = name.Replace('-', '_');
            foreach (var collection in new[] { Collection(name), snake, snake + "_events" })
            {
                try
                {
                    var record = _sandbox.Records(collection, "id,reference_num,reference_prefix").FirstOrDefault();
                    if (record != null)
                    {
                        return (record["reference_num"] ?? record["reference_prefix"] ?? record["id"])?.ToString();
                    }
                }
                catch (ArgumentException)
                {
                    // a record type the sandbox names another way: try the next spelling
                }
            }

            return null;
        }

        /// <summary>
        /// A value for one <c>--in</c> step: a record id of that parent type, or, for the path values that are not record
        /// ids, one the sandbox holds (an integration field's name and value on a feature).
        /// </summary>
        private string? ValueFor(string parent)
        {
            switch (parent)
            {
                case "field-name":
                case "field-value":
                    var field = _sandbox.Records("feature", "id,integration_fields")
                        .Select(r => r["integration_fields"] as System.Text.Json.Nodes.JsonArray)
                        .FirstOrDefault(f => f != null && f.Count > 0)?[0];
                    return field?[parent == "field-name" ? "name" : "value"]?.ToString();
                case "key":
                    return CustomTableKey;
                default:
                    return SomeId(parent);
            }
        }

        /// <summary>The <c>--in</c> arguments of a parent chain (<c>product key</c>), or null when the sandbox lacks one of its values.</summary>
        private string[]? Within(string chain)
        {
            var args = new List<string>();
            foreach (var parent in chain.Split(' '))
            {
                var value = ValueFor(parent);
                if (value == null)
                {
                    return null;
                }

                args.AddRange(new[] { "--in", parent, value });
            }

            return args.ToArray();
        }

        [Test]
        public void The_catalog_covers_every_list_and_read_of_the_generated_clients()
        {
            var exportable = ResourceCatalog.ExportNames.ToHashSet(StringComparer.Ordinal);
            foreach (var list in GeneratedResources.Lists)
            {
                Assert.That(exportable, Does.Contain(list.Resource), list.Method.DeclaringType!.Name + "." + list.Method.Name);
                if (list.Parent != null)
                {
                    Assert.That(ResourceCatalog.Find(list.Resource).Parents.Keys, Does.Contain(list.Parent), list.Method.Name);
                }
            }

            var readable = ResourceCatalog.GetNames.ToHashSet(StringComparer.Ordinal);
            Assert.That(GeneratedResources.Gets.Select(g => g.Resource), Is.SubsetOf(readable));
            Assert.That(exportable, Does.Contain("features").And.Contain("comments").And.Contain("endorsements").And.Contain("audits"));
            Assert.That(ResourceCatalog.Find("comments").Parents.Keys, Does.Contain("idea").And.Contain("release-phase").And.Contain("todo"));
        }

        [Test]
        [CancelAfter(300_000)]
        public async Task Every_exportable_resource_exports(CancellationToken cancellationToken)
        {
            var problems = new List<string>();
            var exported = 0;
            var cursorLists = new List<string>();
            foreach (var definition in ResourceCatalog.All.Where(r => r.Export != null || r.Parents.Count > 0))
            {
                var args = new List<string> { "export", definition.Name, "--format", "ndjson", "--quiet" };
                if (definition.Export == null || definition.Filters.HasFlag(ExportFilters.RequiresProduct) || definition.Filters.HasFlag(ExportFilters.RequiresProductOrRelease))
                {
                    var within = definition.Parents.Keys.OrderBy(k => k == "product" ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal).Select(Within).FirstOrDefault(w => w != null);
                    if (within == null)
                    {
                        // only lists kept under a record; the sandbox holds no record of any of their parent types
                        TestContext.Out.WriteLine($"export {definition.Name}: no parent record ({string.Join(", ", definition.Parents.Keys)}) in the sandbox; not checked");
                        continue;
                    }

                    args.AddRange(within);
                }
                else if (definition.ExportRequires.Count > 0)
                {
                    args.AddRange(Window);
                }

                exported++;

                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, args.ToArray()), cancellationToken);
                if (run.ExitCode != ExitCodes.Success)
                {
                    problems.Add(string.Join(" ", args) + ": " + run);
                    continue;
                }

                var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                foreach (var line in lines)
                {
                    Assert.That(() => JObject.Parse(line), Throws.Nothing, definition.Name);
                }

                if (definition.ExportIsCursor)
                {
                    cursorLists.Add(definition.Name);
                }

                if (lines.Length == 0 && (SeededForTheCli.Contains(definition.Name) || definition.Name == "audits"))
                {
                    problems.Add(string.Join(" ", args) + ": no record exported, though the sandbox seeds some (an empty export checks nothing)");
                }
            }

            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
            Assert.That(exported, Is.GreaterThanOrEqualTo(ResourceCatalog.All.Count(r => r.Export != null) / 2), "most resources were exported");
            Assert.That(cursorLists, Does.Contain("audits"), "the cursor lists are exported too (the setup's writes are audited, so the export is not empty)");
        }

        /// <summary>
        /// Lists that hold records in the sandbox only through its seed of Aha!'s examples (custom layouts, strategic
        /// positionings and visions, and the estimate values of the first capacity investment): their exports must not be
        /// empty, or the test would check nothing for them.
        /// </summary>
        private static readonly string[] SeededForTheCli = { "custom-layouts", "strategic-positionings", "strategic-visions", "capacity-estimate-values" };

        /// <summary>
        /// Reads the sandbox answers with Aha!'s documented record whatever the id (a saved custom report, which Aha! offers
        /// no list of): the id a user would pass.
        /// </summary>
        private static readonly Dictionary<string, string> DocumentedReads = new(StringComparer.Ordinal)
        {
            ["custom-reports"] = "6776757454433322781",
        };

        [Test]
        [CancelAfter(300_000)]
        public async Task Every_readable_resource_reads_one_record(CancellationToken cancellationToken)
        {
            var problems = new List<string>();
            var read = 0;
            var readNames = new List<string>();
            foreach (var definition in ResourceCatalog.All.Where(r => r.Get != null))
            {
                var id = SomeId(definition.Name) ?? DocumentedReads.GetValueOrDefault(definition.Name);
                if (id == null && (definition.Parents.Count > 0 || definition.Export != null))
                {
                    // a record the sandbox keeps under a parent, or under another name (custom-layouts are screen
                    // definitions): the first one the export lists
                    id = await FirstListedIdAsync(definition, cancellationToken);
                }

                if (id == null)
                {
                    TestContext.Out.WriteLine($"get {definition.Name}: the sandbox holds no record of this type to read; not checked");
                    continue;
                }

                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "get", definition.Name, id), cancellationToken);
                if (run.ExitCode != ExitCodes.Success)
                {
                    problems.Add($"get {definition.Name} {id}: {run}");
                    continue;
                }

                Assert.That(JObject.Parse(run.Out).ToString(), Does.Contain(id.Contains('-', StringComparison.Ordinal) ? id : string.Empty), definition.Name);
                read++;
                readNames.Add(definition.Name);
            }

            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
            Assert.That(read, Is.GreaterThanOrEqualTo(13));
            Assert.That(readNames, Is.SupersetOf(DocumentedReads.Keys.Concat(SeededForTheCli.Where(n => ResourceCatalog.Find(n).Get != null))), "the resources seeded for the CLI are read");
        }

        /// <summary>The id of the first record <c>aha export</c> lists under one of the resource's parents, or null.</summary>
        private async Task<string?> FirstListedIdAsync(ResourceDefinition definition, CancellationToken cancellationToken)
        {
            var account = definition.Export != null && definition.ExportRequires.Count == 0 ? new[] { (string?)null } : Array.Empty<string?>();
            foreach (var chain in account.Concat(definition.Parents.Keys.OrderBy(k => k, StringComparer.Ordinal)))
            {
                if ((chain == null ? Array.Empty<string>() : Within(chain)) is not { } within)
                {
                    continue;
                }

                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", definition.Name, "--format", "ndjson", "--quiet", "--fields", "id" }.Concat(within).ToArray()), cancellationToken);
                var first = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                if (run.ExitCode == ExitCodes.Success && first != null && (string?)JObject.Parse(first)["id"] is { Length: > 0 } id)
                {
                    return id;
                }
            }

            return null;
        }

        [Test]
        [CancelAfter(300_000)]
        public async Task Every_record_read_under_its_parent_reads_with_in(CancellationToken cancellationToken)
        {
            var problems = new List<string>();
            var read = 0;
            foreach (var definition in ResourceCatalog.All.Where(r => r.GetsIn.Count > 0))
            {
                var chain = definition.GetsIn.Keys.FirstOrDefault(k => definition.Parents.ContainsKey(k) && Within(k) != null);
                if (chain == null)
                {
                    TestContext.Out.WriteLine($"get {definition.Name} --in ({string.Join(", ", definition.GetsIn.Keys)}): no parent record in the sandbox; not checked");
                    continue;
                }

                var within = Within(chain)!;
                var list = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", definition.Name, "--format", "ndjson", "--quiet", "--fields", "id" }.Concat(within).ToArray()), cancellationToken);
                var first = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                if (list.ExitCode != ExitCodes.Success || first == null)
                {
                    TestContext.Out.WriteLine($"get {definition.Name} {string.Join(" ", within)}: nothing listed under the parent ({list.ExitCode}); not checked");
                    continue;
                }

                var id = (string)JObject.Parse(first)["id"]!;
                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "get", definition.Name, id }.Concat(within).ToArray()), cancellationToken);
                if (run.ExitCode != ExitCodes.Success)
                {
                    problems.Add($"get {definition.Name} {id} {string.Join(" ", within)}: {run}");
                    continue;
                }

                Assert.That((string?)JObject.Parse(run.Out)["id"], Is.EqualTo(id), definition.Name);
                read++;
            }

            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
            TestContext.Out.WriteLine($"{read} records read under their parent");
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task A_list_under_two_path_values_takes_one_in_for_each_in_any_order(CancellationToken cancellationToken)
        {
            // /features/fields/{field_name}/value/{field_value}: the features whose integration field has that value
            var name = ValueFor("field-name")!;
            var value = ValueFor("field-value")!;
            Assert.That(ResourceCatalog.Find("integration-fields-find-features").Parents.Keys, Does.Contain("field-name field-value"));

            foreach (var order in new[]
            {
                new[] { "--in", "field-name", name, "--in", "field-value", value },
                new[] { "--in", "field-value:" + value, "--in", "field-name", name },
            })
            {
                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", "integration-fields-find-features", "--format", "json", "--quiet" }.Concat(order).ToArray()), cancellationToken);
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
                Assert.That(JArray.Parse(run.Out).Select(r => r["feature"]?["integration_fields"]?.ToString()), Has.Some.Contains(value), string.Join(" ", order));
            }

            var half = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "integration-fields-find-features", "--in", "field-name", name), cancellationToken);
            Assert.That(half.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), half.ToString());
            Assert.That(half.Error, Does.Contain("--in field-name ID --in field-value ID"), "the error shows the whole chain");

            var twice = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "integration-fields-find-features", "--in", "field-name", name, "--in", "field-name", name), cancellationToken);
            Assert.That(twice.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), twice.ToString());

            var odd = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "integration-fields-find-features", "--in", "field-name", name, "--in", "field-value"), cancellationToken);
            Assert.That(odd.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), odd.ToString());
            Assert.That(odd.Error, Does.Contain("--in takes a parent and its id"));
        }

        /// <summary>A time window that holds every record of the sandbox (its examples are dated 2019 to 2026).</summary>
        private static readonly string[] Window = { "--created-since", "2000-01-01", "--created-before", "2100-01-01T00:00:00Z" };

        [Test]
        public void A_list_that_needs_a_time_window_takes_it_from_created_since_and_created_before()
        {
            var index = GeneratedResources.Lists.Single(l => l.Method.DeclaringType!.Name == "HistoricalAuditsClient" && l.Method.Name == "ListAllIndexAsync");
            Assert.That(index.Requires, Is.EqualTo(new[] { "--created-since", "--created-before" }));
            Assert.That(ResourceCatalog.Find(index.Resource).ExportRequires, Is.EqualTo(index.Requires));
            Assert.That(GeneratedResources.Unreachable, Is.Empty, "every list of the generated clients can be exported");
        }

        [Test]
        public void Every_operation_of_the_historical_audits_has_a_command()
        {
            // The index is a list (export); a search is started by 'search' and read by 'get', which the reflection above
            // does not find (neither is a ListAll...Async nor a GetAsync): this names each operation and its command.
            var operations = typeof(Aha.Client.HistoricalAuditsClient).GetMethods().Where(m => m.DeclaringType == typeof(Aha.Client.HistoricalAuditsClient) && m.Name.EndsWith("Async", StringComparison.Ordinal) && !m.Name.Contains("WithResponse", StringComparison.Ordinal))
                .Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.That(operations, Is.EqualTo(new[] { "CreateSearchAsync", "GetSearchResultsAsync", "ListAllIndexAsync", "ListIndexAsync" }), "a new operation of the historical audits needs its command");
            Assert.That(ResourceCatalog.ExportNames, Does.Contain("historical-audits-index"));

            var root = AhaCli.BuildRootCommand(new CliRuntime(new CliContext(System.IO.TextWriter.Null, System.IO.TextWriter.Null, _ => null), new Aha.Cli.Errors.ErrorReporter()));
            var search = root.Subcommands.Single(c => c.Name == "search");
            Assert.That(search.Arguments.Single().GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label), Does.Contain("historical-audits"));
            var get = root.Subcommands.Single(c => c.Name == "get");
            Assert.That(get.Arguments.First().GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label), Does.Contain("historical-audit-searches").And.Contain("historical-audit-search"));
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task The_historical_audits_index_exports_within_the_window_and_refuses_a_missing_or_bad_one_before_any_request(CancellationToken cancellationToken)
        {
            var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", "historical-audits-index", "--format", "ndjson", "--quiet" }.Concat(Window).ToArray()), cancellationToken);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
            var entries = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JObject.Parse).ToList();
            Assert.That(entries, Is.Not.Empty, "the sandbox holds the documented index entries");

            var before = _sandbox.Statistics.TotalRequests;
            foreach (var (args, expected) in new (string[] Args, string[] Expected)[]
            {
                (new[] { "export", "historical-audits-index" }, new[] { "--created-since TIME and --created-before TIME", "missing: --created-since, --created-before" }),
                (new[] { "export", "historical-audits-index", "--created-since", "2024-01-01" }, new[] { "missing: --created-before" }),
                (new[] { "export", "historical-audits-index", "--created-since", "last tuesday", "--created-before", "2024-07-01" }, new[] { "--created-since 'last tuesday' is not a date" }),
                (new[] { "export", "historical-audits-index", "--created-since", "2024-07-01", "--created-before", "2024-01-01" }, new[] { "must be earlier than --created-before" }),
                (new[] { "export", "features", "--created-since", "2024-01-01" }, new[] { "features cannot be filtered by --created-since" }),
            })
            {
                var refused = await CliRunner.RunAsync(CliRunner.Against(_sandbox, args), cancellationToken);
                Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), refused.ToString());
                foreach (var text in expected)
                {
                    Assert.That(refused.Error, Does.Contain(text), string.Join(" ", args));
                }
            }

            Assert.That(_sandbox.Statistics.TotalRequests, Is.EqualTo(before), "usage errors cost no request");

            // Without the window Aha! (and the sandbox) refuse the index: the tool sent both values.
            using var http = _sandbox.CreateHttpClient();
            using var bare = await http.GetAsync("historical_audits", cancellationToken);
            Assert.That((int)bare.StatusCode, Is.EqualTo(400), await bare.Content.ReadAsStringAsync(cancellationToken));
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task The_time_window_filters_the_lists_that_offer_it(CancellationToken cancellationToken)
        {
            // ideas (tuned) and the account's endorsements (generated: optional created_since/created_before) take the window as a filter
            foreach (var resource in new[] { "ideas", "ideas-account-endorsements" })
            {
                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", resource, "--format", "ndjson", "--quiet", "--fields", "id" }.Concat(Window).ToArray()), cancellationToken);
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
            }

            var generated = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "custom-layouts", "--created-before", "2024-01-01"), cancellationToken);
            Assert.That(generated.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments), generated.ToString());
            Assert.That(generated.Error, Does.Contain("custom-layouts cannot be filtered by --created-before (Aha! offers no created_before for this list)"));
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task In_may_come_before_the_resource_name(CancellationToken cancellationToken)
        {
            var idea = SomeId("idea")!;
            var product = SomeId("product")!;
            foreach (var (first, second) in new[]
            {
                (new[] { "export", "comments", "--in", "idea", idea }, new[] { "export", "--in", "idea", idea, "comments" }),
                (new[] { "export", "features", "--in", "products", product }, new[] { "export", "--in", "products", product, "features" }),
                (new[] { "export", "features", "--in", "product:" + product }, new[] { "export", "--in=product:" + product, "features" }),
                (new[] { "export", "custom-table-records", "--in", "product", product, "--in", "key", CustomTableKey }, new[] { "export", "--in", "key", CustomTableKey, "--in", "product", product, "custom-table-records" }),
            })
            {
                var after = await CliRunner.RunAsync(CliRunner.Against(_sandbox, first.Concat(new[] { "--format", "ndjson", "--quiet", "--fields", "id" }).ToArray()), cancellationToken);
                var before = await CliRunner.RunAsync(CliRunner.Against(_sandbox, second.Concat(new[] { "--format", "ndjson", "--quiet", "--fields", "id" }).ToArray()), cancellationToken);
                Assert.That(after.ExitCode, Is.EqualTo(ExitCodes.Success), after.ToString());
                Assert.That(before.ExitCode, Is.EqualTo(ExitCodes.Success), before.ToString());
                Assert.That(before.Out, Is.EqualTo(after.Out), string.Join(" ", second));
                Assert.That(after.Out, Is.Not.Empty, string.Join(" ", first));
            }

            // get: the parent before the resource and the id
            var subscription = await FirstListedIdAsync(ResourceCatalog.Find("idea-subscriptions"), cancellationToken);
            Assert.That(subscription, Is.Not.Null, "the setup wrote an idea subscription");
            var read = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "get", "--in", "idea", idea, "idea-subscriptions", subscription!), cancellationToken);
            Assert.That(read.ExitCode, Is.EqualTo(ExitCodes.Success), read.ToString());
            Assert.That((string?)JObject.Parse(read.Out)["id"], Is.EqualTo(subscription));
        }

        [Test]
        public void In_pairs_become_one_token_and_nothing_else_changes()
        {
            Assert.That(AhaCli.JoinParentPairs(new[] { "export", "--in", "products", "PRJ1", "features" }), Is.EqualTo(new[] { "export", "--in", "products:PRJ1", "features" }));
            Assert.That(AhaCli.JoinParentPairs(new[] { "export", "--in=product", "PRJ1", "features" }), Is.EqualTo(new[] { "export", "--in", "product:PRJ1", "features" }));
            Assert.That(AhaCli.JoinParentPairs(new[] { "export", "--in", "field-value", "a:b=c" }), Is.EqualTo(new[] { "export", "--in", "field-value:a:b=c" }));
            Assert.That(AhaCli.JoinParentPairs(new[] { "export", "--in", "feature:PRJ1-1", "comments" }), Is.EqualTo(new[] { "export", "--in", "feature:PRJ1-1", "comments" }));
            Assert.That(AhaCli.JoinParentPairs(new[] { "export", "comments", "--in", "feature", "-q" }), Is.EqualTo(new[] { "export", "comments", "--in", "feature", "-q" }));
            Assert.That(AhaCli.JoinParentPairs(new[] { "export", "comments", "--in", "feature" }), Is.EqualTo(new[] { "export", "comments", "--in", "feature" }));
            Assert.That(AhaCli.JoinParentPairs(new[] { "set-field", "features", "PRJ1-1", "--", "--in", "a", "b" }), Is.EqualTo(new[] { "set-field", "features", "PRJ1-1", "--", "--in", "a", "b" }));
        }

        [Test]
        public void A_list_whose_path_names_its_parent_only_as_id_gets_the_parent_of_its_path()
        {
            // GET /capacity_investments/{id}/estimate_values
            Assert.That(ResourceCatalog.Find("capacity-estimate-values").Parents.Keys, Is.EqualTo(new[] { "capacity-investment" }));
            foreach (var list in GeneratedResources.Lists)
            {
                Assert.That(list.Parents, Has.None.EqualTo(GeneratedResources.Singular(list.Resource)), $"{list.Method.DeclaringType!.Name}.{list.Method.Name}: a list is not kept under a record of its own type; name its parent in GeneratedResources.BareIdParents");
            }
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task A_list_kept_per_parent_is_exported_with_in(CancellationToken cancellationToken)
        {
            var idea = SomeId("idea")!;
            using var http = _sandbox.CreateHttpClient();
            using var post = await http.PostAsync($"ideas/{idea}/comments", new System.Net.Http.StringContent("{\"comment\": {\"body\": \"<p>Seen from the CLI</p>\"}}", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            Assert.That((int)post.StatusCode, Is.EqualTo(200));

            foreach (var form in new[] { new[] { "--in", "idea", idea }, new[] { "--in", "ideas", idea }, new[] { "--in", "idea:" + idea } })
            {
                var run = await CliRunner.RunAsync(CliRunner.Against(_sandbox, new[] { "export", "comments", "--format", "json", "--quiet" }.Concat(form).ToArray()), cancellationToken);
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
                var comments = JArray.Parse(run.Out);
                Assert.That(comments.Select(c => (string?)c["body"]), Does.Contain("<p>Seen from the CLI</p>"), string.Join(" ", form));
            }

            var typo = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "comments", "--in", "ide", idea), cancellationToken);
            Assert.That(typo.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments));
            Assert.That(typo.Error, Does.Contain("Did you mean 'idea'?"));

            var missing = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "endorsements"), cancellationToken);
            Assert.That(missing.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments));
            Assert.That(missing.Error, Does.Contain("--in PARENT ID").And.Contain("idea"));

            var both = await CliRunner.RunAsync(CliRunner.Against(_sandbox, "export", "features", "--in", "release", "X", "--product", "Y"), cancellationToken);
            Assert.That(both.ExitCode, Is.EqualTo(ExitCodes.InvalidArguments));
        }
    }
}
