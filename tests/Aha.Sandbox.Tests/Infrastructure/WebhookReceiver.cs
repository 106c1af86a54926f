using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aha.Sandbox.Tests.Infrastructure
{
    /// <summary>A loopback HTTP endpoint that records every POST it receives and can fail the first ones.</summary>
    internal sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _failuresLeft;

        private WebhookReceiver(WebApplication app, int failFirst)
        {
            _app = app;
            _failuresLeft = failFirst;
        }

        public Uri Url { get; private set; } = null!;

        /// <summary>Requests answered 2xx, in arrival order: body, content type, header names.</summary>
        public ConcurrentQueue<(string Body, string? ContentType, string[] Headers)> Accepted { get; } = new ConcurrentQueue<(string, string?, string[])>();

        private int _refused;

        /// <summary>Requests answered 503 because of failFirst.</summary>
        public int Refused => Volatile.Read(ref _refused);

        public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var receiver = new WebhookReceiver(app, failFirst);
            app.MapPost("/hooks/aha/{secret}", async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
                {
                    Interlocked.Increment(ref receiver._refused);
                    context.Response.StatusCode = 503;
                    return;
                }

                receiver.Accepted.Enqueue((body, context.Request.ContentType, context.Request.Headers.Keys.ToArray()));
                context.Response.StatusCode = 200;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = new Uri(address.TrimEnd('/') + "/hooks/aha/s3cr3t-in-url");
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
