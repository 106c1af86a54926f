using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Aha.Client.Tests.Infrastructure;

// Real builds take about a minute: compiled into the net10.0 test run only, so they run once per test command.
#if NET10_0_OR_GREATER
namespace Aha.Client.Tests.Build
{
    /// <summary>
    /// The build-time generation is incremental and spec-driven: in a private copy of the repository, a first build
    /// generates the client, a no-change build runs NSwag zero times, touching the spec or nswag.json regenerates,
    /// and an operation added to the spec appears as a new method of the built assembly. Adding or removing an NSwag
    /// template regenerates too, even when no input is newer than the generated file.
    /// </summary>
    [TestFixture]
    [NonParallelizable]
    public class GenerationPipelineTests
    {
        private const string GeneratingMarker = "Aha.Client: generating the client";
        private string _copy = null!;

        [OneTimeSetUp]
        public void CopyRepository()
        {
            _copy = Path.Combine(Path.GetTempPath(), "aha-generation-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            foreach (var item in new[] { "openapi", "build", "src", "nswag.json", "global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            {
                Copy(Path.Combine(Repo.Root, item), Path.Combine(_copy, item));
            }
        }

        [OneTimeTearDown]
        public void DeleteCopy()
        {
            if (_copy != null && Directory.Exists(_copy))
            {
                Directory.Delete(_copy, recursive: true);
            }
        }

        // Only two steps compile the library (the first build and the one that must show a new method); the others run
        // the generation target alone (Generate), the very target every build calls (AhaIncludeGeneratedClient, through
        // the MSBuild task, with the same global properties), so its incrementality is what a build sees, without a C#
        // compile of the 340-operation client per step (each costs 10-40 s of CI time).
        [Test]
        public void Generation_is_incremental_and_driven_by_the_spec()
        {
            // 1. A first build generates the client into obj/.
            Assert.That(Build(), Does.Contain(GeneratingMarker), "first build generates");
            Assert.That(File.Exists(Path.Combine(_copy, "src", "Aha.Client", "obj", "Generated", "AhaClient.g.cs")), "generated file under obj/");

            // 2. A no-change build runs NSwag zero times (a whole build, as a developer runs it).
            Assert.That(Build(), Does.Not.Contain(GeneratingMarker), "no-change build");

            // 3. Touching the spec or nswag.json regenerates; nothing after that.
            File.SetLastWriteTimeUtc(Path.Combine(_copy, "openapi", "aha.yaml"), DateTime.UtcNow);
            Assert.That(Generate(), Does.Contain(GeneratingMarker), "after touching openapi/aha.yaml");
            Assert.That(Generate(), Does.Not.Contain(GeneratingMarker), "and then nothing again");
            File.SetLastWriteTimeUtc(Path.Combine(_copy, "nswag.json"), DateTime.UtcNow);
            Assert.That(Generate(), Does.Contain(GeneratingMarker), "after touching nswag.json");
            Assert.That(Generate(), Does.Not.Contain(GeneratingMarker), "and then nothing again, after nswag.json");

            // 4. An operation added to the spec becomes a new method of the built assembly.
            var spec = Path.Combine(_copy, "openapi", "aha.yaml");
            var text = File.ReadAllText(spec);
            const string Added = @"paths:
  /widgets_for_test/{id}:
    get:
      operationId: Features_GetWidgetForTest
      tags: [Features]
      summary: A test-only operation
      description: Reads a test-only widget.
      parameters:
        - $ref: '#/components/parameters/id'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/FeatureResponse'
";
            Assert.That(text, Does.Contain("\npaths:\n"));
            File.WriteAllText(spec, text.Replace("\npaths:\n", "\n" + Added));
            Assert.That(Build(), Does.Contain(GeneratingMarker), "after adding an operation");

            var dll = Path.Combine(_copy, "src", "Aha.Client", "bin", "Debug", "net8.0", "Aha.Client.dll");
            var context = new AssemblyLoadContext("spec-change-test", isCollectible: true);
            try
            {
                var assembly = context.LoadFromAssemblyPath(dll);
                var client = assembly.GetType("Aha.Client.FeaturesClient", throwOnError: true)!;
                Assert.That(client.GetMethod("GetWidgetForTestAsync"), Is.Not.Null, "the new operation's method");
            }
            finally
            {
                context.Unload();
            }
        }

        // Runs after the test above so that test's first build is the copy's first build; this one reuses the copy (and
        // its restored, built state) instead of paying for another first build, whether the test above passed or not.
        [Test]
        [DependsOnTest(nameof(Generation_is_incremental_and_driven_by_the_spec), AllowFailure = true)]
        public void Adding_or_removing_a_template_regenerates()
        {
            // Whatever the test above left in this copy, start from an up-to-date generated client.
            Generate();
            Assert.That(Generate(), Does.Not.Contain(GeneratingMarker), "no-change generation");

            // A template NSwag never looks up (no template has this name), dated long before the generated file: only
            // the change in the set of inputs can make this build regenerate, not a timestamp.
            var template = Path.Combine(_copy, "build", "nswag-templates", "AhaTestOnly.liquid");
            File.WriteAllText(template, "{% comment %} Added by GenerationPipelineTests; not used by NSwag. {% endcomment %}\n");
            File.SetLastWriteTimeUtc(template, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            Assert.That(Generate(), Does.Contain(GeneratingMarker), "after adding a template with an old timestamp");
            Assert.That(Generate(), Does.Not.Contain(GeneratingMarker), "and then nothing again");

            // A deleted template leaves no newer input behind, yet the generated client must not stay stale.
            File.Delete(template);
            Assert.That(Generate(), Does.Contain(GeneratingMarker), "after deleting the template");
            Assert.That(Generate(), Does.Not.Contain(GeneratingMarker), "no-change generation after the deletion");
        }

        // A whole build of the library for one target framework, as a developer runs it.
        private string Build() => Run("build src/Aha.Client/Aha.Client.csproj -f net8.0 -nologo -v:n -p:TreatWarningsAsErrors=true");

        // Only the generation target (no restore, no compile): the copy was restored by the first Build().
        private string Generate() => Run("msbuild src/Aha.Client/Aha.Client.csproj -t:AhaGenerateClient -nologo -v:n");

        private string Run(string arguments)
        {
            var start = new ProcessStartInfo("dotnet", arguments)
            {
                WorkingDirectory = _copy,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(300_000), "dotnet " + arguments + " finished within 5 minutes");
            var output = stdout.Result + stderr.Result;
            Assert.That(process.ExitCode, Is.Zero, "dotnet " + arguments + " failed:" + Environment.NewLine + string.Join(Environment.NewLine, output.Split('\n').Where(l => l.Contains("error") || l.Contains("warn")).Take(30)));
            return output;
        }

        private static void Copy(string source, string destination)
        {
            if (File.Exists(source))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(source, destination);
                return;
            }

            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file);
                var parts = relative.Split(Path.DirectorySeparatorChar);
                if (parts.Any(p => p is "obj" or "bin" or "node_modules"))
                {
                    continue;
                }

                var target = Path.Combine(destination, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}
#endif
