using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Aha.Benchmarks.Infrastructure
{
    /// <summary>CPU time used by the whole process, with nanosecond resolution on Linux (clock_gettime).</summary>
    internal static class CpuTime
    {
        private const int ClockProcessCpuTimeId = 2;

        public static TimeSpan Process()
        {
            if (OperatingSystem.IsLinux() && clock_gettime(ClockProcessCpuTimeId, out var ts) == 0)
            {
                return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
            }

            return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int clock_gettime(int clockId, out Timespec value);

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}
