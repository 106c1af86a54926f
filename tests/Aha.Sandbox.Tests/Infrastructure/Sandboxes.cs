using System;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace Aha.Sandbox.Tests.Infrastructure
{
    /// <summary>Starts sandboxes sized for tests and reads their answers with plain HttpClient and JsonNode.</summary>
    internal static class Sandboxes
    {
        /// <summary>A small sandbox without rate limits (tests that are not about limits must not trip them).</summary>
        public static Task<AhaSandbox> SmallAsync(Action<AhaSandboxOptions>? configure = null)
        {
            var options = new AhaSandboxOptions
            {
                Products = 2,
                FeaturesPerProduct = 40,
                IdeasPerProduct = 30,
                ReleasesPerProduct = 2,
            };
            options.RateLimit.Enabled = false;
            configure?.Invoke(options);
            return AhaSandbox.StartAsync(options);
        }

        public static StringContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

        public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return JsonNode.Parse(text) as JsonObject ?? throw new AssertionException("Expected a JSON object, got: " + text);
        }

        public static async Task<JsonObject> GetObjectAsync(this HttpClient http, string uri)
        {
            using var response = await http.GetAsync(uri);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), () => uri + " answered " + (int)response.StatusCode + ": " + response.Content.ReadAsStringAsync().Result);
            return await response.ReadObjectAsync();
        }

        public static string Str(this JsonNode? node) => node?.GetValue<string>() ?? throw new AssertionException("Expected a string, got null.");
    }
}
