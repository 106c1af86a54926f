using System;
using System.IO;
using System.Linq;

namespace Aha.Packaging.Tests
{
    /// <summary>
    /// Where the packages under test are: AHA_PACKAGE_DIR (a folder feed) and AHA_PACKAGE_VERSION, both set by
    /// build/consumer-check.sh after it packed them. Anything missing is a failure with instructions, never a skip:
    /// this project exists only to be run by that script, so a run without packages is a broken run.
    /// </summary>
    internal static class PackedPackages
    {
        private const string HowToRun =
            "These tests inspect packed packages and are run by build/consumer-check.sh, which packs Aha.Client and " +
            "Aha.Sandbox into artifacts/packages and then runs this project with AHA_PACKAGE_DIR=<that folder> and " +
            "AHA_PACKAGE_VERSION=<the version it packed>. Run `bash build/consumer-check.sh` (or pack by hand and set both).";

        /// <summary>The package folder and version; fails the calling fixture unless every <paramref name="ids"/> has its .nupkg and .snupkg there.</summary>
        public static (string Directory, string Version) Locate(params string[] ids)
        {
            var directory = Environment.GetEnvironmentVariable("AHA_PACKAGE_DIR") ?? "";
            var version = Environment.GetEnvironmentVariable("AHA_PACKAGE_VERSION") ?? "";
            if (directory.Length == 0)
            {
                Assert.Fail("AHA_PACKAGE_DIR is not set. " + HowToRun);
            }

            if (version.Length == 0)
            {
                Assert.Fail("AHA_PACKAGE_VERSION is not set. " + HowToRun);
            }

            if (!System.IO.Directory.Exists(directory))
            {
                Assert.Fail($"AHA_PACKAGE_DIR={directory} does not exist. " + HowToRun);
            }

            var missing = ids.SelectMany(id => new[] { $"{id}.{version}.nupkg", $"{id}.{version}.snupkg" })
                .Where(file => !File.Exists(Path.Combine(directory, file)))
                .ToList();
            if (missing.Count > 0)
            {
                Assert.Fail($"AHA_PACKAGE_DIR={directory} has no {string.Join(", ", missing)}. " + HowToRun);
            }

            return (directory, version);
        }
    }
}
