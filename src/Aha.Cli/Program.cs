using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace Aha.Cli
{
    /// <summary>Entry point of the <c>aha</c> tool.</summary>
    internal static class Program
    {
        private static async Task<int> Main(string[] args)
        {
            // Records go to stdout as UTF-8 whatever the console's code page, without a byte-order mark.
            await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
            try
            {
                return await AhaCli.RunAsync(args, CliContext.FromConsole(stdout)).ConfigureAwait(false);
            }
            finally
            {
                try
                {
                    await stdout.FlushAsync().ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // stdout closed early (for example `aha export features | head`): nothing left to tell.
                }
            }
        }
    }
}
