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
        }
    }
}
