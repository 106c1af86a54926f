using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.EndToEnd
{
    /// <summary>
    /// A server closes an idle keep-alive connection (HttpListener after 15 s, Node.js after 5 s, load balancers after
    /// a minute) at the moment the client takes it from its pool for a POST: writing the request then fails with
    /// "Broken pipe" (EPIPE). SocketsHttpHandler retries that on a new connection only for requests without a body, so
    /// the client must recognise it: the request did not leave in full, nothing can have been applied, and the POST is
    /// sent again (once) instead of being reported as a write of unknown outcome. The multi-process Redis test failed
    /// once this way (issue 15).
    /// </summary>
    [NonParallelizable]
    public class StaleKeepAliveConnectionTests
    {
        [Test]
        public async Task A_POST_whose_write_fails_on_a_closed_pooled_connection_is_sent_again_on_a_new_one_and_applied_once()
        {
            using var server = new LoopbackAhaServer((100, TimeSpan.FromSeconds(1)));
            var connections = new ConcurrentQueue<BreakableStream>();
            using var transport = new SocketsHttpHandler
            {
                // The real socket of every connection, wrapped so the test can close it at the exact moment of the race.
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
                    var stream = new BreakableStream(socket);
                    connections.Enqueue(stream);
                    return stream;
                },
            };
            var aha = new AhaClient(Options(server), transport);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            using (var first = await aha.HttpClient.GetAsync("features?page=1", deadline.Token))
            {
                Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            Assert.That(connections.Count, Is.EqualTo(1), "one connection, now idle in the pool");
            connections.TryPeek(out var pooled);

            // The pool still holds the connection as usable; the close lands between that check and the write.
            pooled!.ShutDownBeforeNextWrite();
            using var created = await aha.SendAsync(HttpMethod.Post, "products/PRJ/features", "{\"feature\":{\"name\":\"stale-1\"}}", deadline.Token);

            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(pooled.WriteFailedWith, Is.EqualTo(SocketError.Shutdown), "the first attempt's write failed on the closed connection (EPIPE)");
            Assert.That(connections.Count, Is.EqualTo(2), "the retry went out on a new connection");
            Assert.That(server.ProcessedWrites.TryGetValue("stale-1", out var applied) ? applied : 0, Is.EqualTo(1), "the write reached the server exactly once");
        }

        [Test]
        public async Task The_same_failure_from_the_transport_is_retried_for_a_POST_but_a_reset_while_awaiting_the_answer_is_not()
        {
            var clock = new TestClock();
            var sent = new Counter();
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ =>
            {
                // The exception chain SocketsHttpHandler produced in the flaky run.
                if (sent.Increment() == 1)
                {
                    throw new HttpRequestException("An error occurred while sending the request.", new IOException("Unable to write data to the transport connection: Broken pipe.", new SocketException((int)SocketError.Shutdown)));
                }

                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(clock, mock);

            using var response = await clock.RunAsync(aha.SendAsync(HttpMethod.Post, "products/P/features", "{}"));
            Assert.That(sent.Value, Is.EqualTo(2));

            // Contrast: a reset after the request went out may follow a processed write, so it is never repeated
            // (RetryTests.A_POST_is_never_retried_after_a_connection_reset).
            Assert.That(global::Aha.Client.Resilience.RetryRules.NeverSent(new HttpRequestException("x", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)))), Is.False);
        }

        private static AhaClientOptions Options(LoopbackAhaServer server)
        {
            var options = new AhaClientOptions
            {
                BaseUrl = server.BaseUrl,
                Token = "test-token",
                UserAgent = "Aha.Client end-to-end tests (dev@example.com)",
            };
            options.RateLimit.SharedAcrossClients = false;
            options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            options.Resilience.UseJitter = false;
            options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(10);
            options.Resilience.TotalTimeout = TimeSpan.FromSeconds(30);
            return options;
        }

        /// <summary>A connection's stream that the test can shut down for writing just before the next write.</summary>
        private sealed class BreakableStream : NetworkStream
        {
            private readonly Socket _socket;
            private int _armed;

            public BreakableStream(Socket socket)
                : base(socket, ownsSocket: true)
            {
                _socket = socket;
            }

            public SocketError? WriteFailedWith { get; private set; }

            public void ShutDownBeforeNextWrite() => Volatile.Write(ref _armed, 1);

            public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (Interlocked.Exchange(ref _armed, 0) == 1)
                {
                    // What the kernel does when the peer's close arrived first: the write side is gone.
                    _socket.Shutdown(SocketShutdown.Send);
                }

                try
                {
                    await base.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex) when (ex.InnerException is SocketException socket)
                {
                    WriteFailedWith = socket.SocketErrorCode;
                    throw;
                }
            }
        }
    }
}
