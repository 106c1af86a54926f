using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Errors;
using Aha.Sandbox;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Aha.Cli.Connection
{
    /// <summary>
    /// Demo writes kept across <c>aha ... --demo</c> runs: each run starts a fresh sandbox, so with
    /// <c>AHA_DEMO_STATE=FILE</c> every write a demo command makes is appended to FILE and replayed into the next run's
    /// sandbox before its command. That is what lets <c>aha sync --demo</c>, <c>aha set-field --demo</c>, <c>aha sync
    /// --demo</c> show one change applied: the second sync's sandbox has the write again (and, once the sandbox keeps
    /// audits, its audit). Unset (the default), each demo run starts from the seed data alone.
    /// </summary>
    internal sealed class DemoJournal
    {
        public const string Variable = "AHA_DEMO_STATE";

        private readonly object _gate = new object();

        private DemoJournal(string path) => Path = path;

        public string Path { get; }

        public static DemoJournal? From(CliContext context)
        {
            var path = context.Environment(Variable);
            return string.IsNullOrWhiteSpace(path) ? null : new DemoJournal(System.IO.Path.GetFullPath(path.Trim()));
        }

        /// <summary>Replays every recorded write into a fresh sandbox, in order; returns how many.</summary>
        public async Task<int> ReplayAsync(AhaSandbox sandbox, CancellationToken cancellationToken)
        {
            if (!File.Exists(Path))
            {
                return 0;
            }

            using var http = sandbox.CreateHttpClient();
            var count = 0;
            foreach (var line in await File.ReadAllLinesAsync(Path, cancellationToken).ConfigureAwait(false))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                JObject entry;
                try
                {
                    entry = JObject.Parse(line);
                }
                catch (JsonException)
                {
                    throw CliException.Usage($"{Variable} file {Path} has a line that is not a recorded demo write; delete the file to start the demo afresh.");
                }

                using var request = new HttpRequestMessage(new HttpMethod((string)entry["method"]!), ((string)entry["path"]!).TrimStart('/'));
                if ((string?)entry["body"] is { } body)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw CliException.Usage($"replaying the demo writes of {Path} failed ({(int)response.StatusCode} for {request.Method} {request.RequestUri}); delete the file to start the demo afresh.");
                }

                count++;
            }

            return count;
        }

        /// <summary>The transport of a demo client: records each successful write (never a read).</summary>
        public HttpMessageHandler CreateRecordingHandler() => new RecordingHandler(this) { InnerHandler = new SocketsHttpHandler() };

        private void Append(string method, string path, string? body)
        {
            var entry = new JObject { ["method"] = method, ["path"] = path, ["body"] = body };
            lock (_gate)
            {
                var directory = System.IO.Path.GetDirectoryName(Path);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                File.AppendAllText(Path, entry.ToString(Formatting.None) + "\n");
            }
        }

        private sealed class RecordingHandler : DelegatingHandler
        {
            private readonly DemoJournal _journal;

            public RecordingHandler(DemoJournal journal) => _journal = journal;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && response.IsSuccessStatusCode)
                {
                    _journal.Append(request.Method.Method, request.RequestUri!.PathAndQuery.Substring(BasePathLength(request.RequestUri)), body);
                }

                return response;
            }

            /// <summary>The path is stored relative to the API root (<c>/api/v1/</c>), so a sandbox on another port accepts it.</summary>
            private static int BasePathLength(Uri uri)
            {
                var index = uri.PathAndQuery.IndexOf("/api/v1/", StringComparison.Ordinal);
                return index < 0 ? 0 : index + "/api/v1/".Length;
            }
        }
    }
}
