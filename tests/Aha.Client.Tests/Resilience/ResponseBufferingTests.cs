using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;

namespace Aha.Client.Tests.Resilience
{
    /// <summary>
    /// The attempt step reads every body to its end into a pooled buffer (PooledBufferContent): a body cut off is an
    /// attempt failure the retry step repeats for a GET, the bytes and content headers arrive unchanged whatever the
    /// size and framing, and nothing can be read from a disposed response (its buffer went back to the pool).
    /// </summary>
    public class ResponseBufferingTests
    {
        [Test]
        public async Task A_GET_whose_body_is_cut_off_is_retried_and_the_second_body_is_read()
        {
            var clock = new TestClock();
            var attempts = new Counter();
            var body = Encoding.UTF8.GetBytes("{\"feature\":{\"id\":\"1\",\"name\":\"" + new string('x', 50_000) + "\"}}");
            var transport = new DelegateHandler((_, _) =>
            {
                var first = attempts.Increment() == 1;
                Stream stream = first ? new FailingStream(body, failAfter: 10_000) : new MemoryStream(body);
                var content = new StreamContent(stream);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
                content.Headers.ContentLength = body.Length;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
            });
            var aha = TestClients.Create(clock, transport);

            var feature = await clock.RunAsync(aha.Features.GetAsync("PRJ1-1"));

            Assert.That(attempts.Value, Is.EqualTo(2), "the cut-off attempt was repeated");
            Assert.That(feature.Name, Has.Length.EqualTo(50_000));
        }

        [TestCase(0, true)]
        [TestCase(1, true)]
        [TestCase(16 * 1024, false)]
        [TestCase(16 * 1024 + 1, false)]
        [TestCase(900_000, false)]
        [TestCase(900_000, true)]
        public async Task Bodies_arrive_byte_for_byte_with_their_content_headers(int size, bool lengthKnown)
        {
            var body = Enumerable.Range(0, size).Select(i => (byte)(i * 7 % 251)).ToArray();
            var transport = new DelegateHandler((_, _) =>
            {
                // A non-seekable stream without Content-Length is what a chunked answer looks like.
                var content = new StreamContent(new FailingStream(body, failAfter: int.MaxValue));
                content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
                content.Headers.ContentLength = lengthKnown ? size : null;
                content.Headers.TryAddWithoutValidation("Content-Language", "en");
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
            });
            var aha = TestClients.Create(new TestClock(), transport);

            using var response = await aha.HttpClient.GetAsync("features", HttpCompletionOption.ResponseHeadersRead);
            var read = await response.Content.ReadAsByteArrayAsync();

            Assert.That(read, Is.EqualTo(body));
            Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/json; charset=utf-8"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(size));
            Assert.That(response.Content.Headers.ContentLanguage, Is.EquivalentTo(new[] { "en" }));
        }

        [Test]
        public async Task A_stream_kept_past_the_response_cannot_read_a_recycled_buffer()
        {
            var body = Encoding.UTF8.GetBytes("{\"ok\":true}");
            var transport = new DelegateHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }));
            var aha = TestClients.Create(new TestClock(), transport);

            var response = await aha.HttpClient.GetAsync("features", HttpCompletionOption.ResponseHeadersRead);
            var stream = await response.Content.ReadAsStreamAsync();
            Assert.That(stream.ReadByte(), Is.EqualTo('{'));
            response.Dispose();

            Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());
        }

        [Test]
        public async Task A_stream_can_be_read_twice_and_seeked()
        {
            var body = Encoding.UTF8.GetBytes("0123456789");
            var transport = new DelegateHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }));
            var aha = TestClients.Create(new TestClock(), transport);

            using var response = await aha.HttpClient.GetAsync("features", HttpCompletionOption.ResponseHeadersRead);
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("0123456789"));
            var stream = await response.Content.ReadAsStreamAsync();
            stream.Seek(-3, SeekOrigin.End);
            Assert.That(new StreamReader(stream).ReadToEnd(), Is.EqualTo("789"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("0123456789"), "each read starts at the beginning");
        }

        [Test]
        public async Task A_gated_read_waits_for_its_turn_and_gives_it_back_once_when_the_stream_is_disposed()
        {
            // The paging loop gates the read of a page's body so that one page is parsed at a time.
            var body = Encoding.UTF8.GetBytes("{\"ok\":true}");
            var transport = new DelegateHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }));
            var aha = TestClients.Create(new TestClock(), transport);
            using var turns = new SemaphoreSlim(0, 1); // Release beyond 1 throws: a turn given back twice fails the test

            var response = await aha.HttpClient.GetAsync("features", HttpCompletionOption.ResponseHeadersRead);
            var content = (Aha.Client.Resilience.PooledBufferContent)response.Content;
            content.GateReads(async () =>
            {
                await turns.WaitAsync();
                return new Releaser(turns);
            });

            var opening = response.Content.ReadAsStreamAsync();
            Assert.That(opening.IsCompleted, Is.False, "no turn yet: the read waits");
            turns.Release();
            var stream = await opening;
            Assert.That(turns.CurrentCount, Is.EqualTo(0), "the turn is held while the body is read");
            Assert.That(new StreamReader(stream).ReadToEnd(), Is.EqualTo("{\"ok\":true}"));

            stream.Dispose();
            Assert.That(turns.CurrentCount, Is.EqualTo(1), "given back when the stream is disposed");
            response.Dispose();
            Assert.That(turns.CurrentCount, Is.EqualTo(1), "and only once");
        }

        [Test]
        public async Task A_turn_is_given_back_when_the_response_is_disposed_before_its_stream()
        {
            var body = Encoding.UTF8.GetBytes("{}");
            var transport = new DelegateHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }));
            var aha = TestClients.Create(new TestClock(), transport);
            using var turns = new SemaphoreSlim(1, 1);

            var response = await aha.HttpClient.GetAsync("features", HttpCompletionOption.ResponseHeadersRead);
            ((Aha.Client.Resilience.PooledBufferContent)response.Content).GateReads(async () =>
            {
                await turns.WaitAsync();
                return new Releaser(turns);
            });
            var stream = await response.Content.ReadAsStreamAsync();
            Assert.That(turns.CurrentCount, Is.EqualTo(0));

            response.Dispose();
            Assert.That(turns.CurrentCount, Is.EqualTo(1));
            stream.Dispose();
            Assert.That(turns.CurrentCount, Is.EqualTo(1));
        }

        private sealed class Releaser : IDisposable
        {
            private SemaphoreSlim? _turns;

            public Releaser(SemaphoreSlim turns) => _turns = turns;

            public void Dispose() => _turns?.Release(); // deliberately not idempotent: the content must give a turn back once
        }

        /// <summary>Serves <c>body</c> in small non-seekable reads and throws an IOException after <c>failAfter</c> bytes.</summary>
        private sealed class FailingStream : Stream
        {
            private readonly byte[] _body;
            private readonly int _failAfter;
            private int _position;

            public FailingStream(byte[] body, int failAfter)
            {
                _body = body;
                _failAfter = failAfter;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => _position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_position >= _failAfter)
                {
                    throw new IOException("The response ended prematurely.");
                }

                var n = Math.Min(Math.Min(count, 4096), _body.Length - _position);
                Array.Copy(_body, _position, buffer, offset, n);
                _position += n;
                return n;
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                var array = new byte[buffer.Length];
                var n = Read(array, 0, array.Length);
                array.AsSpan(0, n).CopyTo(buffer.Span);
                return new ValueTask<int>(n);
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
