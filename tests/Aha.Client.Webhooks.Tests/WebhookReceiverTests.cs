using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Webhooks.Tests
{
    /// <summary>The receiver on a real loopback Kestrel server.</summary>
    public sealed class WebhookReceiverTests
    {
        private const string Secret = "s3cret-0123456789-abcdefghij";

        private const string AuditBody = """
            {"event":"audit","audit":{"id":"6776757454436663266","audit_action":"update","created_at":"2019-01-01T00:00:00.000Z",
             "user":{"id":"1049303076","name":"George Gently","email":"no-reply@aha.io"},
             "auditable_type":"feature","auditable_id":1007868956,"associated_type":"release","associated_id":278327321,
             "description":"updated feature PRJ1-1","changes":[{"field_name":"Name","value":"Feature 1 &rarr; Renamed"}],"extra":{"kept":true}}}
            """;

        [Test]
        public async Task An_event_with_the_secret_is_acknowledged_and_handed_to_the_handler_as_a_change()
        {
            var received = Channel.CreateUnbounded<AhaChange>();
            await using var server = await Receiver.StartAsync(async (change, ct) => await received.Writer.WriteAsync(change, ct));

            using var response = await server.PostAsync("/hooks/aha/" + Secret, AuditBody);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

            var change = await received.Reader.ReadAsync(Timeout());
            Assert.Multiple(() =>
            {
                Assert.That(change.AuditId, Is.EqualTo("6776757454436663266"));
                Assert.That(change.Action, Is.EqualTo(AhaChangeAction.Update));
                Assert.That(change.RecordType, Is.EqualTo("feature"));
                Assert.That(change.RecordId, Is.EqualTo("1007868956"));
                Assert.That(change.PrimaryId, Is.EqualTo("1007868956"));
                Assert.That(change.User!.Name, Is.EqualTo("George Gently"));
                Assert.That(change.CreatedAt, Is.EqualTo(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)));
                Assert.That(change.Changes.Single().FieldName, Is.EqualTo("Name"));
                Assert.That(change.Changes.Single().ValueText, Is.EqualTo("Feature 1 &rarr; Renamed"));
                Assert.That((bool?)change.Raw["extra"]?["kept"], Is.True, "the raw audit keeps what the type does not name");
            });
        }

        [TestCase("/hooks/aha/wrong-secret-0123456789abc", "POST")]
        [TestCase("/hooks/aha/" + Secret + "x", "POST")]
        [TestCase("/hooks/aha/s3cret", "POST")]
        [TestCase("/hooks/aha", "POST")]
        [TestCase("/hooks/aha/" + Secret, "GET")]
        [TestCase("/hooks/aha/" + Secret, "PUT")]
        public async Task Anything_else_is_refused_with_404_and_no_body(string path, string method)
        {
            var calls = 0;
            await using var server = await Receiver.StartAsync((_, _) => { Interlocked.Increment(ref calls); return Task.CompletedTask; });

            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method != "GET")
            {
                request.Content = new StringContent(AuditBody, Encoding.UTF8, "application/json");
            }

            using var response = await server.Http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);

            // A valid event afterwards is handled, and is the only one: the refused request never reached the handler.
            var handled = new TaskCompletionSource();
            server.OnHandled = () => handled.TrySetResult();
            using var ok = await server.PostAsync("/hooks/aha/" + Secret, AuditBody);
            await handled.Task.WaitAsync(Timeout());
            Assert.That(calls, Is.EqualTo(1));
        }

        [Test]
        public async Task A_body_that_is_not_json_is_refused_with_400_and_no_body()
        {
            await using var server = await Receiver.StartAsync((_, _) => Task.CompletedTask);
            using var response = await server.PostAsync("/hooks/aha/" + Secret, "not json");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        }

        [Test]
        public async Task A_body_over_the_limit_is_refused_with_413()
        {
            await using var server = await Receiver.StartAsync((_, _) => Task.CompletedTask, o => o.MaxBodyBytes = 100);
            using var response = await server.PostAsync("/hooks/aha/" + Secret, AuditBody);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        }

        [Test]
        public async Task Requests_are_acknowledged_while_the_handler_is_still_busy()
        {
            var release = new TaskCompletionSource();
            var started = new TaskCompletionSource();
            var handled = 0;
            await using var server = await Receiver.StartAsync(async (_, ct) =>
            {
                started.TrySetResult();
                await release.Task.WaitAsync(ct);
                Interlocked.Increment(ref handled);
            });

            using (var first = await server.PostAsync("/hooks/aha/" + Secret, AuditBody))
            {
                Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            await started.Task.WaitAsync(Timeout());
            for (var i = 0; i < 5; i++)
            {
                // The handler is blocked on the first event: these answers cannot have waited for it.
                using var next = await server.PostAsync("/hooks/aha/" + Secret, AuditBody.Replace("6776757454436663266", "67767574544366632" + (70 + i)));
                Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            Assert.That(handled, Is.Zero);
            var all = new TaskCompletionSource();
            server.OnHandled = () => { if (Volatile.Read(ref handled) == 6) { all.TrySetResult(); } };
            release.SetResult();
            await all.Task.WaitAsync(Timeout());
            Assert.That(handled, Is.EqualTo(6));
        }

        [Test]
        public async Task A_full_queue_answers_503_and_never_acknowledges_an_event_it_cannot_keep()
        {
            var release = new TaskCompletionSource();
            var started = new TaskCompletionSource();
            var ids = new List<string>();
            await using var server = await Receiver.StartAsync(
                async (change, ct) =>
                {
                    started.TrySetResult();
                    await release.Task.WaitAsync(ct);
                    lock (ids)
                    {
                        ids.Add(change.AuditId);
                    }
                },
                configureQueue: o => { o.QueueCapacity = 1; o.FullQueueWait = TimeSpan.Zero; });

            using var first = await server.PostAsync("/hooks/aha/" + Secret, AuditBody.Replace("6776757454436663266", "1"));
            await started.Task.WaitAsync(Timeout());   // the first event is out of the queue, in the handler
            using var second = await server.PostAsync("/hooks/aha/" + Secret, AuditBody.Replace("6776757454436663266", "2"));
            using var third = await server.PostAsync("/hooks/aha/" + Secret, AuditBody.Replace("6776757454436663266", "3"));
            Assert.Multiple(() =>
            {
                Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), "one place in the queue");
                Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            });
            Assert.That(await third.Content.ReadAsStringAsync(), Is.Empty);

            var done = new TaskCompletionSource();
            server.OnHandled = () => { lock (ids) { if (ids.Count == 2) { done.TrySetResult(); } } };
            release.SetResult();
            await done.Task.WaitAsync(Timeout());
            Assert.That(ids, Is.EqualTo(new[] { "1", "2" }), "every acknowledged event is handled, in order; the refused one is not");
            Assert.That(server.Logs, Has.Some.Contains("queue is full"));
        }

        [Test]
        public async Task A_handler_that_throws_is_logged_and_the_next_event_is_handled()
        {
            var received = Channel.CreateUnbounded<string>();
            await using var server = await Receiver.StartAsync(async (change, ct) =>
            {
                if (change.AuditId == "1")
                {
                    throw new InvalidOperationException("boom");
                }

                await received.Writer.WriteAsync(change.AuditId, ct);
            });

            using var first = await server.PostAsync("/hooks/aha/" + Secret, AuditBody.Replace("6776757454436663266", "1"));
            using var second = await server.PostAsync("/hooks/aha/" + Secret, AuditBody.Replace("6776757454436663266", "2"));
            Assert.That(await received.Reader.ReadAsync(Timeout()), Is.EqualTo("2"));
            Assert.That(server.Logs, Has.Some.Contains("handler failed"));
        }

        [TestCase("")]
        [TestCase("short")]
        [TestCase("has a space in it 0123456789")]
        public void A_missing_short_or_unsafe_secret_is_refused_at_startup(string secret)
        {
            var builder = WebApplication.CreateBuilder();
            builder.Services.AddAhaWebhooks();
            var app = builder.Build();
            Assert.Throws<ArgumentException>(() => app.MapAhaWebhooks("/hooks/aha", o => o.Secret = secret, (_, _) => Task.CompletedTask));
        }

        [Test]
        public void Mapping_without_the_services_says_what_to_add()
        {
            var app = WebApplication.CreateBuilder().Build();
            var ex = Assert.Throws<InvalidOperationException>(() => app.MapAhaWebhooks("/hooks/aha", o => o.Secret = Secret, (_, _) => Task.CompletedTask));
            Assert.That(ex!.Message, Does.Contain("AddAhaWebhooks"));
        }

        private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

        /// <summary>A real Kestrel server on 127.0.0.1 with the receiver mapped, and a client for it.</summary>
        private sealed class Receiver : IAsyncDisposable
        {
            private readonly WebApplication _app;

            private Receiver(WebApplication app, Uri address, LogSink logs)
            {
                _app = app;
                Http = new HttpClient { BaseAddress = address };
                LogSink = logs;
            }

            public HttpClient Http { get; }

            public Action? OnHandled { get; set; }

            public IReadOnlyList<string> Logs => LogSink.Lines;

            private LogSink LogSink { get; }

            public static async Task<Receiver> StartAsync(Func<AhaChange, CancellationToken, Task> handler, Action<AhaWebhookEndpointOptions>? configure = null, Action<AhaWebhookOptions>? configureQueue = null)
            {
                var builder = WebApplication.CreateBuilder();
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                var logs = new LogSink();
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Services.AddAhaWebhooks(configureQueue);
                var app = builder.Build();
                Receiver? receiver = null;
                app.MapAhaWebhooks("/hooks/aha", o => { o.Secret = Secret; configure?.Invoke(o); }, async (change, ct) =>
                {
                    try
                    {
                        await handler(change, ct);
                    }
                    finally
                    {
                        receiver!.OnHandled?.Invoke();
                    }
                });
                await app.StartAsync();
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                receiver = new Receiver(app, new Uri(address), logs);
                return receiver;
            }

            public Task<HttpResponseMessage> PostAsync(string path, string body) =>
                Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

            public async ValueTask DisposeAsync()
            {
                Http.Dispose();
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }

        private sealed class LogSink : ILoggerProvider
        {
            private readonly List<string> _lines = new List<string>();

            public IReadOnlyList<string> Lines
            {
                get
                {
                    lock (_lines)
                    {
                        return _lines.ToArray();
                    }
                }
            }

            public ILogger CreateLogger(string categoryName) => new Logger(this);

            public void Dispose()
            {
            }

            private sealed class Logger : ILogger
            {
                private readonly LogSink _sink;

                public Logger(LogSink sink) => _sink = sink;

                public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

                public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

                public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                {
                    if (IsEnabled(logLevel))
                    {
                        lock (_sink._lines)
                        {
                            _sink._lines.Add(formatter(state, exception));
                        }
                    }
                }
            }
        }
    }
}
