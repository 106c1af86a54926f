using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.IntegrationTests.Infrastructure
{
    /// <summary>
    /// A loopback HTTP server that answers every request from a script, for the answers the sandbox never gives (a cursor
    /// that does not advance, a search that reports running again). Counts the requests it answered.
    /// </summary>
    internal sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly Task _serving;
        private int _requests;

        /// <param name="answer">The status and JSON body for a request.</param>
        /// <param name="headers">Headers added to every answer, or null.</param>
        public ScriptedServer(Func<HttpListenerRequest, (int Status, string Body)> answer, IReadOnlyDictionary<string, string>? headers = null)
        {
            var port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            ApiRoot = $"http://127.0.0.1:{port}/api/v1/";
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync().ConfigureAwait(false);
                    }
                    catch (Exception) when (!_listener.IsListening)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _requests);
                    var (status, body) = answer(context.Request);
                    context.Response.StatusCode = status;
                    context.Response.ContentType = "application/json";
                    foreach (var header in headers ?? new Dictionary<string, string>())
                    {
                        context.Response.Headers[header.Key] = header.Value;
                    }

                    var bytes = Encoding.UTF8.GetBytes(body);
                    await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                    context.Response.Close();
                }
            });
        }

        /// <summary>The API root to give the tool with <c>--base-url</c>.</summary>
        public string ApiRoot { get; }

        /// <summary>How many requests were answered so far.</summary>
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>A loopback port nothing listens on at the moment of the call.</summary>
        public static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving.ConfigureAwait(false);
            _listener.Close();
        }
    }
}
