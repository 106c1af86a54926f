using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Aha.Benchmarks.Infrastructure
{
    /// <summary>The one line that says what a result was measured on.</summary>
    internal static class Machine
    {
        public static string Describe()
        {
            var cpu = "unknown CPU";
            try
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
            return $"{cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, load average {load}";
        }
    }
}
