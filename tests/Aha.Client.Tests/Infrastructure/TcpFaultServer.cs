using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Tests.Infrastructure
{
    /// <summary>
    /// A raw TCP server on 127.0.0.1 that reads one HTTP request head and then misbehaves: resets the connection before
    /// answering, or never answers. <see cref="RequestArrived"/> completes when a request head has been read, so a
    /// test can act once the request is provably on the server (no sleeps). <see cref="RefusedUrl"/> gives an address
    /// nothing listens on.
    /// </summary>
    internal sealed class TcpFaultServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly Fault _fault;
        private readonly List<TcpClient> _open = new List<TcpClient>();
        private readonly TaskCompletionSource<string> _arrived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _loop;
        private int _requests;

        public TcpFaultServer(Fault fault)
        {
            _fault = fault;
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public enum Fault
        {
            /// <summary>Reads the request, then resets the connection (RST) without a byte of answer.</summary>
            ResetBeforeAnswer,

            /// <summary>Reads the request and never answers.</summary>
            Hang,
        }

        public Uri BaseUrl => new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/api/v1/");

        /// <summary>The first request line ("POST /api/v1/... HTTP/1.1"), once its head has arrived.</summary>
        public Task<string> RequestArrived => _arrived.Task;

        /// <summary>Requests whose head arrived.</summary>
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>A loopback URL on which nothing listens: connecting is refused.</summary>
        public static Uri RefusedUrl()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new Uri($"http://127.0.0.1:{port}/api/v1/");
        }

        public void Dispose()
        {
            _listener.Stop();
            lock (_open)
            {
                foreach (var client in _open)
                {
                    client.Dispose();
                }
            }

            _loop.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task LoopAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is InvalidOperationException)
                {
                    return;
                }

                lock (_open)
                {
                    _open.Add(client);
                }

                _ = Task.Run(() => HandleAsync(client));
            }
        }

        private async Task HandleAsync(TcpClient client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n"))
                {
                    var read = await stream.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                Interlocked.Increment(ref _requests);
                var text = head.ToString();
                _arrived.TrySetResult(text.Substring(0, text.IndexOf("\r\n", StringComparison.Ordinal)));
                if (_fault == Fault.ResetBeforeAnswer)
                {
                    client.Client.LingerState = new LingerOption(true, 0); // close with RST, not FIN
                    client.Dispose();
                }
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is SocketException || ex is ObjectDisposedException)
            {
                // the client went away
            }
        }
    }
}
