using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
#if NET5_0_OR_GREATER
using System.Buffers;
#endif

namespace Aha.Client.Resilience
{
    /// <summary>
    /// A response body read to its end into one buffer rented from <c>ArrayPool&lt;byte&gt;.Shared</c> and returned when
    /// the content (so the response) is disposed. It replaces <see cref="HttpContent.LoadIntoBufferAsync()"/> in
    /// <see cref="AttemptTimeoutHandler"/>: same guarantee (the whole body is in memory before the attempt ends, so a
    /// connection dropped mid-body is an attempt failure the retry step sees), without a new large-object-heap array per
    /// page (a 200-feature page is 300-800 KB, and every such array counts towards a gen2 collection).
    /// </summary>
    /// <remarks>
    /// The generated clients read the body once and dispose the response; after that, reading a stream obtained from
    /// this content throws <see cref="ObjectDisposedException"/> (as the socket's stream would), never another
    /// response's bytes.
    /// </remarks>
    internal sealed class PooledBufferContent : HttpContent
    {
        private const int InitialUnknownLength = 16 * 1024;

        private byte[]? _buffer;
        private readonly int _length;
        private Func<Task<IDisposable>>? _readGate;
        private IDisposable? _turn;

        private PooledBufferContent(byte[] buffer, int length)
        {
            _buffer = buffer;
            _length = length;
        }

        /// <summary>Reads <paramref name="original"/> to its end, disposes it (freeing the connection) and returns the buffered copy.</summary>
        internal static async Task<HttpContent> LoadAsync(HttpContent original, CancellationToken cancellationToken)
        {
            var expected = original.Headers.ContentLength;
            if (expected == 0)
            {
                return original; // nothing to read (204, HEAD, empty answers)
            }

            var buffer = Rent(expected is { } known && known >= 0 && known < int.MaxValue ? (int)known : InitialUnknownLength);
            var length = 0;
            try
            {
#if NET5_0_OR_GREATER
                using var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
                using var stream = await original.ReadAsStreamAsync().ConfigureAwait(false);
#endif
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        // Content-Length unknown (chunked) or too small: grow by doubling, like a MemoryStream would.
                        var larger = Rent(checked(buffer.Length * 2));
                        Buffer.BlockCopy(buffer, 0, larger, 0, length);
                        Return(buffer);
                        buffer = larger;
                    }

#if NET5_0_OR_GREATER
                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
#else
                    var read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
#endif
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }
            catch (IOException ex)
            {
                Return(buffer);

                // As LoadIntoBufferAsync reported it: a body cut off is an HttpRequestException (transient, retried for
                // idempotent methods).
                throw new HttpRequestException("Error while copying content to a stream.", ex);
            }
            catch
            {
                Return(buffer);
                throw;
            }

            var content = new PooledBufferContent(buffer, length);
            foreach (var header in original.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            content.Headers.ContentLength = length;
            original.Dispose();
            return content;
        }

        /// <summary>The number of bytes buffered.</summary>
        internal int Length => _length;

        /// <summary>
        /// Makes the first read of the body wait for a turn from <paramref name="gate"/>, held until the stream read is
        /// disposed (or this content is): the paging loop parses one page at a time, so that a page being parsed
        /// never keeps the next answers from being received and the next requests from leaving.
        /// </summary>
        /// <param name="gate">Waits for a turn; disposing the result gives it back.</param>
        internal void GateReads(Func<Task<IDisposable>> gate) => _readGate = gate;

        /// <summary>A copy of the last <paramref name="max"/> bytes of the body (fewer if it is shorter); null once disposed.</summary>
        internal byte[]? CopyTail(int max)
        {
            var buffer = Volatile.Read(ref _buffer);
            if (buffer is null)
            {
                return null;
            }

            var count = Math.Min(max, _length);
            var tail = new byte[count];
            Buffer.BlockCopy(buffer, _length - count, tail, 0, count);
            return tail;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledBufferContent));
            return stream.WriteAsync(buffer, 0, _length);
        }

        protected override Task<Stream> CreateContentReadStreamAsync()
        {
            var gate = Interlocked.Exchange(ref _readGate, null);
            return gate is null ? Task.FromResult<Stream>(new ReadStream(this)) : OpenAfterTurnAsync(gate);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
            {
                Return(buffer);
            }

            if (disposing)
            {
                ReleaseTurn();
            }

            base.Dispose(disposing);
        }

        private async Task<Stream> OpenAfterTurnAsync(Func<Task<IDisposable>> gate)
        {
            Volatile.Write(ref _turn, await gate().ConfigureAwait(false));
            if (Volatile.Read(ref _buffer) is null)
            {
                ReleaseTurn(); // disposed meanwhile: nothing will be read
            }

            return new ReadStream(this);
        }

        private void ReleaseTurn() => Interlocked.Exchange(ref _turn, null)?.Dispose();

        private static byte[] Rent(int size)
        {
#if NET5_0_OR_GREATER
            return ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
#else
            return new byte[Math.Max(size, 1)];
#endif
        }

        private static void Return(byte[] buffer)
        {
#if NET5_0_OR_GREATER
            ArrayPool<byte>.Shared.Return(buffer);
#endif
        }

        /// <summary>A read-only view of the buffer that refuses to read once the content is disposed.</summary>
        private sealed class ReadStream : Stream
        {
            private readonly PooledBufferContent _owner;
            private int _position;

            public ReadStream(PooledBufferContent owner) => _owner = owner;

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _owner.ReleaseTurn(); // read to the end (or given up): the next page may be parsed
                }

                base.Dispose(disposing);
            }

            public override bool CanRead => true;

            public override bool CanSeek => true;

            public override bool CanWrite => false;

            public override long Length => _owner._length;

            public override long Position
            {
                get => _position;
                set => _position = (int)Math.Max(0, Math.Min(value, _owner._length));
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                var source = _owner._buffer ?? throw new ObjectDisposedException(nameof(PooledBufferContent), "The response was disposed.");
                var n = Math.Min(count, _owner._length - _position);
                if (n <= 0)
                {
                    return 0;
                }

                Buffer.BlockCopy(source, _position, buffer, offset, n);
                _position += n;
                return n;
            }

#if NET5_0_OR_GREATER
            public override int Read(Span<byte> buffer)
            {
                var source = _owner._buffer ?? throw new ObjectDisposedException(nameof(PooledBufferContent), "The response was disposed.");
                var n = Math.Min(buffer.Length, _owner._length - _position);
                if (n <= 0)
                {
                    return 0;
                }

                source.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
                }

                return new ValueTask<int>(Read(buffer.Span));
            }
#endif

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return Task.FromCanceled<int>(cancellationToken);
                }

                return Task.FromResult(Read(buffer, offset, count));
            }

            public override long Seek(long offset, SeekOrigin origin)
            {
                var target = origin switch
                {
                    SeekOrigin.Begin => offset,
                    SeekOrigin.Current => _position + offset,
                    _ => _owner._length + offset,
                };
                Position = target;
                return _position;
            }

            public override void Flush()
            {
            }

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
