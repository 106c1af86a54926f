using System.Net.Http;

namespace Aha.Client
{
    // One property per tag of openapi/aha.yaml. The public clients are emitted by Aha.Client.Generators over the internal
    // NSwag clients (obj/Generated/AhaClient.g.cs); a contract test fails if a tag's client is missing here.
    public partial class AhaClient
    {
        /// <summary>Features: list (account-wide or by product, release, epic, goal, initiative), get, create in a release, update (including custom fields, score, epic, release, progress), delete, convert to an epic.</summary>
        public virtual FeaturesClient Features { get; private set; } = null!;

        /// <summary>Releases: list (account-wide, by product, goal, initiative, roll-up), get, create, update, delete, duplicate.</summary>
        public virtual ReleasesClient Releases { get; private set; } = null!;

        /// <summary>Epics: list (account-wide or by product, release, goal, initiative), get, create, update.</summary>
        public virtual EpicsClient Epics { get; private set; } = null!;

        /// <summary>Requirements of features: get and update.</summary>
        public virtual RequirementsClient Requirements { get; private set; } = null!;

        /// <summary>Ideas: list, search related ideas, get, create, update (including spam and watchers), delete, promote, endorsements (votes), watchers.</summary>
        public virtual IdeasClient Ideas { get; private set; } = null!;

        /// <summary>Initiatives: list, get, create in a product.</summary>
        public virtual InitiativesClient Initiatives { get; private set; } = null!;

        /// <summary>Goals: list, get, create in a product, update (including progress).</summary>
        public virtual GoalsClient Goals { get; private set; } = null!;

        /// <summary>Strategic models (SWOT, lean canvas, ...): list, get, create, update.</summary>
        public virtual StrategicModelsClient StrategicModels { get; private set; } = null!;

        /// <summary>Release phases and milestones: list, get, create, update.</summary>
        public virtual ReleasePhasesClient ReleasePhases { get; private set; } = null!;

        /// <summary>Products (workspaces): list and get.</summary>
        public virtual ProductsClient Products { get; private set; } = null!;

        /// <summary>The authenticated user, the records assigned to them and their pending to-dos.</summary>
        public virtual MeClient Me { get; private set; } = null!;

        /// <summary>Idea organizations: list, get, create, update.</summary>
        public virtual IdeaOrganizationsClient IdeaOrganizations { get; private set; } = null!;

        /// <summary>To-dos (tasks): list, get, create, update.</summary>
        public virtual TodosClient Todos { get; private set; } = null!;

        /// <summary>Comments on features, releases, epics, requirements, ideas, initiatives, goals, release phases, to-dos and products.</summary>
        public virtual CommentsClient Comments { get; private set; } = null!;

        /// <summary>Time tracking events on features and requirements.</summary>
        public virtual TimeTrackingClient TimeTracking { get; private set; } = null!;

        /// <summary>Competitors of a product.</summary>
        public virtual CompetitorsClient Competitors { get; private set; } = null!;

        /// <summary>Change history of the last 12 months (audits): filter by record, owning record, action, user and time window; read long histories with the <c>after_id</c> cursor.</summary>
        public virtual AuditsClient Audits { get; private set; } = null!;

        /// <summary>The recycle bin: list recently deleted records and restore them.</summary>
        public virtual DeletionsClient Deletions { get; private set; } = null!;

        /// <summary>Integration field values on records (set, read, delete) and the lookup of records by such a value, to find again a record created from another system.</summary>
        public virtual IntegrationFieldsClient IntegrationFields { get; private set; } = null!;

        /// <summary>Change history older than 12 months: the index, asynchronous searches and their results (administrators only; searches spend tokens).</summary>
        public virtual HistoricalAuditsClient HistoricalAudits { get; private set; } = null!;

        /// <summary>Account backups: list, request (one a day), check the status, download the archive.</summary>
        public virtual AccountBackupsClient AccountBackups { get; private set; } = null!;

        /// <summary>Attachments: upload a file (or link one) to a comment, idea comment, note, to-do or custom field; delete one.</summary>
        public virtual AttachmentsClient Attachments { get; private set; } = null!;

        /// <summary>Saved custom reports (pivots): read one with its data.</summary>
        public virtual CustomReportsClient CustomReports { get; private set; } = null!;

        /// <summary>Capacity investments of epics, features, initiatives and products: list, get, create, update.</summary>
        public virtual CapacityInvestmentsClient CapacityInvestments { get; private set; } = null!;

        /// <summary>Estimate values of capacity investments: list, create, update, delete.</summary>
        public virtual CapacityEstimateValuesClient CapacityEstimateValues { get; private set; } = null!;

        /// <summary>Capacity planning scenarios: list and get.</summary>
        public virtual CapacityScenariosClient CapacityScenarios { get; private set; } = null!;

        /// <summary>Creative briefs of products: list, get, create, update, delete.</summary>
        public virtual CreativeBriefsClient CreativeBriefs { get; private set; } = null!;

        /// <summary>Custom field definitions of the account and the options of a choice field.</summary>
        public virtual CustomFieldsClient CustomFields { get; private set; } = null!;

        /// <summary>Options of custom fields with predefined choices: list, create, update, delete.</summary>
        public virtual CustomFieldOptionsClient CustomFieldOptions { get; private set; } = null!;

        /// <summary>Records of custom tables: list and create per table, get, update, delete.</summary>
        public virtual CustomTableRecordsClient CustomTableRecords { get; private set; } = null!;

        /// <summary>Discovery groups: list, get, create, update, delete.</summary>
        public virtual DiscoveryGroupsClient DiscoveryGroups { get; private set; } = null!;

        /// <summary>Time spent by records in each workflow status: list and record per record, get, update, delete.</summary>
        public virtual WorkflowStatusTimesClient WorkflowStatusTimes { get; private set; } = null!;

        /// <summary>Links between records: list a feature's links, get, create, delete.</summary>
        public virtual RecordLinksClient RecordLinks { get; private set; } = null!;

        /// <summary>Key results of goals: list per goal, get, create, update, delete.</summary>
        public virtual KeyResultsClient KeyResults { get; private set; } = null!;

        /// <summary>Comments written in ideas portals (separate from record comments): list per idea, create, update, delete.</summary>
        public virtual IdeaCommentsClient IdeaComments { get; private set; } = null!;

        /// <summary>Ideas portals: list (account-wide or per product), create, update.</summary>
        public virtual IdeaPortalsClient IdeaPortals { get; private set; } = null!;

        /// <summary>Users of ideas portals: list, get, create, update, delete, and their subscriptions.</summary>
        public virtual IdeaPortalUsersClient IdeaPortalUsers { get; private set; } = null!;

        /// <summary>Idea themes: list, get, create, update, delete.</summary>
        public virtual IdeaThemesClient IdeaThemes { get; private set; } = null!;

        /// <summary>Idea users (people who submit or vote without an Aha! seat): list, get, create, update, delete.</summary>
        public virtual IdeaUsersClient IdeaUsers { get; private set; } = null!;

        /// <summary>Subscriptions to ideas: list per idea, get, create, delete.</summary>
        public virtual IdeaSubscriptionsClient IdeaSubscriptions { get; private set; } = null!;

        /// <summary>Single sign-on identity providers: list and get.</summary>
        public virtual IdentityProvidersClient IdentityProviders { get; private set; } = null!;

        /// <summary>Send records to an integration and follow the job that does it.</summary>
        public virtual IntegrationChangesClient IntegrationChanges { get; private set; } = null!;

        /// <summary>Integrations of the account and of products: list, get, create, update.</summary>
        public virtual IntegrationsClient Integrations { get; private set; } = null!;

        /// <summary>Knowledge bases and their pages: get a knowledge base, list and get its pages.</summary>
        public virtual KnowledgeBasesClient KnowledgeBases { get; private set; } = null!;

        /// <summary>Notes (pages) of products: list, get, create, update, delete, publish, unpublish.</summary>
        public virtual NotesClient Notes { get; private set; } = null!;

        /// <summary>Paid seat groups: list, update, add or remove a user.</summary>
        public virtual PaidSeatGroupsClient PaidSeatGroups { get; private set; } = null!;

        /// <summary>Personas of products: list, get, create, update, delete.</summary>
        public virtual PersonasClient Personas { get; private set; } = null!;

        /// <summary>Idea categories of a product: list and create.</summary>
        public virtual IdeaCategoriesClient IdeaCategories { get; private set; } = null!;

        /// <summary>Teams: list (account-wide or per product), get, create, update, delete.</summary>
        public virtual TeamsClient Teams { get; private set; } = null!;

        /// <summary>Users of the account: list (account-wide or per product), get, create, update, product roles and user roles.</summary>
        public virtual UsersClient Users { get; private set; } = null!;

        /// <summary>Workflows and their statuses: list per product, get.</summary>
        public virtual WorkflowsClient Workflows { get; private set; } = null!;

        /// <summary>Scheduled changes to team memberships: list, create, update, delete.</summary>
        public virtual SchedulableChangesClient SchedulableChanges { get; private set; } = null!;

        /// <summary>Work schedules: list.</summary>
        public virtual SchedulesClient Schedules { get; private set; } = null!;

        /// <summary>Custom layouts (screen definitions): list and get.</summary>
        public virtual CustomLayoutsClient CustomLayouts { get; private set; } = null!;

        /// <summary>Strategic positionings: list and get.</summary>
        public virtual StrategicPositioningsClient StrategicPositionings { get; private set; } = null!;

        /// <summary>Strategic visions: list and get.</summary>
        public virtual StrategicVisionsClient StrategicVisions { get; private set; } = null!;

        /// <summary>Members of capacity-planning teams: list, create, delete.</summary>
        public virtual TeamMembersClient TeamMembers { get; private set; } = null!;

        /// <summary>Memberships of users in teams: list, create, delete.</summary>
        public virtual TeamMembershipsClient TeamMemberships { get; private set; } = null!;

        /// <summary>Usage of the Aha! AI assistant, per user.</summary>
        public virtual AssistantUsageClient AssistantUsage { get; private set; } = null!;

        /// <summary>Endpoints that third-party services call on Aha! (webhook validation and confirmation); rarely needed by an API client.</summary>
        public virtual IntegrationWebhooksClient IntegrationWebhooks { get; private set; } = null!;

        partial void InitializeResources(HttpClient httpClient)
        {
            Features = new FeaturesClient(httpClient);
            Releases = new ReleasesClient(httpClient);
            Epics = new EpicsClient(httpClient);
            Requirements = new RequirementsClient(httpClient);
            Ideas = new IdeasClient(httpClient);
            Initiatives = new InitiativesClient(httpClient);
            Goals = new GoalsClient(httpClient);
            StrategicModels = new StrategicModelsClient(httpClient);
            ReleasePhases = new ReleasePhasesClient(httpClient);
            Products = new ProductsClient(httpClient);
            Me = new MeClient(httpClient);
            IdeaOrganizations = new IdeaOrganizationsClient(httpClient);
            Todos = new TodosClient(httpClient);
            Comments = new CommentsClient(httpClient);
            TimeTracking = new TimeTrackingClient(httpClient);
            Competitors = new CompetitorsClient(httpClient);
            Audits = new AuditsClient(httpClient);
            Deletions = new DeletionsClient(httpClient);
            IntegrationFields = new IntegrationFieldsClient(httpClient);
            HistoricalAudits = new HistoricalAuditsClient(httpClient);
            AccountBackups = new AccountBackupsClient(httpClient);
            Attachments = new AttachmentsClient(httpClient);
            CustomReports = new CustomReportsClient(httpClient);
            CapacityInvestments = new CapacityInvestmentsClient(httpClient);
            CapacityEstimateValues = new CapacityEstimateValuesClient(httpClient);
            CapacityScenarios = new CapacityScenariosClient(httpClient);
            CreativeBriefs = new CreativeBriefsClient(httpClient);
            CustomFields = new CustomFieldsClient(httpClient);
            CustomFieldOptions = new CustomFieldOptionsClient(httpClient);
            CustomTableRecords = new CustomTableRecordsClient(httpClient);
            DiscoveryGroups = new DiscoveryGroupsClient(httpClient);
            WorkflowStatusTimes = new WorkflowStatusTimesClient(httpClient);
            RecordLinks = new RecordLinksClient(httpClient);
            KeyResults = new KeyResultsClient(httpClient);
            IdeaComments = new IdeaCommentsClient(httpClient);
            IdeaPortals = new IdeaPortalsClient(httpClient);
            IdeaPortalUsers = new IdeaPortalUsersClient(httpClient);
            IdeaThemes = new IdeaThemesClient(httpClient);
            IdeaUsers = new IdeaUsersClient(httpClient);
            IdeaSubscriptions = new IdeaSubscriptionsClient(httpClient);
            IdentityProviders = new IdentityProvidersClient(httpClient);
            IntegrationChanges = new IntegrationChangesClient(httpClient);
            Integrations = new IntegrationsClient(httpClient);
            KnowledgeBases = new KnowledgeBasesClient(httpClient);
            Notes = new NotesClient(httpClient);
            PaidSeatGroups = new PaidSeatGroupsClient(httpClient);
            Personas = new PersonasClient(httpClient);
            IdeaCategories = new IdeaCategoriesClient(httpClient);
            Teams = new TeamsClient(httpClient);
            Users = new UsersClient(httpClient);
            Workflows = new WorkflowsClient(httpClient);
            SchedulableChanges = new SchedulableChangesClient(httpClient);
            Schedules = new SchedulesClient(httpClient);
            CustomLayouts = new CustomLayoutsClient(httpClient);
            StrategicPositionings = new StrategicPositioningsClient(httpClient);
            StrategicVisions = new StrategicVisionsClient(httpClient);
            TeamMembers = new TeamMembersClient(httpClient);
            TeamMemberships = new TeamMembershipsClient(httpClient);
            AssistantUsage = new AssistantUsageClient(httpClient);
            IntegrationWebhooks = new IntegrationWebhooksClient(httpClient);
        }
    }
}
