using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client.Tests.Paging
{
    /// <summary>
    /// Sequential paging requests page n+1 as soon as page n's response has arrived, not after page n's records were
    /// deserialized (the generated clients report the arrival from NSwag's <c>ProcessResponse</c>).
    /// </summary>
    public class EarlyRequestTests
    {
        /// <summary>A body whose bytes cannot be read until a signal is given.</summary>
        private sealed class HeldContent : HttpContent
        {
            private readonly byte[] _bytes;
            private readonly Task _release;

            public HeldContent(byte[] bytes, Task release)
            {
                _bytes = bytes;
                _release = release;
                Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                await _release.ConfigureAwait(false);
                await stream.WriteAsync(_bytes, 0, _bytes.Length).ConfigureAwait(false);
            }

            protected override async Task<Stream> CreateContentReadStreamAsync()
            {
                await _release.ConfigureAwait(false);
                return new MemoryStream(_bytes, writable: false);
            }

            protected override bool TryComputeLength(out long length)
            {
                length = _bytes.Length;
                return true;
            }
        }

        [Test]
        public async Task The_next_page_is_requested_before_the_previous_page_is_read()
        {
            // Page 2's body cannot be read (so not deserialized) until page 3 has been requested. Had the engine waited
            // for page 2's records before requesting page 3, page 2 would only be released by the guard below, which
            // the assertion then reports.
            var server = new ListServer(1000);
            var page3Requested = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var released = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var releasedByPage3 = false;
            server.BeforeServe = page =>
            {
                if (page == 3)
                {
                    page3Requested.TrySetResult(true);
                }
            };
            server.Content = (page, bytes) => page == 2 ? new HeldContent(bytes, released.Task) : null!;
            _ = Task.Run(async () =>
            {
                // The guard only turns a would-be deadlock into a failed assertion.
                var first = await Task.WhenAny(page3Requested.Task, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false);
                releasedByPage3 = first == page3Requested.Task;
                released.TrySetResult(true);
            });

            var ids = new List<string?>();
            await foreach (var feature in server.CreateFeaturesClient().ListAllAsync())
            {
                ids.Add(feature.Id);
            }

            Assert.That(releasedByPage3, Is.True, "page 3 was requested while page 2's body was still unread");
            Assert.That(ids, Is.EqualTo(Enumerable.Range(1, 1000).Select(n => (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1, 2, 3, 4, 5 }), "no page requested twice, none beyond the last");
            Assert.That(server.MaxInFlight, Is.LessThanOrEqualTo(1));
        }
    }
}
