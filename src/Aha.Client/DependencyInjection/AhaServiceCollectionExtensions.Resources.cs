using Aha.Client;

namespace Microsoft.Extensions.DependencyInjection
{
    // The per-resource clients, for constructor injection of just what a service needs (IFeaturesClient, ...).
    // Each resolves through AhaClient, so it uses the same named HttpClient and pipeline. A contract test fails if a
    // generated client is missing here.
    public static partial class AhaServiceCollectionExtensions
    {
        static partial void AddResourceClients(IServiceCollection services)
        {
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Features);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Releases);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Epics);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Requirements);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Ideas);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Initiatives);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Goals);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().StrategicModels);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().ReleasePhases);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Products);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Me);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaOrganizations);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Todos);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Comments);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().TimeTracking);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Competitors);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Audits);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Deletions);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IntegrationFields);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().HistoricalAudits);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().AccountBackups);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Attachments);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CustomReports);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CapacityInvestments);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CapacityEstimateValues);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CapacityScenarios);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CreativeBriefs);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CustomFields);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CustomFieldOptions);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CustomTableRecords);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().DiscoveryGroups);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().WorkflowStatusTimes);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().RecordLinks);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().KeyResults);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaComments);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaPortals);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaPortalUsers);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaThemes);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaUsers);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaSubscriptions);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdentityProviders);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IntegrationChanges);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Integrations);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().KnowledgeBases);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Notes);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().PaidSeatGroups);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Personas);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IdeaCategories);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Teams);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Users);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Workflows);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().SchedulableChanges);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().Schedules);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().CustomLayouts);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().StrategicPositionings);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().StrategicVisions);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().TeamMembers);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().TeamMemberships);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().AssistantUsage);
            services.AddTransient(sp => sp.GetRequiredService<AhaClient>().IntegrationWebhooks);
        }
    }
}
