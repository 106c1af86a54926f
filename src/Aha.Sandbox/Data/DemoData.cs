using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace Aha.Sandbox.Data
{
    /// <summary>
    /// Generates the demo account: users, products, releases and phases, epics, features with requirements, ideas with
    /// endorsements, initiatives, goals, comments, to-dos, time tracking, competitors, strategy models and idea
    /// organizations, with custom fields of every kind. A pure function of the seed, the sizes and "now": same input,
    /// same records, ids, keys, timestamps and values.
    /// <para>
    /// Dates are relative to now, so that "what changed this week" has answers whenever the demo runs: features and
    /// ideas are created evenly over the last <see cref="Window"/> (the newest a few minutes ago, some today) and
    /// updated between their creation and now; products, releases, epics and the like are set up before that window;
    /// releases 1 and 2 are past, release 3 is under way, the others are planned. Nothing is dated after now.
    /// </para>
    /// </summary>
    internal static class DemoData
    {
        /// <summary>Features and ideas are created over this many days before now.</summary>
        internal static readonly TimeSpan Window = TimeSpan.FromDays(56);

        /// <summary>How long before the window the products, releases, epics, goals and users were set up.</summary>
        private static readonly TimeSpan SetUp = TimeSpan.FromDays(30);

        private static readonly (string Prefix, string Name)[] ProductNames =
        {
            ("ATL", "Atlas Web"), ("BCN", "Beacon Mobile"), ("CBT", "Cobalt API"), ("DRF", "Drift Analytics"),
            ("EMB", "Ember Platform"), ("FLX", "Flux Payments"), ("GRV", "Grove Search"), ("HLX", "Helix Data"),
        };

        private static readonly (string Name, string Email)[] UserNames =
        {
            ("Sandra Box", "sandra.box@example.com"), ("José Núñez", "jose.nunez@example.com"), ("Zoë Ørsted", "zoe.orsted@example.com"),
            ("Łukasz Żółkiewski", "lukasz.z@example.com"), ("李雷", "li.lei@example.com"), ("Amara Okafor", "amara.okafor@example.com"),
            ("Fred Aha", "fred@example.com"), ("Ana Ångström", "ana.angstrom@example.com"),
        };

        private static readonly string[] Verbs = { "Add", "Improve", "Redesign", "Support", "Speed up", "Simplify", "Localize", "Secure", "Automate", "Export" };

        private static readonly string[] Objects =
        {
            "sign-in with SSO", "CSV export", "dark mode", "search filters", "billing page", "notification settings", "audit log",
            "bulk edit", "API pagination", "onboarding tour", "dashboard widgets", "offline sync", "user avatars", "webhooks",
            "two-factor auth", "release notes", "mobile checkout", "report builder", "data retention", "accessibility (WCAG 2.2)",
        };

        private static readonly string[] Components = { "web", "api", "ios", "android", "billing", "search", "infra", "ünïcødé" };

        private static readonly string[] Notes =
        {
            "<p>Customers in <strong>München</strong> and <em>São Paulo</em> asked for this — see the interview notes.</p>",
            "<p>Ship behind a flag first. 日本語のお客様にも対応すること。</p><ul><li>Step 1 ✓</li><li>Step 2 ✗</li></ul>",
            "<p>Emoji check: 🚀 ✨ 👍 — and a right-to-left phrase: שלום עולם.</p>",
            "<p>Price shown as €1 234,56 and ¥9 800; \"quotes\" &amp; ampersands &lt;escaped&gt;.</p>",
            "<p>Ελληνικά, Русский, हिन्दी, 한국어 — all in one note.</p>",
        };

        /// <summary>The custom fields defined on every record type that has them. Odd ones have numeric ids, even ones string ids.</summary>
        internal static readonly (string Key, string Name, string Type)[] FieldCatalog =
        {
            ("priority", "Priority", "string"),
            ("customer_impact", "Customer impact", "number"),
            ("target_launch", "Target launch", "date"),
            ("release_notes", "Release notes", "note"),
            ("components", "Components", "array"),
            ("stakeholders", "Stakeholders", "users"),
            ("spec_url", "Specification", "url"),
            ("business_case", "Business case", "equation_sheet"),
            ("mockups", "Mockups", "attachment"),
        };

        public static void Populate(SandboxStore store, AhaSandboxOptions options, DateTimeOffset now)
        {
            var random = new Random(options.Seed);

            // Whole minutes in UTC, so that the data is the same for any instant within one minute.
            var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
            var windowStart = end - Window;
            var setUpStart = windowStart - SetUp;
            var today = end.UtcDateTime.Date;
            var clock = 0;
            DateTimeOffset Next(int minutes = 37) => Min(setUpStart.AddMinutes(clock += minutes), end);

            // The n-th of count records (1-based) of a product, spread evenly over the window; products are a few minutes apart.
            DateTimeOffset InWindow(int n, int count, int product)
                => Min(windowStart + TimeSpan.FromTicks((long)(Window.Ticks * ((n - 0.5) / Math.Max(1, count)))) + TimeSpan.FromMinutes(3 * product), end);

            // Updated some hours after creation (up to three weeks), scaled down so that it is never after now.
            DateTimeOffset Updated(DateTimeOffset created, int hours)
            {
                var room = end - created;
                var later = TimeSpan.FromHours(hours);
                return room >= TimeSpan.FromHours(500) ? created + later : created + TimeSpan.FromTicks((long)(room.Ticks * (hours / 500.0)));
            }

            DefineFields(store);

            // Users: the first one owns the token (/me).
            var users = new List<Record>();
            foreach (var (name, email) in UserNames)
            {
                var at = Next();
                users.Add(store.Insert(Kinds.User, store.NextId(), null, new JsonObject
                {
                    ["name"] = name,
                    ["email"] = email,
                    ["created_at"] = SandboxStore.Iso(at),
                    ["updated_at"] = SandboxStore.Iso(at),
                }));
            }

            store.CurrentUser = users[0];
            Record AnyUser() => users[random.Next(users.Count)];

            var organizations = new List<Record>();
            for (var i = 0; i < 12; i++)
            {
                var at = Next();
                var org = store.Insert(Kinds.IdeaOrganization, store.NextId(), null, new JsonObject
                {
                    ["name"] = $"Customer {(char)('A' + i)}{(i % 3 == 0 ? " GmbH" : i % 3 == 1 ? " S.A." : " Inc.")}",
                    ["email_domains"] = $"customer-{(char)('a' + i)}.example, customer-{(char)('a' + i)}.example.org",
                    ["revenue"] = 10000 * (i + 1),
                    ["created_at"] = SandboxStore.Iso(at),
                    ["updated_at"] = SandboxStore.Iso(at),
                });
                AddFields(store, org, random, users, at, onlyScalars: true, end);
                organizations.Add(org);
            }

            for (var p = 0; p < options.Products; p++)
            {
                var (prefix, productName) = p < ProductNames.Length ? ProductNames[p] : ($"P{p + 1}", $"Product {p + 1}");
                var productAt = Next();
                var product = store.Insert(Kinds.Product, store.NextId(), prefix, new JsonObject
                {
                    ["name"] = productName,
                    ["product_line"] = false,
                    ["workspace_type"] = "product_workspace",
                    ["created_at"] = SandboxStore.Iso(productAt),
                    ["updated_at"] = SandboxStore.Iso(productAt),
                });

                Record Child(ResourceKind kind, JsonObject data, Record? parent = null, string? link = null, DateTimeOffset? at = null)
                {
                    var when = Min(at ?? Next(), end);
                    data["created_at"] ??= SandboxStore.Iso(when);
                    data["updated_at"] ??= SandboxStore.Iso(Updated(when, random.Next(0, 500)));
                    var record = store.Insert(kind, store.NextId(), store.DemoKey(kind, product, parent), data);
                    record.SetLink("product", product.Id);
                    if (parent != null && link != null)
                    {
                        record.SetLink(link, parent.Id);
                    }

                    return record;
                }

                var goals = Enumerable.Range(1, 3).Select(g => Child(Kinds.Goal, new JsonObject
                {
                    ["name"] = $"{productName}: goal {g} — {(g == 1 ? "grow revenue" : g == 2 ? "delight users" : "reduce churn")}",
                    ["description"] = Note(store, Notes[g % Notes.Length], productAt),
                    ["workflow_status"] = store.Status(Kinds.Goal, Kinds.StrategyWorkflow[g % Kinds.StrategyWorkflow.Length]),
                    ["progress"] = random.Next(0, 101),
                })).ToList();

                var initiatives = Enumerable.Range(1, 3).Select(n =>
                {
                    var initiative = Child(Kinds.Initiative, new JsonObject
                    {
                        ["name"] = $"{productName}: initiative {n}",
                        ["description"] = Note(store, Notes[(n + 1) % Notes.Length], productAt),
                        ["workflow_status"] = store.Status(Kinds.Initiative, Kinds.StrategyWorkflow[n % Kinds.StrategyWorkflow.Length]),
                        ["effort"] = random.Next(1, 10),
                        ["value"] = random.Next(1, 10),
                    });
                    initiative.Links["goals"] = new List<string> { goals[n % goals.Count].Id };
                    return initiative;
                }).ToList();

                var releases = new List<Record>();
                for (var r = 1; r <= options.ReleasesPerProduct + 1; r++)
                {
                    var parking = r > options.ReleasesPerProduct;
                    // Six-week releases: release 3 (or the last one, with fewer) is under way today, the ones before it
                    // are shipped, the rest are planned.
                    var current = Math.Min(3, options.ReleasesPerProduct);
                    var start = today.AddDays(-21 + (42 * (r - current)));
                    var data = new JsonObject
                    {
                        ["name"] = parking ? "Parking lot" : $"{productName} {start.ToString("yyyy.MM", CultureInfo.InvariantCulture)}",
                        ["parking_lot"] = parking,
                        ["workflow_status"] = store.Status(Kinds.Release, Kinds.ReleaseWorkflow[Math.Min(r - 1, 2) % 3]),
                        ["theme"] = Note(store, Notes[r % Notes.Length], productAt),
                    };
                    if (!parking)
                    {
                        data["start_date"] = Day(start);
                        data["release_date"] = Day(start.AddDays(41));
                        data["development_started_on"] = Day(start.AddDays(3));
                        data["released"] = r < current;
                    }

                    var release = Child(Kinds.Release, data);
                    release.SetLink("owner", AnyUser().Id);
                    release.Links["goals"] = new List<string> { goals[r % goals.Count].Id };
                    AddFields(store, release, random, users, productAt, onlyScalars: true, end);
                    releases.Add(release);
                    if (!parking)
                    {
                        Child(Kinds.ReleasePhase, new JsonObject
                        {
                            ["name"] = "Development",
                            ["type"] = "phase",
                            ["start_on"] = Day(start),
                            ["end_on"] = Day(start.AddDays(34)),
                            ["progress"] = r < current ? 100 : random.Next(0, 100),
                            ["progress_source"] = "progress_manual",
                            ["duration_source"] = "duration_manual",
                        }, release, "release");
                        Child(Kinds.ReleasePhase, new JsonObject
                        {
                            ["name"] = "Launch 🚀",
                            ["type"] = "milestone",
                            ["start_on"] = Day(start.AddDays(41)),
                            ["end_on"] = Day(start.AddDays(41)),
                            ["progress"] = r < current ? 100 : 0,
                            ["progress_source"] = "progress_manual",
                            ["duration_source"] = "duration_manual",
                        }, release, "release");
                    }
                }

                var epics = Enumerable.Range(1, 8).Select(e =>
                {
                    var epic = Child(Kinds.Epic, new JsonObject
                    {
                        ["name"] = $"{Verbs[e % Verbs.Length]} {Objects[(e * 3) % Objects.Length]} (epic)",
                        ["description"] = Note(store, Notes[e % Notes.Length], productAt),
                        ["workflow_status"] = store.Status(Kinds.Epic, Kinds.FeatureWorkflow[e % 4]),
                        ["tags"] = new JsonArray("epic", Components[e % Components.Length]),
                    }, releases[e % releases.Count], "release");
                    epic.SetLink("initiative", initiatives[e % initiatives.Count].Id);
                    AddFields(store, epic, random, users, productAt, onlyScalars: false, end);
                    return epic;
                }).ToList();

                for (var f = 1; f <= options.FeaturesPerProduct; f++)
                {
                    var release = releases[(f - 1) * releases.Count / Math.Max(1, options.FeaturesPerProduct)];
                    var at = InWindow(f, options.FeaturesPerProduct, p);
                    var feature = Child(Kinds.Feature, new JsonObject
                    {
                        ["name"] = $"{Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]} #{f}",
                        ["description"] = Note(store, Notes[random.Next(Notes.Length)], at),
                        ["workflow_status"] = store.Status(Kinds.Feature, Kinds.FeatureWorkflow[random.Next(Kinds.FeatureWorkflow.Length)]),
                        ["workflow_kind"] = new JsonObject { ["id"] = "6776757454000000101", ["name"] = random.Next(4) == 0 ? "Bug" : "New" },
                        ["tags"] = new JsonArray(Components.Where(_ => random.Next(4) == 0).Select(c => (JsonNode?)c).ToArray()),
                        ["assigned_to_user"] = SandboxStore.UserRef(AnyUser()),
                        ["start_date"] = release.Data["start_date"]?.DeepClone(),
                        ["due_date"] = release.Data["release_date"]?.DeepClone(),
                        ["feature_only_original_estimate"] = random.Next(1, 40) * 60,
                        ["score"] = random.Next(0, 100),
                    }, release, "release", at);
                    if (random.Next(3) > 0)
                    {
                        feature.SetLink("epic", epics[random.Next(epics.Count)].Id);
                    }

                    if (random.Next(5) == 0)
                    {
                        feature.SetLink("initiative", initiatives[random.Next(initiatives.Count)].Id);
                        feature.Links["goals"] = new List<string> { goals[random.Next(goals.Count)].Id };
                    }

                    AddFields(store, feature, random, users, at, onlyScalars: false, end);
                    if (f % 3 == 0)
                    {
                        // integration_id arrives as a JSON number in Aha!'s answers; a 19-digit one catches clients that read ids as doubles.
                        feature.Data["integration_fields"] = new JsonArray(new JsonObject
                        {
                            ["id"] = store.NextId(),
                            ["name"] = "key",
                            ["value"] = $"JIRA-{1000 + f}",
                            ["integration_id"] = 7010000000000123457L,
                            ["service_name"] = "jira",
                            ["created_at"] = SandboxStore.Iso(at),
                        });
                    }

                    if (f % 4 == 0)
                    {
                        for (var q = 1; q <= 2; q++)
                        {
                            var requirement = Child(Kinds.Requirement, new JsonObject
                            {
                                ["name"] = $"Requirement {q} of {feature.Key}",
                                ["description"] = Note(store, Notes[q % Notes.Length], at),
                                ["workflow_status"] = store.Status(Kinds.Requirement, Kinds.FeatureWorkflow[q]),
                                ["assigned_to_user"] = SandboxStore.UserRef(AnyUser()),
                            }, feature, "feature", at);
                            AddFields(store, requirement, random, users, at, onlyScalars: true, end);
                        }
                    }

                    if (f % 10 == 0)
                    {
                        Comment(store, Child, feature, AnyUser(), at, Notes[f % Notes.Length]);
                    }

                    if (f % 20 == 0)
                    {
                        Child(Kinds.TimeTrackingEvent, new JsonObject
                        {
                            ["user"] = SandboxStore.UserRef(AnyUser()),
                            ["occurred_on"] = Day(at.UtcDateTime),
                            ["work_done"] = 30 * random.Next(1, 9),
                            ["work_units"] = 10,
                        }, feature, "feature", at);
                    }
                }

                for (var i = 1; i <= options.IdeasPerProduct; i++)
                {
                    var at = InWindow(i, options.IdeasPerProduct, p);
                    var votes = random.Next(0, 60);
                    var idea = Child(Kinds.Idea, new JsonObject
                    {
                        ["name"] = $"Idea: {Verbs[random.Next(Verbs.Length)].ToLowerInvariant()} {Objects[random.Next(Objects.Length)]} ({i})",
                        ["description"] = Note(store, Notes[random.Next(Notes.Length)], at),
                        ["workflow_status"] = store.Status(Kinds.Idea, Kinds.IdeaWorkflow[random.Next(Kinds.IdeaWorkflow.Length)]),
                        ["votes"] = votes,
                        ["endorsements_count"] = 0,
                        ["visibility"] = random.Next(3) == 0 ? "Not visible in portal" : "Visible to anyone",
                        ["spam"] = false,
                        ["status_changed_at"] = SandboxStore.Iso(Updated(at, 48)),
                        ["tags"] = new JsonArray(Components.Where(_ => random.Next(5) == 0).Select(c => (JsonNode?)c).ToArray()),
                        ["categories"] = new JsonArray(),
                        ["watchers"] = new JsonArray(SandboxStore.UserRef(AnyUser())),
                        ["assigned_to_user"] = SandboxStore.UserRef(AnyUser()),
                    }, at: at);
                    AddFields(store, idea, random, users, at, onlyScalars: false, end);
                    if (i % 5 == 0)
                    {
                        var n = 1 + random.Next(3);
                        for (var e = 0; e < n; e++)
                        {
                            var org = organizations[random.Next(organizations.Count)];
                            var endorsement = Child(Kinds.Endorsement, new JsonObject
                            {
                                ["value"] = random.Next(1, 10) * 1000,
                                ["description"] = new JsonObject // a note, as Aha! answers it (no id of its own, so the demo ids stay as they are)
                                {
                                    ["body"] = $"Endorsed on behalf of {org.Name}",
                                    ["created_at"] = SandboxStore.Iso(at),
                                    ["updated_at"] = SandboxStore.Iso(at),
                                    ["attachments"] = new JsonArray(),
                                },
                                ["link"] = $"https://crm.example.com/deals/{random.Next(10000, 99999)}",
                                ["idea_organization"] = new JsonObject { ["id"] = org.Id, ["name"] = org.Name },
                                ["user"] = SandboxStore.UserRef(AnyUser()),
                            }, idea, "idea", at);
                            endorsement.Links.Remove("product");
                        }

                        idea.Data["endorsements_count"] = n;
                    }

                    if (i % 10 == 0)
                    {
                        Comment(store, Child, idea, AnyUser(), at, Notes[i % Notes.Length]);
                    }
                }

                for (var c = 1; c <= 3; c++)
                {
                    Child(Kinds.Competitor, new JsonObject
                    {
                        ["name"] = $"Rival {c} of {productName}",
                        ["description"] = $"<p>Competitor {c}: strong in {Components[c]}.</p>",
                        ["strengths"] = "Price, brand",
                        ["weaknesses"] = "Support, integrations",
                        ["website"] = $"https://rival{c}.example.com",
                    });
                }

                foreach (var type in new[] { "swot", "lean_canvas" })
                {
                    Child(Kinds.StrategyModel, new JsonObject
                    {
                        ["name"] = $"{productName} {type.Replace('_', ' ')}",
                        ["type"] = type,
                        ["description"] = $"<p>{type} for {productName}</p>",
                        ["data"] = type == "swot"
                            ? new JsonObject { ["strengths"] = new JsonArray("Fast"), ["weaknesses"] = new JsonArray("Small team"), ["opportunities"] = new JsonArray("EU market"), ["threats"] = new JsonArray("Incumbents") }
                            : new JsonObject { ["problem"] = "Manual exports", ["solution"] = "One command" },
                        ["tags"] = new JsonArray("strategy"),
                    });
                }

                for (var t = 1; t <= 12; t++)
                {
                    var feature = store.All(Kinds.Feature).LastOrDefault(x => x.Link("product") == product.Id);
                    var task = Child(Kinds.Task, new JsonObject
                    {
                        ["name"] = $"To-do {t} for {productName}",
                        ["body"] = "<p>Check the acceptance criteria ✓</p>",
                        ["status"] = Kinds.TaskWorkflow[t % 3],
                        ["due_date"] = Day(today.AddDays((t * 3) - 12)),
                        ["priority"] = new[] { "low", "medium", "high", "urgent" }[t % 4],
                        ["assigned_to_users"] = new JsonArray(SandboxStore.UserRef(users[t % 2 == 0 ? 0 : t % users.Count])),
                    }, feature ?? product, feature != null ? "feature" : "product");
                    if (feature != null)
                    {
                        task.Links.Remove("product");
                    }
                }
            }
        }

        private static void Comment(SandboxStore store, Func<ResourceKind, JsonObject, Record?, string?, DateTimeOffset?, Record> child, Record parent, Record user, DateTimeOffset at, string body)
        {
            var comment = child(Kinds.Comment, new JsonObject { ["body"] = body, ["user"] = SandboxStore.UserRef(user) }, parent, parent.Kind.Name, at.AddHours(3));
            comment.Links.Remove("product");
        }

        private static void DefineFields(SandboxStore store)
        {
            var kinds = Kinds.All.Where(k => k.HasCustomFields).ToArray();
            for (var k = 0; k < kinds.Length; k++)
            {
                for (var i = 0; i < FieldCatalog.Length; i++)
                {
                    var numeric = 424324947L + (k * 1000) + i;
                    JsonNode id = i % 2 == 1 ? JsonValue.Create(numeric) : JsonValue.Create((6776757454438660320L + (k * 1000) + i).ToString(CultureInfo.InvariantCulture));
                    store.DefineCustomField(kinds[k], id, FieldCatalog[i].Key, FieldCatalog[i].Name, FieldCatalog[i].Type);
                }
            }
        }

        private static void AddFields(SandboxStore store, Record record, Random random, List<Record> users, DateTimeOffset at, bool onlyScalars, DateTimeOffset end)
        {
            foreach (var def in store.FieldDefinitions(record.Kind))
            {
                if (random.Next(10) < 2 || (onlyScalars && def.Type is "users" or "equation_sheet" or "attachment" or "note"))
                {
                    continue; // some records leave some fields empty
                }

                var updated = at.AddMinutes(random.Next(1, 600));
                if (updated > end)
                {
                    updated = end;
                }

                JsonObject? extras = null;
                JsonNode? value = def.Type switch
                {
                    "string" => $"P{random.Next(1, 5)}",
                    "number" => random.Next(2) == 0 ? JsonValue.Create(random.Next(0, 1000)) : JsonValue.Create(Math.Round(random.NextDouble() * 100, 2)),
                    "date" => Day(at.UtcDateTime.AddDays(random.Next(10, 200))),
                    "note" => Notes[random.Next(Notes.Length)],
                    "array" => new JsonArray(Components.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Components[0]).Select(c => (JsonNode?)c).ToArray()),
                    "users" => new JsonArray(users.Where(_ => random.Next(4) == 0).Take(2).DefaultIfEmpty(users[1]).Select(u => (JsonNode?)SandboxStore.UserRef(u)).ToArray()),
                    "url" => $"https://docs.example.com/specs/{record.Key ?? record.Id}?lang=de&q=%C3%BC",
                    "equation_sheet" => SandboxStore.MergeWorksheet(
                        new JsonObject
                        {
                            ["values"] = new JsonObject
                            {
                                ["6651670327076753738"] = new JsonObject { ["value"] = null, ["name"] = "Revenue", ["display_value"] = null },
                                ["6651670366942086967"] = new JsonObject { ["value"] = null, ["name"] = "Cost", ["display_value"] = null },
                            },
                        },
                        new JsonObject { ["6651670327076753738"] = random.Next(1000, 90000), ["6651670366942086967"] = random.Next(100, 9000) }),
                    _ => null,
                };
                if (def.Type == "note")
                {
                    extras = new JsonObject { ["body"] = value!.DeepClone(), ["created_at"] = SandboxStore.Iso(at), ["updated_at"] = SandboxStore.Iso(updated), ["attachments"] = new JsonArray() };
                }
                else if (def.Type == "attachment")
                {
                    extras = new JsonObject
                    {
                        ["attachments"] = new JsonArray(new JsonObject
                        {
                            ["id"] = store.NextId(),
                            ["created_at"] = SandboxStore.Iso(at),
                            ["updated_at"] = SandboxStore.Iso(at),
                            ["original_file_size"] = 2048,
                            ["content_type"] = "image/png",
                            ["file_name"] = $"mockup-{record.Key ?? record.Id}.png",
                            ["file_size"] = 2048,
                        }),
                    };
                }

                record.CustomFields.Add(new CustomFieldEntry(def, value, updated, extras));
            }
        }

        private static JsonObject Note(SandboxStore store, string body, DateTimeOffset at) => new JsonObject
        {
            ["id"] = store.NextId(),
            ["body"] = body,
            ["created_at"] = SandboxStore.Iso(at),
            ["updated_at"] = SandboxStore.Iso(at),
            ["attachments"] = new JsonArray(),
        };

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

        private static string Day(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
