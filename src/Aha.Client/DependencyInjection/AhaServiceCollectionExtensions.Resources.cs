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
        }
    }
}
