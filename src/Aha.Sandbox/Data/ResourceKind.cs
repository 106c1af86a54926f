using System;
using System.Collections.Generic;
using System.Linq;

namespace Aha.Sandbox.Data
{
    /// <summary>How a record type refers to another record (rendered from the record's links at read time).</summary>
    internal sealed class Relation
    {
        public Relation(string attribute, string kind, bool many = false, bool writable = true)
        {
            Attribute = attribute;
            Kind = kind;
            Many = many;
            Writable = writable;
        }

        /// <summary>JSON attribute, e.g. <c>release</c>, <c>goals</c>.</summary>
        public string Attribute { get; }

        /// <summary>Kind of the referenced record, e.g. <c>release</c>.</summary>
        public string Kind { get; }

        public bool Many { get; }

        public bool Writable { get; }
    }

    /// <summary>One record type of the API: its wrappers, key format, relations and defaults.</summary>
    internal sealed class ResourceKind
    {
        public ResourceKind(string name, string plural, string? keyInfix = "", bool customFields = false)
        {
            Name = name;
            Plural = plural;
            KeyInfix = keyInfix;
            HasCustomFields = customFields;
        }

        /// <summary>Singular name, also the wrapper of one record: <c>{"feature": {...}}</c>.</summary>
        public string Name { get; }

        /// <summary>Plural name, also the wrapper of a list and the URL segment.</summary>
        public string Plural { get; }

        /// <summary>Other wrapper names accepted in a request body (the documents disagree on some).</summary>
        public string[] WrapperAliases { get; set; } = Array.Empty<string>();

        /// <summary>Reference number infix: <c>"R"</c> gives <c>PRJ1-R-3</c>; <c>""</c> gives <c>PRJ1-3</c>; null means no key.</summary>
        public string? KeyInfix { get; }

        public bool HasCustomFields { get; }

        /// <summary>Idea organizations return custom fields as an object keyed by field key, not as the usual array.</summary>
        public bool CustomFieldsAsObject { get; set; }

        /// <summary>Attribute under which the product is embedded: <c>project</c> on most records, <c>product</c> on ideas.</summary>
        public string? ProductAttribute { get; set; } = "project";

        /// <summary>Attributes a create must carry.</summary>
        public string[] RequiredOnCreate { get; set; } = new[] { "name" };

        /// <summary>Attributes returned in lists when no <c>fields</c> parameter is given; null returns every attribute.</summary>
        public string[]? ListFields { get; set; } = new[] { "id", "reference_num", "name", "created_at", "url", "resource" };

        public Relation[] Relations { get; set; } = Array.Empty<Relation>();

        /// <summary>Names of the workflow statuses of this record type, first is the default of a new record.</summary>
        public string[] Workflow { get; set; } = Array.Empty<string>();

        /// <summary>Whether <c>description</c> is a plain string (competitors, strategy models) rather than a rich-text note.</summary>
        public bool PlainDescription { get; set; }

        /// <summary>Whether <c>url</c>/<c>resource</c> are rendered.</summary>
        public bool HasUrls { get; set; } = true;

        public bool HasKey => KeyInfix != null;

        /// <summary>
        /// A record type that only the spec knows (served by the generic layer): stored as its examples show it, written
        /// attributes merged in the shape the record already has.
        /// </summary>
        public bool Generic { get; set; }

        /// <summary>Whether the spec's examples show this generic record type's ids as JSON numbers (rendered the same way).</summary>
        public bool NumericIds { get; set; }

        public IEnumerable<string> WrapperNames => new[] { Name }.Concat(WrapperAliases);
    }

    /// <summary>The record types the sandbox keeps state for.</summary>
    internal static class Kinds
    {
        public static readonly string[] FeatureWorkflow = { "Under consideration", "Ready to develop", "In development", "In code review", "Ready to ship", "Shipped", "Will not do" };
        public static readonly string[] IdeaWorkflow = { "New", "Under consideration", "Future consideration", "Planned", "Shipped", "Already exists", "Will not implement" };
        public static readonly string[] ReleaseWorkflow = { "Not started", "In progress", "Shipped" };
        public static readonly string[] StrategyWorkflow = { "Not started", "On track", "At risk", "Off track", "Achieved" };
        public static readonly string[] TaskWorkflow = { "pending", "in_progress", "completed" };

        public static readonly ResourceKind Product = new ResourceKind("product", "products", customFields: true)
        {
            ProductAttribute = null,
            ListFields = new[] { "id", "reference_prefix", "name", "product_line", "created_at", "workspace_type", "url", "resource" },
        };

        public static readonly ResourceKind Release = new ResourceKind("release", "releases", "R", customFields: true)
        {
            Workflow = ReleaseWorkflow,
            ListFields = new[] { "id", "reference_num", "name", "start_date", "release_date", "parking_lot", "created_at", "product_id", "url", "resource" },
            Relations = new[] { new Relation("parent", "release"), new Relation("owner", "user"), new Relation("goals", "goal", many: true), new Relation("initiatives", "initiative", many: true) },
        };

        public static readonly ResourceKind Epic = new ResourceKind("epic", "epics", "E", customFields: true)
        {
            Workflow = FeatureWorkflow,
            WrapperAliases = new[] { "master_feature" },
            ListFields = new[] { "id", "reference_num", "name", "created_at", "product_id", "url", "resource" },
            Relations = new[] { new Relation("release", "release"), new Relation("initiative", "initiative"), new Relation("goals", "goal", many: true) },
        };

        public static readonly ResourceKind Feature = new ResourceKind("feature", "features", "", customFields: true)
        {
            Workflow = FeatureWorkflow,
            ListFields = new[] { "id", "reference_num", "name", "created_at", "product_id", "url", "resource" },
            Relations = new[] { new Relation("release", "release"), new Relation("epic", "epic"), new Relation("initiative", "initiative"), new Relation("goals", "goal", many: true) },
        };

        public static readonly ResourceKind Requirement = new ResourceKind("requirement", "requirements", "", customFields: true)
        {
            ProductAttribute = null,
            Workflow = FeatureWorkflow,
            Relations = new[] { new Relation("feature", "feature", writable: false) },
        };

        public static readonly ResourceKind Idea = new ResourceKind("idea", "ideas", "I", customFields: true)
        {
            Workflow = IdeaWorkflow,
            ProductAttribute = "product",
            ListFields = new[] { "id", "reference_num", "name", "created_at", "workflow_status", "url", "resource" },
            Relations = new[] { new Relation("feature", "feature", writable: false) },
        };

        public static readonly ResourceKind Initiative = new ResourceKind("initiative", "initiatives", "S", customFields: true)
        {
            Workflow = StrategyWorkflow,
            Relations = new[] { new Relation("goals", "goal", many: true) },
        };

        public static readonly ResourceKind Goal = new ResourceKind("goal", "goals", "G", customFields: true)
        {
            Workflow = StrategyWorkflow,
            Relations = new[] { new Relation("initiatives", "initiative", many: true) },
        };

        public static readonly ResourceKind Comment = new ResourceKind("comment", "comments", keyInfix: null)
        {
            ProductAttribute = null,
            RequiredOnCreate = new[] { "body" },
            ListFields = new[] { "id", "body", "created_at", "updated_at", "user", "commentable", "url", "resource" },
        };

        public static readonly ResourceKind Task = new ResourceKind("task", "tasks", keyInfix: null)
        {
            ProductAttribute = null,
            WrapperAliases = new[] { "todo" },
            ListFields = new[] { "id", "name", "body", "status", "due_date", "created_at", "updated_at", "assigned_to_users", "url", "resource" },
        };

        public static readonly ResourceKind TimeTrackingEvent = new ResourceKind("time_tracking_event", "time_tracking_events", keyInfix: null)
        {
            ProductAttribute = null,
            HasUrls = false,
            RequiredOnCreate = Array.Empty<string>(),
            ListFields = new[] { "id", "user", "occurred_on", "work_done", "work_units" },
        };

        public static readonly ResourceKind ReleasePhase = new ResourceKind("release_phase", "release_phases", keyInfix: null, customFields: true)
        {
            ProductAttribute = null,
            ListFields = new[] { "id", "name", "start_on", "end_on", "type", "release_id", "progress", "created_at", "url", "resource" },
            Relations = new[] { new Relation("release", "release") },
        };

        public static readonly ResourceKind IdeaOrganization = new ResourceKind("idea_organization", "idea_organizations", keyInfix: null, customFields: true)
        {
            ProductAttribute = null,
            ListFields = new[] { "id", "name", "email_domains", "revenue", "created_at", "url", "resource" },
        };

        public static readonly ResourceKind Competitor = new ResourceKind("competitor", "competitors", keyInfix: null)
        {
            PlainDescription = true,
            ProductAttribute = null,
            ListFields = new[] { "id", "name", "description", "strengths", "weaknesses", "created_at", "url", "resource" },
        };

        public static readonly ResourceKind StrategyModel = new ResourceKind("strategy_model", "strategy_models", keyInfix: null)
        {
            PlainDescription = true,
            ProductAttribute = null,
            WrapperAliases = new[] { "strategic_model" },
            ListFields = new[] { "id", "name", "type", "description", "created_at", "url", "resource" },
        };

        public static readonly ResourceKind Endorsement = new ResourceKind("idea_endorsement", "idea_endorsements", keyInfix: null, customFields: true)
        {
            ProductAttribute = null,
            WrapperAliases = new[] { "endorsement", "vote" },
            RequiredOnCreate = Array.Empty<string>(),
            HasUrls = false,
            ListFields = new[] { "id", "value", "link", "description", "vote_type", "created_at", "endorsed_by_portal_user", "idea_organization", "user" },
        };

        public static readonly ResourceKind User = new ResourceKind("user", "users", keyInfix: null)
        {
            ProductAttribute = null,
            HasUrls = false,
            RequiredOnCreate = new[] { "email" }, // Aha! creates a user from an email and first/last names
            ListFields = new[] { "id", "name", "email", "created_at", "updated_at" },
        };

        public static readonly ResourceKind[] All =
        {
            Product, Release, Epic, Feature, Requirement, Idea, Initiative, Goal, Comment, Task, TimeTrackingEvent,
            ReleasePhase, IdeaOrganization, Competitor, StrategyModel, Endorsement, User,
        };

        private static readonly Dictionary<string, ResourceKind> ByWrapper = All
            .SelectMany(k => k.WrapperNames.Select(w => (w, k)).Concat(new[] { (k.Plural, k) }))
            .Concat(new[] { ("strategic_models", StrategyModel), ("master_features", Epic) })
            .GroupBy(p => p.Item1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal);

        public static ResourceKind? FromWrapper(string wrapper) => ByWrapper.TryGetValue(wrapper, out var k) ? k : null;

        public static ResourceKind ByName(string name) => All.First(k => k.Name == name);
    }
}
