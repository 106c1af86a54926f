using System;
using System.IO;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Contract
{
    /// <summary>
    /// openapi/aha.yaml passes Redocly CLI (pinned in build/openapi-tools/package-lock.json) with zero errors under
    /// openapi/redocly.yaml, which makes an example that breaks its schema an error. No ignore file is allowed.
    /// </summary>
    [TestFixture]
    public class SpecLintTests
    {
        [Test]
        public void Spec_passes_Redocly_lint_with_zero_errors()
        {
            Assert.That(File.Exists(Repo.PathOf("openapi", ".redocly.lint-ignore.yaml")), Is.False, "no lint ignore file");
            var redocly = NpmTools.Ensure("@redocly/cli", Path.Combine("node_modules", "@redocly", "cli", "bin", "cli.js"));

            var result = NpmTools.RunNode(redocly, new[] { "lint", Repo.SpecPath, "--config", Repo.PathOf("openapi", "redocly.yaml"), "--format=stylish" }, TimeSpan.FromMinutes(2));

            Assert.That(result.ExitCode, Is.Zero, "redocly lint reported errors:" + Environment.NewLine + result.Output);
        }
    }
}
