using System;
using System.IO;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox;

namespace Aha.Benchmarks.Infrastructure
{
    /// <summary>
    /// The recorded answers the overhead benchmarks replay, committed under <c>Payloads/</c> so every run (and every
    /// clone) measures the same bytes. <c>record</c> makes them again from the sandbox's seeded demo data.
    /// </summary>
    internal static class Payloads
    {
        /// <summary>GET /features?page=1&amp;per_page=200&amp;fields=* : 200 full features, custom fields of every kind.</summary>
        public const string FeaturePage = "features-page-200-all-fields.json";

        /// <summary>GET /features/{id}: one full feature (the single-record answer, custom fields included).</summary>
        public const string SingleFeature = "feature-single.json";

        public static byte[] Load(string name)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Payloads", name);
            if (!File.Exists(path))
            {
                path = Path.Combine(RepoPaths.BenchProject, "Payloads", name);
            }

            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Recorded payload {name} is missing; run `dotnet run -c Release --project bench/Aha.Benchmarks -- record`.", path);
            }

            return File.ReadAllBytes(path);
        }

        /// <summary>Records the payloads from a sandbox with the default seed into <paramref name="directory"/>.</summary>
        public static async Task RecordAsync(string directory)
        {
            Directory.CreateDirectory(directory);
            await using var sandbox = await AhaSandbox.StartAsync(new AhaSandboxOptions
            {
                Products = 1,
                FeaturesPerProduct = 400,
                IdeasPerProduct = 0,
                SeedSpecExamples = false,
                RateLimit = { Enabled = false },
            });
            using var http = sandbox.CreateHttpClient();

            var page = await http.GetByteArrayAsync("features?page=1&per_page=200&fields=*");
            await File.WriteAllBytesAsync(Path.Combine(directory, FeaturePage), page);

            // The single record: the feature of the page with the most custom fields (a realistic "full" GET).
            var features = JsonNode.Parse(page)!["features"]!.AsArray();
            string? id = null;
            var most = -1;
            foreach (var f in features)
            {
                var count = f?["custom_fields"] is JsonArray a ? a.Count : 0;
                if (count > most)
                {
                    most = count;
                    id = (string?)f!["reference_num"];
                }
            }

            var single = await http.GetByteArrayAsync("features/" + Uri.EscapeDataString(id!));
            await File.WriteAllBytesAsync(Path.Combine(directory, SingleFeature), single);
            Console.WriteLine($"recorded {FeaturePage}: {page.Length:N0} bytes, {features.Count} features");
            Console.WriteLine($"recorded {SingleFeature}: {single.Length:N0} bytes ({id}, {most} custom fields)");
        }
    }
}
