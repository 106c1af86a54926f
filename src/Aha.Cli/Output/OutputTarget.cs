using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Aha.Cli.Errors;

namespace Aha.Cli.Output
{
    /// <summary>
    /// Where a command's records go: stdout, or a file that appears only when the command succeeds. A file is written
    /// under a temporary name in the same folder and moved into place at the end, so an interrupted or failed export
    /// never leaves a truncated file that looks complete.
    /// </summary>
    internal sealed class OutputTarget : IAsyncDisposable
    {
        private readonly string? _path;
        private readonly string? _partialPath;
        private readonly StreamWriter? _file;
        private bool _committed;

        private OutputTarget(TextWriter writer, string? path, string? partialPath, StreamWriter? file)
        {
            Writer = writer;
            _path = path;
            _partialPath = partialPath;
            _file = file;
        }

        public TextWriter Writer { get; }

        /// <summary>The file written, or "stdout".</summary>
        public string Name => _path ?? "stdout";

        public static OutputTarget Open(string? path, CliContext context, bool byteOrderMark)
        {
            if (string.IsNullOrEmpty(path) || path == "-")
            {
                if (byteOrderMark)
                {
                    context.Out.Write('\uFEFF');
                }

                return new OutputTarget(context.Out, null, null, null);
            }

            string full;
            string partial;
            FileStream stream;
            try
            {
                full = Path.GetFullPath(path);
                if (Directory.Exists(full))
                {
                    throw CliException.Output($"cannot write '{path}': it is a folder; give a file name", new IOException(full));
                }

                partial = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8));
                stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                throw CliException.Output($"cannot write '{path}': {Reason(ex, path)}", ex);
            }

            var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024);
            if (byteOrderMark)
            {
                writer.Write('\uFEFF');
            }

            return new OutputTarget(writer, full, partial, writer);
        }

        /// <summary>Flushes and, for a file, moves it into place (replacing an older one).</summary>
        public async Task CommitAsync()
        {
            try
            {
                await Writer.FlushAsync().ConfigureAwait(false);
                if (_file != null)
                {
                    await _file.DisposeAsync().ConfigureAwait(false);
                    File.Move(_partialPath!, _path!, overwrite: true);
                }
            }
            catch (Exception ex) when (_file != null && (ex is IOException || ex is UnauthorizedAccessException))
            {
                throw CliException.Output($"cannot write '{_path}': {Reason(ex, _path!)}", ex);
            }

            _committed = true;
        }

        /// <summary>
        /// Why <paramref name="path"/> cannot be written, in the user's terms: the runtime's messages name the hidden
        /// temporary file the export writes first, which the user never asked for.
        /// </summary>
        internal static string Reason(Exception error, string path)
        {
            string? full = null;
            try
            {
                full = Path.GetFullPath(path);
                if (Directory.Exists(full))
                {
                    throw CliException.Output($"cannot write '{path}': it is a folder; give a file name", new IOException(full));
                }

            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                return "not a valid file name";
            }

            var folder = Path.GetDirectoryName(full);
            switch (error)
            {
                case DirectoryNotFoundException:
                    return $"the folder '{folder}' does not exist";
                case UnauthorizedAccessException:
                    return Directory.Exists(full) ? "it is a folder; give a file name" : $"permission denied (no write access to '{folder}' or the file)";
                case PathTooLongException:
                    return "the path is too long";
                case IOException when Directory.Exists(full):
                    return "it is a folder; give a file name";
                case IOException when error.HResult == 28 || error.Message.Contains("space", StringComparison.OrdinalIgnoreCase):
                    return "no space left on the device";
            }

            // Anything else: the runtime's text, with the temporary name replaced by the user's.
            var message = Regex.Replace(error.Message, @"[^'""\s]*\.partial-[0-9a-f]{8}", path);
            return message.TrimEnd('.');
        }

        public async ValueTask DisposeAsync()
        {
            if (_file is null || _committed)
            {
                return;
            }

            try
            {
                await _file.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The partial file is removed below either way.
            }

            try
            {
                File.Delete(_partialPath!);
            }
            catch (IOException)
            {
                // Best effort: a leftover hidden .partial file is harmless.
            }
        }
    }
}
