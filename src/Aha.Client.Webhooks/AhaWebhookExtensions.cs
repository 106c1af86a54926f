using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Webhooks
{
    /// <summary>
    /// Receives Aha! activity webhooks: <c>builder.Services.AddAhaWebhooks()</c>, then
    /// <c>app.MapAhaWebhooks("/hooks/aha", o => o.Secret = secret, handler)</c>.
    /// </summary>
    /// <remarks>
    /// Aha! does not sign webhook requests: the secret at the end of the URL is the only thing that tells its requests
    /// from anyone else's. Treat an event as a hint that a record changed, not as the record's truth: read the record
    /// again by id (<c>aha.Features.GetAsync(change.PrimaryId)</c>) before acting on it.
    /// </remarks>
    public static class AhaWebhookExtensions
    {
        /// <summary>
        /// Adds what the webhook endpoints need: the bounded queue of received events and the hosted service that hands
        /// them to your handlers off the request path.
        /// </summary>
        /// <param name="services">The application's services.</param>
        /// <param name="configure">Queue size and full-queue policy (see <see cref="AhaWebhookOptions"/>); the defaults suit most receivers.</param>
        /// <returns>The same services.</returns>
        public static IServiceCollection AddAhaWebhooks(this IServiceCollection services, Action<AhaWebhookOptions>? configure = null)
        {
            if (services is null)
            {
                throw new ArgumentNullException(nameof(services));
            }

            var options = services.AddOptions<AhaWebhookOptions>();
            if (configure != null)
            {
                options.Configure(configure);
            }

            services.TryAddSingleton<AhaWebhookQueue>();
            services.AddHostedService<AhaWebhookDispatcher>();
            return services;
        }

        /// <summary>
        /// Maps <c>POST {pattern}/{secret}</c>: the URL to give Aha! is this application's address, the pattern, and the
        /// secret. Each accepted request is answered <c>200</c> at once and its event handed to <paramref name="handler"/>
        /// later, in order, by a hosted service. A wrong or missing secret, another method or path is answered
        /// <c>404</c> without a body; a body that is not an Aha! webhook is answered <c>400</c> without a body.
        /// </summary>
        /// <param name="endpoints">The application (or any endpoint route builder).</param>
        /// <param name="pattern">The path before the secret, such as <c>/hooks/aha</c>.</param>
        /// <param name="configure">Sets <see cref="AhaWebhookEndpointOptions.Secret"/> (required) and limits.</param>
        /// <param name="handler">Called for each change, off the request path. Re-read the record by id before trusting the change.</param>
        /// <returns>The endpoint, for further conventions (for example rate limiting).</returns>
        /// <exception cref="ArgumentException">No secret, or one that is short or not URL-safe.</exception>
        /// <exception cref="InvalidOperationException"><c>services.AddAhaWebhooks()</c> was not called.</exception>
        public static IEndpointConventionBuilder MapAhaWebhooks(this IEndpointRouteBuilder endpoints, string pattern, Action<AhaWebhookEndpointOptions> configure, Func<AhaChange, CancellationToken, Task> handler)
        {
            if (handler is null)
            {
                throw new ArgumentNullException(nameof(handler));
            }

            return MapAhaWebhooks(endpoints, pattern, configure, (change, _, ct) => handler(change, ct));
        }

        /// <summary>
        /// Maps <c>POST {pattern}/{secret}</c> with a handler that receives the event's dependency-injection scope (see
        /// the other overload for the behaviour).
        /// </summary>
        /// <param name="endpoints">The application (or any endpoint route builder).</param>
        /// <param name="pattern">The path before the secret, such as <c>/hooks/aha</c>.</param>
        /// <param name="configure">Sets <see cref="AhaWebhookEndpointOptions.Secret"/> (required) and limits.</param>
        /// <param name="handler">Called for each change with a scoped service provider, off the request path.</param>
        /// <returns>The endpoint, for further conventions.</returns>
        /// <exception cref="ArgumentException">No secret, or one that is short or not URL-safe.</exception>
        /// <exception cref="InvalidOperationException"><c>services.AddAhaWebhooks()</c> was not called.</exception>
        public static IEndpointConventionBuilder MapAhaWebhooks(this IEndpointRouteBuilder endpoints, string pattern, Action<AhaWebhookEndpointOptions> configure, Func<AhaChange, IServiceProvider, CancellationToken, Task> handler)
        {
            if (endpoints is null)
            {
                throw new ArgumentNullException(nameof(endpoints));
            }

            if (string.IsNullOrWhiteSpace(pattern))
            {
                throw new ArgumentException("Give the path before the secret, such as \"/hooks/aha\".", nameof(pattern));
            }

            if (configure is null)
            {
                throw new ArgumentNullException(nameof(configure));
            }

            if (handler is null)
            {
                throw new ArgumentNullException(nameof(handler));
            }

            var options = new AhaWebhookEndpointOptions();
            configure(options);
            AhaWebhookPolicy.Validate(options);

            var queue = endpoints.ServiceProvider.GetService<AhaWebhookQueue>()
                ?? throw new InvalidOperationException("Call builder.Services.AddAhaWebhooks() before app.MapAhaWebhooks(...): it adds the queue and the hosted service that run your handler.");
            var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Aha.Client.Webhooks");
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Secret!));
            var route = pattern.TrimEnd('/') + "/{secret}";

            return endpoints.Map(route, context => ReceiveAsync(context, expected, options.MaxBodyBytes, queue, handler, logger))
                .WithDisplayName("Aha! webhooks " + pattern);
        }

        private static async Task ReceiveAsync(HttpContext context, byte[] expected, long maxBody, AhaWebhookQueue queue, Func<AhaChange, IServiceProvider, CancellationToken, Task> handler, ILogger logger)
        {
            var given = context.Request.RouteValues["secret"] as string ?? string.Empty;

            // Hashing first makes the comparison constant-time in the secret's length as well as its content.
            var actual = SHA256.HashData(Encoding.UTF8.GetBytes(given));
            if (!CryptographicOperations.FixedTimeEquals(actual, expected) || !HttpMethods.IsPost(context.Request.Method))
            {
                Refuse(context, StatusCodes.Status404NotFound);
                return;
            }

            if (context.Request.ContentLength > maxBody)
            {
                Refuse(context, StatusCodes.Status413PayloadTooLarge);
                return;
            }

            string text;
            try
            {
                var body = await ReadBodyAsync(context.Request, maxBody, context.RequestAborted).ConfigureAwait(false);
                if (body is null)
                {
                    Refuse(context, StatusCodes.Status413PayloadTooLarge);
                    return;
                }

                text = body;
            }
            catch (IOException)
            {
                Refuse(context, StatusCodes.Status400BadRequest);
                return;
            }

            AhaChange? change;
            try
            {
                change = AhaChange.FromWebhook(text);
            }
            catch (FormatException ex)
            {
                logger.LogWarning(4205, "An Aha! webhook request with the right secret carried a body that is not an Aha! audit ({Reason}); answered 400.", ex.Message);
                Refuse(context, StatusCodes.Status400BadRequest);
                return;
            }

            if (change is null)
            {
                // Acknowledged (Aha! would otherwise retry an event we can never handle) and said in the log.
                logger.LogWarning(4206, "An Aha! webhook event carried no audit; acknowledged and not handed to the handler.");
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }

            if (!await queue.TryEnqueueAsync(new AhaWebhookWorkItem(change, handler), context.RequestAborted).ConfigureAwait(false))
            {
                logger.LogWarning(4201, "The Aha! webhook queue is full; {Change} was refused with 503 (not acknowledged).", change.ToString());
                Refuse(context, StatusCodes.Status503ServiceUnavailable);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        private static async Task<string?> ReadBodyAsync(HttpRequest request, long maxBody, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBody)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        private static void Refuse(HttpContext context, int status)
        {
            // No body, no reason: a prober learns nothing beyond the status.
            context.Response.StatusCode = status;
            context.Response.ContentLength = 0;
        }
    }
}
