using System;

namespace Aha.Client.Webhooks
{
    /// <summary>Settings of one webhook endpoint mapped with <c>MapAhaWebhooks</c>.</summary>
    public sealed class AhaWebhookEndpointOptions
    {
        /// <summary>
        /// The secret that ends the URL you give Aha! (<c>https://your.host/hooks/aha/SECRET</c>). Required: at least
        /// 16 characters of letters, digits, <c>-</c> or <c>_</c>; make it random (for example 32 random bytes in
        /// base64url) and keep it out of source control. Requests without it are refused with 404 and no detail.
        /// </summary>
        public string? Secret { get; set; }

        /// <summary>The largest request body accepted, in bytes (default 1 MiB); a larger one is refused with 413 and no detail.</summary>
        public long MaxBodyBytes { get; set; } = 1024 * 1024;
    }

    /// <summary>Settings shared by every webhook endpoint of the application (<c>services.AddAhaWebhooks(...)</c>).</summary>
    public sealed class AhaWebhookOptions
    {
        /// <summary>
        /// How many received events may wait for their handler (default 10,000). When the queue is full, a request waits
        /// up to <see cref="FullQueueWait"/> for a place, then is answered <c>503 Service Unavailable</c> (and logged):
        /// the event is refused, never accepted and then dropped.
        /// </summary>
        public int QueueCapacity { get; set; } = 10_000;

        /// <summary>
        /// How long a request may wait for a place in a full queue before the 503 (default 1 second, well inside the
        /// 5 seconds Aha! gives a receiver). Zero refuses at once.
        /// </summary>
        public TimeSpan FullQueueWait { get; set; } = TimeSpan.FromSeconds(1);
    }

    /// <summary>What a receiver does when its queue is full (see <see cref="AhaWebhookOptions.QueueCapacity"/>).</summary>
    internal static class AhaWebhookPolicy
    {
        public const int MinimumSecretLength = 16;

        public static void Validate(AhaWebhookEndpointOptions options)
        {
            var secret = options.Secret;
            if (string.IsNullOrEmpty(secret))
            {
                throw new ArgumentException("AhaWebhookEndpointOptions.Secret is required: the receiver refuses every request without it, and Aha! does not sign its requests.", nameof(options));
            }

            if (secret!.Length < MinimumSecretLength)
            {
                throw new ArgumentException($"AhaWebhookEndpointOptions.Secret must have at least {MinimumSecretLength} characters (make it random, for example 32 random bytes in base64url).", nameof(options));
            }

            foreach (var c in secret)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                {
                    throw new ArgumentException("AhaWebhookEndpointOptions.Secret may hold only letters, digits, '-' and '_' (it is a URL path segment).", nameof(options));
                }
            }

            if (options.MaxBodyBytes <= 0)
            {
                throw new ArgumentException("AhaWebhookEndpointOptions.MaxBodyBytes must be positive.", nameof(options));
            }
        }
    }
}
