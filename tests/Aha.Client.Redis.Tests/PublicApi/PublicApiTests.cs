using System;
using System.IO;
using System.Reflection;
using Aha.Client.Configuration;
using PublicApiGenerator;

#if NET10_0_OR_GREATER
namespace Aha.Client.Redis.Tests.PublicApi
{
    /// <summary>
    /// Public API gate of Aha.Client.Redis (like Aha.Client's): its surface must equal the committed
    /// <c>Aha.Client.Redis.approved.txt</c>. Approve a deliberate change with
    /// <c>AHA_APPROVE_PUBLIC_API=1 dotnet test tests/Aha.Client.Redis.Tests -f net10.0 --filter "FullyQualifiedName~PublicApi"</c>.
    /// </summary>
    public class PublicApiTests
    {
        private static string Folder => Path.Combine(RepoRoot(), "tests", "Aha.Client.Redis.Tests", "PublicApi");

        [Test]
        public void Public_API_of_Aha_Client_Redis_matches_the_approved_file()
        {
            var approvedPath = Path.Combine(Folder, "Aha.Client.Redis.approved.txt");
            var actual = Normalise(typeof(AhaRedisRateLimitExtensions).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false, AllowNamespacePrefixes = new[] { "Microsoft" } }));
            if (Environment.GetEnvironmentVariable("AHA_APPROVE_PUBLIC_API") == "1")
            {
                File.WriteAllText(approvedPath, actual);
                return;
            }

            var approved = File.Exists(approvedPath) ? Normalise(File.ReadAllText(approvedPath)) : string.Empty;
            Assert.That(actual, Is.EqualTo(approved),
                "The public API of Aha.Client.Redis changed. If intended: AHA_APPROVE_PUBLIC_API=1 dotnet test tests/Aha.Client.Redis.Tests -f net10.0 --filter \"FullyQualifiedName~PublicApi\", then review and commit the diff.");
        }

        private static string Normalise(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

        private static string RepoRoot()
        {
            foreach (var a in typeof(PublicApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
            {
                if (a.Key == "RepoRoot" && a.Value != null)
                {
                    return a.Value;
                }
            }

            throw new InvalidOperationException("RepoRoot metadata missing.");
        }
    }
}
#endif
