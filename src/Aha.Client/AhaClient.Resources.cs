using System;
using System.Net.Http;
using System.Threading;

namespace Aha.Client
{
    // One property per tag of openapi/aha.yaml. The public clients are emitted by Aha.Client.Generators over the internal
    // NSwag clients (obj/Generated/AhaClient.g.cs); a contract test fails if a tag's client is missing here.
    public partial class AhaClient
    {
        private FeaturesClient? _features;
        private ReleasesClient? _releases;
        private EpicsClient? _epics;
        private RequirementsClient? _requirements;
        private IdeasClient? _ideas;
        private InitiativesClient? _initiatives;
        private GoalsClient? _goals;
        private StrategicModelsClient? _strategicModels;
        private ReleasePhasesClient? _releasePhases;
        private ProductsClient? _products;
        private MeClient? _me;
        private IdeaOrganizationsClient? _ideaOrganizations;
        private TodosClient? _todos;
        private CommentsClient? _comments;
        private TimeTrackingClient? _timeTracking;
        private CompetitorsClient? _competitors;
        private AuditsClient? _audits;
        private DeletionsClient? _deletions;
        private IntegrationFieldsClient? _integrationFields;
        private HistoricalAuditsClient? _historicalAudits;
        private AccountBackupsClient? _accountBackups;
        private AttachmentsClient? _attachments;
        private CustomReportsClient? _customReports;
        private CapacityInvestmentsClient? _capacityInvestments;
        private CapacityEstimateValuesClient? _capacityEstimateValues;
        private CapacityScenariosClient? _capacityScenarios;
        private CreativeBriefsClient? _creativeBriefs;
        private CustomFieldsClient? _customFields;
        private CustomFieldOptionsClient? _customFieldOptions;
        private CustomTableRecordsClient? _customTableRecords;
        private DiscoveryGroupsClient? _discoveryGroups;
        private WorkflowStatusTimesClient? _workflowStatusTimes;
        private RecordLinksClient? _recordLinks;
        private KeyResultsClient? _keyResults;
        private IdeaCommentsClient? _ideaComments;
        private IdeaPortalsClient? _ideaPortals;
        private IdeaPortalUsersClient? _ideaPortalUsers;
        private IdeaThemesClient? _ideaThemes;
        private IdeaUsersClient? _ideaUsers;
        private IdeaSubscriptionsClient? _ideaSubscriptions;
        private IdentityProvidersClient? _identityProviders;
        private IntegrationChangesClient? _integrationChanges;
        private IntegrationsClient? _integrations;
        private KnowledgeBasesClient? _knowledgeBases;
        private NotesClient? _notes;
        private PaidSeatGroupsClient? _paidSeatGroups;
        private PersonasClient? _personas;
        private IdeaCategoriesClient? _ideaCategories;
        private TeamsClient? _teams;
        private UsersClient? _users;
        private WorkflowsClient? _workflows;
        private SchedulableChangesClient? _schedulableChanges;
        private SchedulesClient? _schedules;
        private CustomLayoutsClient? _customLayouts;
        private StrategicPositioningsClient? _strategicPositionings;
        private StrategicVisionsClient? _strategicVisions;
        private TeamMembersClient? _teamMembers;
        private TeamMembershipsClient? _teamMemberships;
        private AssistantUsageClient? _assistantUsage;
        private IntegrationWebhooksClient? _integrationWebhooks;

        /// <summary>Features: list (account-wide or by product, release, epic, goal, initiative), get, create in a release, update (including custom fields, score, epic, release, progress), delete, convert to an epic.</summary>
        public virtual FeaturesClient Features => Resource(ref _features, static http => new FeaturesClient(http));

        /// <summary>Releases: list (account-wide, by product, goal, initiative, roll-up), get, create, update, delete, duplicate.</summary>
        public virtual ReleasesClient Releases => Resource(ref _releases, static http => new ReleasesClient(http));

        /// <summary>Epics: list (account-wide or by product, release, goal, initiative), get, create, update.</summary>
        public virtual EpicsClient Epics => Resource(ref _epics, static http => new EpicsClient(http));

        /// <summary>Requirements of features: get and update.</summary>
        public virtual RequirementsClient Requirements => Resource(ref _requirements, static http => new RequirementsClient(http));

        /// <summary>Ideas: list, search related ideas, get, create, update (including spam and watchers), delete, promote, endorsements (votes), watchers.</summary>
        public virtual IdeasClient Ideas => Resource(ref _ideas, static http => new IdeasClient(http));

        /// <summary>Initiatives: list, get, create in a product.</summary>
        public virtual InitiativesClient Initiatives => Resource(ref _initiatives, static http => new InitiativesClient(http));

        /// <summary>Goals: list, get, create in a product, update (including progress).</summary>
        public virtual GoalsClient Goals => Resource(ref _goals, static http => new GoalsClient(http));

        /// <summary>Strategic models (SWOT, lean canvas, ...): list, get, create, update.</summary>
        public virtual StrategicModelsClient StrategicModels => Resource(ref _strategicModels, static http => new StrategicModelsClient(http));

        /// <summary>Release phases and milestones: list, get, create, update.</summary>
        public virtual ReleasePhasesClient ReleasePhases => Resource(ref _releasePhases, static http => new ReleasePhasesClient(http));

        /// <summary>Products (workspaces): list and get.</summary>
        public virtual ProductsClient Products => Resource(ref _products, static http => new ProductsClient(http));

        /// <summary>The authenticated user, the records assigned to them and their pending to-dos.</summary>
        public virtual MeClient Me => Resource(ref _me, static http => new MeClient(http));

        /// <summary>Idea organizations: list, get, create, update.</summary>
        public virtual IdeaOrganizationsClient IdeaOrganizations => Resource(ref _ideaOrganizations, static http => new IdeaOrganizationsClient(http));

        /// <summary>To-dos (tasks): list, get, create, update.</summary>
        public virtual TodosClient Todos => Resource(ref _todos, static http => new TodosClient(http));

        /// <summary>Comments on features, releases, epics, requirements, ideas, initiatives, goals, release phases, to-dos and products.</summary>
        public virtual CommentsClient Comments => Resource(ref _comments, static http => new CommentsClient(http));

        /// <summary>Time tracking events on features and requirements.</summary>
        public virtual TimeTrackingClient TimeTracking => Resource(ref _timeTracking, static http => new TimeTrackingClient(http));

        /// <summary>Competitors of a product.</summary>
        public virtual CompetitorsClient Competitors => Resource(ref _competitors, static http => new CompetitorsClient(http));

        /// <summary>Change history of the last 12 months (audits): filter by record, owning record, action, user and time window; read long histories with the <c>after_id</c> cursor.</summary>
        public virtual AuditsClient Audits => Resource(ref _audits, static http => new AuditsClient(http));

        /// <summary>The recycle bin: list recently deleted records and restore them.</summary>
        public virtual DeletionsClient Deletions => Resource(ref _deletions, static http => new DeletionsClient(http));

        /// <summary>Integration field values on records (set, read, delete) and the lookup of records by such a value, to find again a record created from another system.</summary>
        public virtual IntegrationFieldsClient IntegrationFields => Resource(ref _integrationFields, static http => new IntegrationFieldsClient(http));

        /// <summary>Change history older than 12 months: the index, asynchronous searches and their results (administrators only; searches spend tokens).</summary>
        public virtual HistoricalAuditsClient HistoricalAudits => Resource(ref _historicalAudits, static http => new HistoricalAuditsClient(http));

        /// <summary>Account backups: list, request (one a day), check the status, download the archive.</summary>
        public virtual AccountBackupsClient AccountBackups => Resource(ref _accountBackups, static http => new AccountBackupsClient(http));

        /// <summary>Attachments: upload a file (or link one) to a comment, idea comment, note, to-do or custom field; delete one.</summary>
        public virtual AttachmentsClient Attachments => Resource(ref _attachments, static http => new AttachmentsClient(http));

        /// <summary>Saved custom reports (pivots): read one with its data.</summary>
        public virtual CustomReportsClient CustomReports => Resource(ref _customReports, static http => new CustomReportsClient(http));

        /// <summary>Capacity investments of epics, features, initiatives and products: list, get, create, update.</summary>
        public virtual CapacityInvestmentsClient CapacityInvestments => Resource(ref _capacityInvestments, static http => new CapacityInvestmentsClient(http));

        /// <summary>Estimate values of capacity investments: list, create, update, delete.</summary>
        public virtual CapacityEstimateValuesClient CapacityEstimateValues => Resource(ref _capacityEstimateValues, static http => new CapacityEstimateValuesClient(http));

        /// <summary>Capacity planning scenarios: list and get.</summary>
        public virtual CapacityScenariosClient CapacityScenarios => Resource(ref _capacityScenarios, static http => new CapacityScenariosClient(http));

        /// <summary>Creative briefs of products: list, get, create, update, delete.</summary>
        public virtual CreativeBriefsClient CreativeBriefs => Resource(ref _creativeBriefs, static http => new CreativeBriefsClient(http));

        /// <summary>Custom field definitions of the account and the options of a choice field.</summary>
        public virtual CustomFieldsClient CustomFields => Resource(ref _customFields, static http => new CustomFieldsClient(http));

        /// <summary>Options of custom fields with predefined choices: list, create, update, delete.</summary>
        public virtual CustomFieldOptionsClient CustomFieldOptions => Resource(ref _customFieldOptions, static http => new CustomFieldOptionsClient(http));

        /// <summary>Records of custom tables: list and create per table, get, update, delete.</summary>
        public virtual CustomTableRecordsClient CustomTableRecords => Resource(ref _customTableRecords, static http => new CustomTableRecordsClient(http));

        /// <summary>Discovery groups: list, get, create, update, delete.</summary>
        public virtual DiscoveryGroupsClient DiscoveryGroups => Resource(ref _discoveryGroups, static http => new DiscoveryGroupsClient(http));

        /// <summary>Time spent by records in each workflow status: list and record per record, get, update, delete.</summary>
        public virtual WorkflowStatusTimesClient WorkflowStatusTimes => Resource(ref _workflowStatusTimes, static http => new WorkflowStatusTimesClient(http));

        /// <summary>Links between records: list a feature's links, get, create, delete.</summary>
        public virtual RecordLinksClient RecordLinks => Resource(ref _recordLinks, static http => new RecordLinksClient(http));

        /// <summary>Key results of goals: list per goal, get, create, update, delete.</summary>
        public virtual KeyResultsClient KeyResults => Resource(ref _keyResults, static http => new KeyResultsClient(http));

        /// <summary>Comments written in ideas portals (separate from record comments): list per idea, create, update, delete.</summary>
        public virtual IdeaCommentsClient IdeaComments => Resource(ref _ideaComments, static http => new IdeaCommentsClient(http));

        /// <summary>Ideas portals: list (account-wide or per product), create, update.</summary>
        public virtual IdeaPortalsClient IdeaPortals => Resource(ref _ideaPortals, static http => new IdeaPortalsClient(http));

        /// <summary>Users of ideas portals: list, get, create, update, delete, and their subscriptions.</summary>
        public virtual IdeaPortalUsersClient IdeaPortalUsers => Resource(ref _ideaPortalUsers, static http => new IdeaPortalUsersClient(http));

        /// <summary>Idea themes: list, get, create, update, delete.</summary>
        public virtual IdeaThemesClient IdeaThemes => Resource(ref _ideaThemes, static http => new IdeaThemesClient(http));

        /// <summary>Idea users (people who submit or vote without an Aha! seat): list, get, create, update, delete.</summary>
        public virtual IdeaUsersClient IdeaUsers => Resource(ref _ideaUsers, static http => new IdeaUsersClient(http));

        /// <summary>Subscriptions to ideas: list per idea, get, create, delete.</summary>
        public virtual IdeaSubscriptionsClient IdeaSubscriptions => Resource(ref _ideaSubscriptions, static http => new IdeaSubscriptionsClient(http));

        /// <summary>Single sign-on identity providers: list and get.</summary>
        public virtual IdentityProvidersClient IdentityProviders => Resource(ref _identityProviders, static http => new IdentityProvidersClient(http));

        /// <summary>Send records to an integration and follow the job that does it.</summary>
        public virtual IntegrationChangesClient IntegrationChanges => Resource(ref _integrationChanges, static http => new IntegrationChangesClient(http));

        /// <summary>Integrations of the account and of products: list, get, create, update.</summary>
        public virtual IntegrationsClient Integrations => Resource(ref _integrations, static http => new IntegrationsClient(http));

        /// <summary>Knowledge bases and their pages: get a knowledge base, list and get its pages.</summary>
        public virtual KnowledgeBasesClient KnowledgeBases => Resource(ref _knowledgeBases, static http => new KnowledgeBasesClient(http));

        /// <summary>Notes (pages) of products: list, get, create, update, delete, publish, unpublish.</summary>
        public virtual NotesClient Notes => Resource(ref _notes, static http => new NotesClient(http));

        /// <summary>Paid seat groups: list, update, add or remove a user.</summary>
        public virtual PaidSeatGroupsClient PaidSeatGroups => Resource(ref _paidSeatGroups, static http => new PaidSeatGroupsClient(http));

        /// <summary>Personas of products: list, get, create, update, delete.</summary>
        public virtual PersonasClient Personas => Resource(ref _personas, static http => new PersonasClient(http));

        /// <summary>Idea categories of a product: list and create.</summary>
        public virtual IdeaCategoriesClient IdeaCategories => Resource(ref _ideaCategories, static http => new IdeaCategoriesClient(http));

        /// <summary>Teams: list (account-wide or per product), get, create, update, delete.</summary>
        public virtual TeamsClient Teams => Resource(ref _teams, static http => new TeamsClient(http));

        /// <summary>Users of the account: list (account-wide or per product), get, create, update, product roles and user roles.</summary>
        public virtual UsersClient Users => Resource(ref _users, static http => new UsersClient(http));

        /// <summary>Workflows and their statuses: list per product, get.</summary>
        public virtual WorkflowsClient Workflows => Resource(ref _workflows, static http => new WorkflowsClient(http));

        /// <summary>Scheduled changes to team memberships: list, create, update, delete.</summary>
        public virtual SchedulableChangesClient SchedulableChanges => Resource(ref _schedulableChanges, static http => new SchedulableChangesClient(http));

        /// <summary>Work schedules: list.</summary>
        public virtual SchedulesClient Schedules => Resource(ref _schedules, static http => new SchedulesClient(http));

        /// <summary>Custom layouts (screen definitions): list and get.</summary>
        public virtual CustomLayoutsClient CustomLayouts => Resource(ref _customLayouts, static http => new CustomLayoutsClient(http));

        /// <summary>Strategic positionings: list and get.</summary>
        public virtual StrategicPositioningsClient StrategicPositionings => Resource(ref _strategicPositionings, static http => new StrategicPositioningsClient(http));

        /// <summary>Strategic visions: list and get.</summary>
        public virtual StrategicVisionsClient StrategicVisions => Resource(ref _strategicVisions, static http => new StrategicVisionsClient(http));

        /// <summary>Members of capacity-planning teams: list, create, delete.</summary>
        public virtual TeamMembersClient TeamMembers => Resource(ref _teamMembers, static http => new TeamMembersClient(http));

        /// <summary>Memberships of users in teams: list, create, delete.</summary>
        public virtual TeamMembershipsClient TeamMemberships => Resource(ref _teamMemberships, static http => new TeamMembershipsClient(http));

        /// <summary>Usage of the Aha! AI assistant, per user.</summary>
        public virtual AssistantUsageClient AssistantUsage => Resource(ref _assistantUsage, static http => new AssistantUsageClient(http));

        /// <summary>Endpoints that third-party services call on Aha! (webhook validation and confirmation); rarely needed by an API client.</summary>
        public virtual IntegrationWebhooksClient IntegrationWebhooks => Resource(ref _integrationWebhooks, static http => new IntegrationWebhooksClient(http));

        // Each resource client is built on its first use, not with the AhaClient: a job that exports features builds
        // one client, not sixty (each a public and an NSwag class to load and initialise; docs/benchmarks.md, fresh
        // process). Thread-safe: the first instance stored wins and is returned to every caller from then on.
        private T Resource<T>(ref T? field, Func<HttpClient, T> create)
            where T : class
        {
            var existing = Volatile.Read(ref field);
            if (existing != null)
            {
                return existing;
            }

            var http = HttpClient ?? throw new InvalidOperationException(
                "This AhaClient was made with the protected constructor (for mocking) and has no connection: override the resource property you use.");
            var made = create(http);
            return Interlocked.CompareExchange(ref field, made, null) ?? made;
        }
    }
}
