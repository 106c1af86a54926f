using System;
using System.Linq;
using System.Net.Http;
using Aha.Client;
using Aha.Client.Configuration;
using Aha.Client.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Registers the Aha! client with <see cref="IServiceCollection"/> and <c>IHttpClientFactory</c>.</summary>
    public static partial class AhaServiceCollectionExtensions
    {
        /// <summary>The name of the <see cref="HttpClient"/> the Aha! client uses (for <c>IHttpClientFactory.CreateClient</c>).</summary>
        public const string HttpClientName = "Aha.Client";

        /// <summary>
        /// Registers <see cref="AhaClient"/> (and the per-resource clients) over a named <see cref="HttpClient"/> with
        /// the Aha! pipeline: telemetry, typed errors, retries and timeouts, the process-wide rate limiter and
        /// authentication. Options are bound from the <c>"Aha"</c> configuration section when an
        /// <see cref="IConfiguration"/> is registered, then <paramref name="configure"/> runs; they are validated at
        /// start-up (or at first use without a host).
        /// </summary>
        /// <param name="services">The service collection.</param>
        /// <param name="configure">Sets options in code, after configuration binding.</param>
        /// <returns>The HTTP client builder, to add your own handlers (they run inside the pipeline, once per attempt,
        /// after authentication) or a primary handler.</returns>
        public static IHttpClientBuilder AddAhaClient(this IServiceCollection services, Action<AhaClientOptions>? configure = null)
        {
            if (services is null)
            {
                throw new ArgumentNullException(nameof(services));
            }

            services.AddSingleton<IConfigureOptions<AhaClientOptions>>(sp => new ConfigureNamedOptions<AhaClientOptions>(Options.Options.DefaultName, options =>
            {
                var configuration = sp.GetService<IConfiguration>();
                configuration?.GetSection(AhaClientOptions.SectionName).Bind(options);
            }));

            return AddAhaClientCore(services, configure);
        }

        /// <summary>
        /// Registers <see cref="AhaClient"/> like <see cref="AddAhaClient(IServiceCollection, Action{AhaClientOptions}?)"/>,
        /// binding options from the given configuration section instead of <c>"Aha"</c>.
        /// </summary>
        /// <param name="services">The service collection.</param>
        /// <param name="configurationSection">The section holding <see cref="AhaClientOptions"/> (Account, Token, RateLimit, ...).</param>
        /// <param name="configure">Sets options in code, after configuration binding.</param>
        /// <returns>The HTTP client builder.</returns>
        public static IHttpClientBuilder AddAhaClient(this IServiceCollection services, IConfiguration configurationSection, Action<AhaClientOptions>? configure = null)
        {
            if (services is null)
            {
                throw new ArgumentNullException(nameof(services));
            }

            if (configurationSection is null)
            {
                throw new ArgumentNullException(nameof(configurationSection));
            }

            services.AddSingleton<IConfigureOptions<AhaClientOptions>>(new ConfigureNamedOptions<AhaClientOptions>(Options.Options.DefaultName, configurationSection.Bind));
            return AddAhaClientCore(services, configure);
        }

        private static IHttpClientBuilder AddAhaClientCore(IServiceCollection services, Action<AhaClientOptions>? configure)
        {
            var optionsBuilder = services.AddOptions<AhaClientOptions>();
            if (configure != null)
            {
                optionsBuilder.Configure(configure);
            }

            // A second call (a library and the app both registering the client) only adds configuration: the handlers
            // must not be chained twice, or every attempt would take two permits.
            if (services.Any(d => d.ServiceType == typeof(AhaPipelineRegistration)))
            {
                return services.AddHttpClient(HttpClientName);
            }

            services.AddSingleton<AhaPipelineRegistration>();

            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AhaClientOptions>, AhaClientOptionsValidator>());
            optionsBuilder.ValidateOnStart();

            // One pipeline per container: built once from the validated options, shared by every handler chain the
            // factory creates (and so by the circuit breaker's state); the limiter budget is process-wide anyway.
            services.TryAddSingleton(sp => AhaPipeline.Create(
                sp.GetRequiredService<IOptions<AhaClientOptions>>().Value,
                sp.GetService<ILoggerFactory>(),
                sp.GetService<TimeProvider>()));

            var builder = services.AddHttpClient(HttpClientName)
                .ConfigureHttpClient((sp, client) => sp.GetRequiredService<AhaPipeline>().ConfigureHttpClient(client))
                .ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
                {
                    // Inserted first, so they stay outermost even if handlers were added to this name earlier.
                    var ours = sp.GetRequiredService<AhaPipeline>().CreateHandlers();
                    for (var i = 0; i < ours.Count; i++)
                    {
                        handlers.Insert(i, ours[i]);
                    }
                })
                .RedactLoggedHeaders(static _ => true)

                // The factory's default loggers print the full URI (query string included, on .NET 8), where a caller may
                // have put a credential. The pipeline logs each call and each attempt itself, with secrets masked, the
                // same way with or without dependency injection. Call AddDefaultLogger() on the builder to bring them back.
                .RemoveAllLoggers();

            services.TryAddTransient(sp => new AhaClient(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                sp.GetRequiredService<AhaPipeline>().RateLimitState,
                hasAhaPipeline: true));

            AddResourceClients(services);
            return builder;
        }

        /// <summary>Marks the service collection as already holding the Aha! pipeline.</summary>
        private sealed class AhaPipelineRegistration
        {
        }

        /// <summary>
        /// Registers the generated per-resource clients (<c>IFeaturesClient</c>, ...) over the same named
        /// <see cref="HttpClient"/>; implemented next to the generated code.
        /// </summary>
        /// <param name="services">The service collection.</param>
        static partial void AddResourceClients(IServiceCollection services);
    }
}
