using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;

namespace Aha.Cli.Resources
{
    /// <summary>The filters of <c>aha export</c>.</summary>
    internal sealed class ExportQuery
    {
        public string? Product { get; init; }

        public string? Release { get; init; }

        public DateTimeOffset? UpdatedSince { get; init; }

        /// <summary>Start of the time window (<c>--created-since</c>): required by some lists, an optional filter of others.</summary>
        public DateTimeOffset? CreatedSince { get; init; }

        /// <summary>End of the time window (<c>--created-before</c>).</summary>
        public DateTimeOffset? CreatedBefore { get; init; }

        public string? Fields { get; init; }

        /// <summary>
        /// The parent named with <c>--in</c> (<c>feature</c>, <c>release-phase</c>, ...), or null; for a list under
        /// several path values, their names in path order joined by a space (<c>product key</c>).
        /// </summary>
        public string? Parent { get; init; }

        /// <summary>The ids or keys given with <see cref="Parent"/>, in the same order.</summary>
        public IReadOnlyList<string> ParentIds { get; init; } = Array.Empty<string>();

        /// <summary>
        /// The filters that a list's options take as text, already checked in form (<c>--auditable-type Feature</c> →
        /// <c>AuditableType</c>): set on the options of the list called, a usage error for a list without them.
        /// </summary>
        public IReadOnlyList<ExportFilter> Filters { get; init; } = Array.Empty<ExportFilter>();
    }

    /// <summary>One text filter of <c>aha export</c>: the option as typed, the options property it sets, and its value.</summary>
    internal sealed record ExportFilter(string Option, string Property, string Value);

    /// <summary>Which filters a resource's export accepts.</summary>
    [Flags]
    internal enum ExportFilters
    {
        None = 0,
        Product = 1,
        Release = 2,
        UpdatedSince = 4,

        /// <summary>The list exists only under a product (--product is required).</summary>
        RequiresProduct = 8,

        /// <summary>The list exists only under a product or a release (one of them is required).</summary>
        RequiresProductOrRelease = 16,

        /// <summary>Records created in a time window: <c>--created-since</c>, <c>--created-before</c>.</summary>
        Created = 32,
    }

    /// <summary>What the tool can do with one kind of record, and how, in terms of the generated clients.</summary>
    internal sealed class ResourceDefinition
    {
        public ResourceDefinition(string name, string singular)
        {
            Name = name;
            Singular = singular;
        }

        /// <summary>The name on the command line: <c>features</c>, <c>release-phases</c>, ...</summary>
        public string Name { get; }

        public string Singular { get; }

        public ExportFilters Filters { get; init; }

        /// <summary>The attributes asked for when <c>--fields</c> is not given (null: the server's default set).</summary>
        public string? DefaultFields { get; init; }

        public Func<AhaClient, ExportQuery, IRecordStream>? Export { get; set; }

        /// <summary>
        /// Options that <see cref="Export"/> cannot do without (<c>--created-since</c>, <c>--created-before</c> for the
        /// historical audits' index), checked before any request.
        /// </summary>
        public IReadOnlyList<string> ExportRequires { get; set; } = Array.Empty<string>();

        /// <summary>Whether the account-wide <see cref="Export"/> reads a cursor list (one request at a time: no <c>--parallel</c> above 1).</summary>
        public bool ExportIsCursor { get; set; }

        /// <summary>The options type of a generated account-wide <see cref="Export"/>, to check its filters before any connection.</summary>
        public Type? ExportOptionsType { get; set; }

        /// <summary>
        /// The lists of this resource under a parent record (<c>aha export comments --in feature PRJ1-1</c>), by the
        /// parent's singular name, or, under several path values, by their names joined by a space (<c>product key</c>:
        /// <c>--in product PRJ1 --in key team_directory</c>): (client, parent ids in that order, filters) → records.
        /// Found in the generated clients.
        /// </summary>
        public Dictionary<string, Func<AhaClient, IReadOnlyList<string>, ExportQuery, IRecordStream>> Parents { get; } = new Dictionary<string, Func<AhaClient, IReadOnlyList<string>, ExportQuery, IRecordStream>>(StringComparer.Ordinal);

        /// <summary>
        /// Reads of one record that Aha! addresses under a parent (<c>aha get idea-subscriptions ID --in idea PRJ1-I-1</c>),
        /// keyed like <see cref="Parents"/>: (client, parent ids, id, fields) → the record.
        /// </summary>
        public Dictionary<string, Func<AhaClient, IReadOnlyList<string>, string, string?, CancellationToken, Task<RecordView>>> GetsIn { get; } = new Dictionary<string, Func<AhaClient, IReadOnlyList<string>, string, string?, CancellationToken, Task<RecordView>>>(StringComparer.Ordinal);

        /// <summary>Whether the resource comes only from the generated clients (no hand-tuned defaults).</summary>
        public bool Generated { get; init; }

        /// <summary>The response type of one list page, prepared by <c>AhaClient.WarmUpAsync</c> while the export connects.</summary>
        public Type? ListType { get; init; }

        /// <summary>Whether the single-record read takes <c>fields</c>.</summary>
        public bool GetTakesFields { get; set; }

        public Func<AhaClient, string, string?, CancellationToken, Task<RecordView>>? Get { get; set; }

        /// <summary>Whether the custom-field update is addressed through the record's product (releases, goals, competitors).</summary>
        public bool UpdateNeedsProduct { get; init; }

        /// <summary>(client, id, product id, update) → the record as the server answered.</summary>
        public Func<AhaClient, string, string?, CustomFieldUpdate, CancellationToken, Task<RecordView>>? SetCustomFields { get; init; }
    }

    /// <summary>
    /// Every resource the tool knows: the hand-tuned ones below (default columns, <c>--product</c>/<c>--release</c>,
    /// custom-field updates), completed with every list and read that the generated clients offer
    /// (<see cref="GeneratedResources"/>), so a resource added to the spec can be exported and read at once.
    /// </summary>
    internal static class ResourceCatalog
    {
        private const string Dates = "created_at,updated_at";

        public static IReadOnlyList<ResourceDefinition> All { get; } = Complete(new[]
        {
            new ResourceDefinition("features", "feature")
            {
                ListType = typeof(FeatureList),
                Filters = ExportFilters.Product | ExportFilters.Release | ExportFilters.UpdatedSince,
                DefaultFields = "id,reference_num,name,workflow_status,release,epic,assigned_to_user,tags,start_date,due_date,score," + Dates + ",url,custom_fields",
                Export = (aha, q) => Stream(
                    q.Release != null ? aha.Features.ListAllByReleaseAsync(q.Release, new FeaturesListByReleaseOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince })
                    : q.Product != null ? aha.Features.ListAllByProductAsync(q.Product, new FeaturesListByProductOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince })
                    : aha.Features.ListAllAsync(new FeaturesListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }),
                    f => f.CustomFields),
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.Features.GetAsync(id, new FeaturesGetOptions { Fields = fields }, ct).ConfigureAwait(false), f => f.CustomFields),
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.Features.UpdateCustomFieldsAsync(id, update, cancellationToken: ct).ConfigureAwait(false), f => f.CustomFields),
            },
            new ResourceDefinition("ideas", "idea")
            {
                ListType = typeof(IdeaList),
                Filters = ExportFilters.Product | ExportFilters.UpdatedSince | ExportFilters.Created,
                DefaultFields = "id,reference_num,name,workflow_status,votes,score,categories,tags,product_id," + Dates + ",url,custom_fields",
                Export = (aha, q) => Stream(
                    q.Product != null ? aha.Ideas.ListAllByProductAsync(q.Product, new IdeasListByProductOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince, CreatedSince = q.CreatedSince, CreatedBefore = q.CreatedBefore })
                    : aha.Ideas.ListAllAsync(new IdeasListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince, CreatedSince = q.CreatedSince, CreatedBefore = q.CreatedBefore }),
                    i => i.CustomFields),
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.Ideas.GetAsync(id, new IdeasGetOptions { Fields = fields }, ct).ConfigureAwait(false), i => i.CustomFields),
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.Ideas.UpdateCustomFieldsAsync(id, update, cancellationToken: ct).ConfigureAwait(false), i => i.CustomFields),
            },
            new ResourceDefinition("releases", "release")
            {
                ListType = typeof(ReleaseList),
                Filters = ExportFilters.Product | ExportFilters.UpdatedSince,
                DefaultFields = "id,reference_num,name,start_date,release_date,released,parking_lot,workflow_status,owner,product_id," + Dates + ",url,custom_fields",
                Export = (aha, q) => Stream(
                    q.Product != null ? aha.Releases.ListAllByProductAsync(q.Product, new ReleasesListByProductOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince })
#pragma warning disable CS0618 // the account-wide release list is deprecated (documented by Aha! nowhere); kept for exports without --product
                    : aha.Releases.ListAllAsync(new ReleasesListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }),
#pragma warning restore CS0618
                    r => r.CustomFields),
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.Releases.GetAsync(id, new ReleasesGetOptions { Fields = fields }, ct).ConfigureAwait(false), r => r.CustomFields),
                UpdateNeedsProduct = true,
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.Releases.UpdateCustomFieldsAsync(product!, id, update, cancellationToken: ct).ConfigureAwait(false), r => r.CustomFields),
            },
            new ResourceDefinition("epics", "epic")
            {
                ListType = typeof(EpicList),
                Filters = ExportFilters.Product | ExportFilters.Release | ExportFilters.UpdatedSince,
                DefaultFields = "id,reference_num,name,workflow_status,release,assigned_to_user,tags,start_date,due_date,product_id," + Dates + ",url,custom_fields",
                Export = (aha, q) => Stream(
                    q.Release != null ? aha.Epics.ListAllByReleaseAsync(q.Release, new EpicsListByReleaseOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince })
                    : q.Product != null ? aha.Epics.ListAllByProductAsync(q.Product, new EpicsListByProductOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince })
                    : aha.Epics.ListAllAsync(new EpicsListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }),
                    e => e.CustomFields),
                Get = async (aha, id, fields, ct) => View(await aha.Epics.GetAsync(id, cancellationToken: ct).ConfigureAwait(false), e => e.CustomFields),
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.Epics.UpdateCustomFieldsAsync(id, update, cancellationToken: ct).ConfigureAwait(false), e => e.CustomFields),
            },
            new ResourceDefinition("initiatives", "initiative")
            {
                ListType = typeof(InitiativeList),
                Filters = ExportFilters.UpdatedSince,
                DefaultFields = "id,reference_num,name,status,workflow_status,start_date,end_date,progress,product_id," + Dates + ",url,custom_fields",
                Export = (aha, q) => Stream(aha.Initiatives.ListAllAsync(new InitiativesListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }), i => i.CustomFields),
                Get = async (aha, id, fields, ct) => View(await aha.Initiatives.GetAsync(id, cancellationToken: ct).ConfigureAwait(false), i => i.CustomFields),
            },
            new ResourceDefinition("goals", "goal")
            {
                ListType = typeof(GoalList),
                Filters = ExportFilters.UpdatedSince,
                DefaultFields = "id,reference_num,name,status,workflow_status,start_date,end_date,progress,product_id," + Dates + ",url,custom_fields",
                Export = (aha, q) => Stream(aha.Goals.ListAllAsync(new GoalsListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }), g => g.CustomFields),
                Get = async (aha, id, fields, ct) => View(await aha.Goals.GetAsync(id, cancellationToken: ct).ConfigureAwait(false), g => g.CustomFields),
                UpdateNeedsProduct = true,
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.Goals.UpdateCustomFieldsAsync(product!, id, update, cancellationToken: ct).ConfigureAwait(false), g => g.CustomFields),
            },
            new ResourceDefinition("products", "product")
            {
                ListType = typeof(ProductList),
                Filters = ExportFilters.UpdatedSince,
                Export = (aha, q) => Stream(aha.Products.ListAllAsync(new ProductsListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }), p => p.CustomFields),
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.Products.GetAsync(id, new ProductsGetOptions { Fields = fields }, ct).ConfigureAwait(false), p => p.CustomFields),
            },
            new ResourceDefinition("requirements", "requirement")
            {
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.Requirements.GetAsync(id, new RequirementsGetOptions { Fields = fields }, ct).ConfigureAwait(false), r => r.CustomFields),
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.Requirements.UpdateCustomFieldsAsync(id, update, cancellationToken: ct).ConfigureAwait(false), r => r.CustomFields),
            },
            new ResourceDefinition("release-phases", "release phase")
            {
                ListType = typeof(ReleasePhaseList),
                Export = (aha, q) => Stream(aha.ReleasePhases.ListAllAsync(new ReleasePhasesListOptions { Fields = q.Fields }), p => p.CustomFields),
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.ReleasePhases.GetAsync(id, new ReleasePhasesGetOptions { Fields = fields }, ct).ConfigureAwait(false), p => p.CustomFields),
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.ReleasePhases.UpdateCustomFieldsAsync(id, update, cancellationToken: ct).ConfigureAwait(false), p => p.CustomFields),
            },
            new ResourceDefinition("todos", "to-do")
            {
                ListType = typeof(TodoList),
                Filters = ExportFilters.UpdatedSince,
                Export = (aha, q) => Stream(aha.Todos.ListAllAsync(new TodosListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }), _ => null),
                Get = async (aha, id, fields, ct) => View(await aha.Todos.GetAsync(id, cancellationToken: ct).ConfigureAwait(false), _ => null),
            },
            new ResourceDefinition("idea-organizations", "idea organization")
            {
                ListType = typeof(IdeaOrganizationList),
                Export = (aha, q) => Stream(aha.IdeaOrganizations.ListAllAsync(new IdeaOrganizationsListOptions { Fields = q.Fields }), o => o.CustomFields),
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.IdeaOrganizations.GetAsync(id, new IdeaOrganizationsGetOptions { Fields = fields }, ct).ConfigureAwait(false), o => o.CustomFields),
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.IdeaOrganizations.UpdateCustomFieldsAsync(id, update, cancellationToken: ct).ConfigureAwait(false), o => o.CustomFields),
            },
            new ResourceDefinition("strategic-models", "strategic model")
            {
                ListType = typeof(StrategicModelList),
                Filters = ExportFilters.UpdatedSince,
                Export = (aha, q) => Stream(aha.StrategicModels.ListAllAsync(new StrategicModelsListOptions { Fields = q.Fields, UpdatedSince = q.UpdatedSince }), _ => null),
                Get = async (aha, id, fields, ct) =>
                {
                    // Answered under strategy_model or strategic_model depending on the path (see openapi/DECISIONS.md).
                    var response = await aha.StrategicModels.GetAsync(id, cancellationToken: ct).ConfigureAwait(false);
                    return View(response.StrategicModel ?? response.StrategyModel, _ => null);
                },
            },
            new ResourceDefinition("competitors", "competitor")
            {
                ListType = typeof(CompetitorList),
                Filters = ExportFilters.Product | ExportFilters.RequiresProduct,
                Export = (aha, q) => Stream(aha.Competitors.ListAllByProductAsync(q.Product!, new CompetitorsListByProductOptions { Fields = q.Fields }), c => c.CustomFields),
                GetTakesFields = true,
                Get = async (aha, id, fields, ct) => View(await aha.Competitors.GetAsync(id, new CompetitorsGetOptions { Fields = fields }, ct).ConfigureAwait(false), c => c.CustomFields),
                UpdateNeedsProduct = true,
                SetCustomFields = async (aha, id, product, update, ct) => View(await aha.Competitors.UpdateCustomFieldsAsync(product!, id, update, cancellationToken: ct).ConfigureAwait(false), c => c.CustomFields),
            },
            new ResourceDefinition("comments", "comment")
            {
                ListType = typeof(CommentList),
                Filters = ExportFilters.Product | ExportFilters.Release | ExportFilters.RequiresProductOrRelease,
                Export = (aha, q) => Stream(
                    q.Release != null ? aha.Comments.ListAllByReleaseAsync(q.Release, new CommentsListByReleaseOptions { Fields = q.Fields })
                    : aha.Comments.ListAllByProductAsync(q.Product!, new CommentsListByProductOptions { Fields = q.Fields }),
                    _ => null),
            },
        });

        public static IEnumerable<string> ExportNames => All.Where(r => r.Export != null || r.Parents.Count > 0).Select(r => r.Name);

        public static IEnumerable<string> GetNames => All.Where(r => r.Get != null || r.GetsIn.Count > 0).Select(r => r.Name);

        public static IEnumerable<string> SetFieldNames => All.Where(r => r.SetCustomFields != null).Select(r => r.Name);

        public static ResourceDefinition Find(string name) => All.First(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Adds the generated clients' lists and reads that the hand-tuned entries do not cover, in name order.</summary>
        private static IReadOnlyList<ResourceDefinition> Complete(ResourceDefinition[] handTuned)
        {
            var all = handTuned.ToList();
            ResourceDefinition Of(string name)
            {
                var found = all.FirstOrDefault(r => r.Name == name);
                if (found == null)
                {
                    found = new ResourceDefinition(name, GeneratedResources.Singular(name).Replace('-', ' ')) { Generated = true };
                    all.Add(found);
                }

                return found;
            }

            foreach (var list in GeneratedResources.Lists)
            {
                var definition = Of(list.Resource);
                var name = definition.Name;
                if (list.Parent == null)
                {
                    if (definition.Export == null)
                    {
                        definition.Export = (aha, q) => GeneratedResources.Export(list, aha, Array.Empty<string>(), q, name);
                        definition.ExportRequires = list.Requires;
                        definition.ExportIsCursor = list.IsCursor;
                        definition.ExportOptionsType = list.OptionsType;
                    }
                }
                else if (!definition.Parents.ContainsKey(list.Parent))
                {
                    definition.Parents[list.Parent] = (aha, ids, q) => GeneratedResources.Export(list, aha, ids, q, name);
                }
            }

            foreach (var get in GeneratedResources.Gets)
            {
                var definition = Of(get.Resource);
                if (get.Parent != null)
                {
                    if (!definition.GetsIn.ContainsKey(get.Parent))
                    {
                        definition.GetsIn[get.Parent] = (aha, parentIds, id, fields, ct) => GeneratedResources.GetAsync(get, aha, parentIds, id, fields, ct);
                        definition.GetTakesFields |= GeneratedResources.TakesFields(get);
                    }
                }
                else if (definition.Get == null)
                {
                    definition.Get = (aha, id, fields, ct) => GeneratedResources.GetAsync(get, aha, Array.Empty<string>(), id, fields, ct);
                    definition.GetTakesFields = GeneratedResources.TakesFields(get);
                }
            }

            return handTuned.Concat(all.Skip(handTuned.Length).OrderBy(r => r.Name, StringComparer.Ordinal)).ToArray();
        }

        private static IRecordStream Stream<T>(AhaPageable<T> pageable, Func<T, CustomFields?> customFields)
            where T : class
            => new PageableRecordStream<T>(pageable, customFields);

        private static RecordView View<T>(T? record, Func<T, CustomFields?> customFields)
            where T : class
            => RecordView.From(record ?? throw new InvalidOperationException("Aha! answered without the record."), customFields);
    }
}
