using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Aha.Sandbox.Tests
{
    [TestFixture]
    public class ConcurrencyTests
    {
        /// <summary>An HttpClient whose connections leave from another loopback address (Linux routes all of 127.0.0.0/8 to lo).</summary>
        private static HttpClient ClientFrom(AhaSandbox sandbox, IPAddress source)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    try
                    {
                        socket.Bind(new IPEndPoint(source, 0));
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            var client = new HttpClient(handler) { BaseAddress = sandbox.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", sandbox.Token);
            return client;
        }

        [Test]
        public async Task Limits_apply_per_source_ip()
        {
            if (!OperatingSystem.IsLinux())
            {
                Assert.Ignore("binding to 127.0.0.2 needs Linux's 127.0.0.0/8 loopback");
            }

            var time = new FakeTimeProvider();
            await using var sandbox = await Sandboxes.SmallAsync(o => { o.TimeProvider = time; o.RateLimit.Enabled = true; });
            using var first = ClientFrom(sandbox, IPAddress.Parse("127.0.0.1"));
            using var second = ClientFrom(sandbox, IPAddress.Parse("127.0.0.2"));
            for (var i = 0; i < 20; i++)
            {
                (await first.GetAsync("products")).Dispose();
            }

            using var limited = await first.GetAsync("products");
            using var other = await second.GetAsync("products");
            Assert.That((int)limited.StatusCode, Is.EqualTo(429));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another source IP has its own budget");
        }

        [Test]
        public async Task Parallel_creates_get_distinct_ids_and_keys()
        {
            await using var sandbox = await Sandboxes.SmallAsync();
            using var http = sandbox.CreateHttpClient();
            var before = sandbox.Count("features");
            var release = sandbox.Records("releases", "reference_num")[0]["reference_num"].Str();
            var created = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            {
                using var response = await http.PostAsync($"releases/{release}/features", Sandboxes.Json("{\"feature\": {\"name\": \"Parallel " + i + "\"}}"));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                return (await response.ReadObjectAsync())["feature"]!;
            }));

            Assert.That(created.Select(f => f["id"].Str()).Distinct().Count(), Is.EqualTo(40));
            Assert.That(created.Select(f => f["reference_num"].Str()).Distinct().Count(), Is.EqualTo(40));
            Assert.That(sandbox.Count("features"), Is.EqualTo(before + 40));
            Assert.That(sandbox.Statistics.DuplicateCreations, Is.Zero);
        }
    }
}
