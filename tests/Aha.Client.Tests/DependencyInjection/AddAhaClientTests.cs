using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.DependencyInjection
{
    public class AddAhaClientTests
    {
        private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        [Test]
        public async Task Options_are_bound_from_the_Aha_configuration_section()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var services = new ServiceCollection();
            services.AddSingleton(Config(new Dictionary<string, string?>
            {
                ["Aha:Account"] = "bound",
                ["Aha:Token"] = "test-token",
                ["Aha:UserAgent"] = "Config test (dev@example.com)",
                ["Aha:RateLimit:RequestsPerSecond"] = "2",
                ["Aha:Resilience:MaxRetryAttempts"] = "1",
                ["Aha:Resilience:TotalTimeout"] = "00:10:00",
            }));
            services.AddSingleton<TimeProvider>(clock);
            var builder = services.AddAhaClient();
            Assert.That(builder, Is.InstanceOf<IHttpClientBuilder>());
            builder.ConfigurePrimaryHttpMessageHandler(() => TestClients.AlwaysOk(sent));
            using var provider = services.BuildServiceProvider();

            var options = provider.GetRequiredService<IOptions<AhaClientOptions>>().Value;
            Assert.That((options.Account, options.RateLimit.RequestsPerSecond, options.Resilience.MaxRetryAttempts, options.Resilience.TotalTimeout),
                Is.EqualTo(("bound", 2, 1, TimeSpan.FromMinutes(10))));

            var aha = provider.GetRequiredService<AhaClient>();
            Assert.That(aha.HttpClient.BaseAddress, Is.EqualTo(new Uri("https://bound.aha.io/api/v1/")));
            Assert.That(aha.HttpClient.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));

            // The registered TimeProvider drives the limiter: the 3rd request in a second waits (1 s + the 5 ms default margin).
            (await TestClock.Completes(aha.GetAsync("a"))).Dispose();
            (await TestClock.Completes(aha.GetAsync("b"))).Dispose();
            var third = aha.GetAsync("c");
            Assert.That(await clock.WaitForTimerAsync(TimeSpan.FromSeconds(2)), Is.EqualTo(TimeSpan.FromMilliseconds(1005)));
            clock.Advance(TimeSpan.FromMilliseconds(1005));
            (await TestClock.Completes(third)).Dispose();
            Assert.That(sent.Value, Is.EqualTo(3));
        }

        [Test]
        public void Code_configuration_runs_after_binding_and_another_section_can_be_used()
        {
            var services = new ServiceCollection();
            var section = Config(new Dictionary<string, string?> { ["Clients:Aha:Account"] = "fromsection", ["Clients:Aha:Token"] = "test-token" }).GetSection("Clients:Aha");
            services.AddAhaClient(section, o => o.UserAgent = "Code (dev@example.com)");
            using var provider = services.BuildServiceProvider();
            var options = provider.GetRequiredService<IOptions<AhaClientOptions>>().Value;
            Assert.That((options.Account, options.UserAgent), Is.EqualTo(("fromsection", "Code (dev@example.com)")));
        }

        [Test]
        public void Invalid_options_fail_with_the_validation_messages()
        {
            var services = new ServiceCollection();
            services.AddAhaClient(o => o.Account = "not valid!");
            using var provider = services.BuildServiceProvider();
            var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AhaClient>());
            Assert.That(error!.Message, Does.Contain("Token is missing").And.Contain("'not valid!' is not a valid Aha! account name"));
        }

        [Test]
        public async Task Handlers_added_by_the_user_run_inside_the_pipeline_once_per_attempt()
        {
            var clock = new TestClock();
            var seenByUser = new List<string?>();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ => sent.Increment() == 1 ? TestClients.Json(HttpStatusCode.ServiceUnavailable, "{}") : TestClients.Json(HttpStatusCode.OK, "{}"));
            var services = new ServiceCollection();
            services.AddAhaClient(o =>
            {
                o.Account = "company";
                o.Token = "test-token";
                o.TimeProvider = clock;
                o.Resilience.UseJitter = false;
            })
            .AddHttpMessageHandler(() => new Spy(r => seenByUser.Add(r.Headers.Authorization?.Scheme)))
            .ConfigurePrimaryHttpMessageHandler(() => mock);
            using var provider = services.BuildServiceProvider();
            var aha = provider.GetRequiredService<AhaClient>();

            (await clock.RunAsync(aha.GetAsync("features"))).Dispose();
            Assert.That(seenByUser, Is.EqualTo(new[] { "Bearer", "Bearer" }), "inside retry and authentication");
        }

        [Test]
        public async Task DI_and_non_DI_clients_share_one_rate_limit_budget()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var transport = TestClients.AlwaysOk(sent);
            var services = new ServiceCollection();
            services.AddAhaClient(o =>
            {
                o.Account = "company";
                o.Token = "test-token";
                o.TimeProvider = clock;
                o.RateLimit.RequestsPerSecond = 3;
            }).ConfigurePrimaryHttpMessageHandler(() => transport);
            using var provider = services.BuildServiceProvider();
            var fromDi = provider.GetRequiredService<AhaClient>();
            var plain = TestClients.Create(clock, transport, o => o.RateLimit.RequestsPerSecond = 3);

            (await TestClock.Completes(fromDi.GetAsync("a"))).Dispose();
            (await TestClock.Completes(plain.GetAsync("b"))).Dispose();
            (await TestClock.Completes(fromDi.GetAsync("c"))).Dispose();
            var fourth = plain.GetAsync("d");
            Assert.That(await clock.WaitForTimerAsync(TimeSpan.FromSeconds(2)), Is.EqualTo(TimeSpan.FromMilliseconds(1005)));
            Assert.That(sent.Value, Is.EqualTo(3));
            Assert.That(fromDi.RateLimit, Is.SameAs(plain.RateLimit));

            clock.Advance(TimeSpan.FromMilliseconds(1005));
            (await TestClock.Completes(fourth)).Dispose();
        }

        [Test]
        public void Every_resolution_gives_a_client_over_the_named_HttpClient()
        {
            var services = new ServiceCollection();
            services.AddAhaClient(o =>
            {
                o.Account = "company";
                o.Token = "test-token";
            });
            using var provider = services.BuildServiceProvider();
            var a = provider.GetRequiredService<AhaClient>();
            var b = provider.GetRequiredService<AhaClient>();
            Assert.That(a, Is.Not.SameAs(b));
            Assert.That(a.RateLimit, Is.SameAs(b.RateLimit));
            var named = provider.GetRequiredService<IHttpClientFactory>().CreateClient(AhaServiceCollectionExtensions.HttpClientName);
            Assert.That(named.BaseAddress, Is.EqualTo(a.HttpClient.BaseAddress));
        }

        [Test]
        public async Task Registering_twice_does_not_chain_the_pipeline_twice()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var services = new ServiceCollection();
            services.AddAhaClient(o =>
            {
                o.Account = "company";
                o.Token = "test-token";
                o.TimeProvider = clock;
                o.RateLimit.RequestsPerSecond = 2;
            });
            services.AddAhaClient(o => o.UserAgent = "Second registration (dev@example.com)")
                .ConfigurePrimaryHttpMessageHandler(() => TestClients.AlwaysOk(sent));
            using var provider = services.BuildServiceProvider();
            var aha = provider.GetRequiredService<AhaClient>();

            // Two requests fit in the per-second window only if each takes one permit, not two.
            (await TestClock.Completes(aha.GetAsync("a"))).Dispose();
            (await TestClock.Completes(aha.GetAsync("b"))).Dispose();
            Assert.That(sent.Value, Is.EqualTo(2));
            Assert.That(provider.GetRequiredService<IOptions<AhaClientOptions>>().Value.UserAgent, Is.EqualTo("Second registration (dev@example.com)"));
        }

        private sealed class Spy : DelegatingHandler
        {
            private readonly Action<HttpRequestMessage> _see;

            public Spy(Action<HttpRequestMessage> see) => _see = see;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                _see(request);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
