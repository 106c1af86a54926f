using System;
using System.Collections.Generic;
using System.IO;

namespace Aha.Client
{
    // The two file types of the generated client (NSwag would emit them undocumented; nswag.json excludes its copies).
    // Their shape is the one the generated code calls: keep constructor and member signatures as they are.

    /// <summary>A file to upload in a <c>multipart/form-data</c> request (for example an attachment).</summary>
    public partial class FileParameter
    {
        /// <summary>A file with no name and no content type.</summary>
        /// <param name="data">The content; read when the request is sent, not disposed by the client.</param>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null (an upload needs content).</exception>
        public FileParameter(Stream data)
            : this(data, null, null)
        {
        }

        /// <summary>A named file with no content type.</summary>
        /// <param name="data">The content; read when the request is sent, not disposed by the client.</param>
        /// <param name="fileName">The file name Aha! shows.</param>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null (an upload needs content).</exception>
        public FileParameter(Stream data, string? fileName)
            : this(data, fileName, null)
        {
        }

        /// <summary>A named file with its media type.</summary>
        /// <param name="data">The content; read when the request is sent, not disposed by the client.</param>
        /// <param name="fileName">The file name Aha! shows.</param>
        /// <param name="contentType">The media type, for example <c>image/png</c>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null (an upload needs content).</exception>
        public FileParameter(Stream data, string? fileName, string? contentType)
        {
            Data = data ?? throw new ArgumentNullException(nameof(data), "An upload needs the file's content: pass a readable stream.");
            FileName = fileName;
            ContentType = contentType;
        }

        /// <summary>The content.</summary>
        public Stream Data { get; private set; }

        /// <summary>The file name Aha! shows, if any.</summary>
        public string? FileName { get; private set; }

        /// <summary>The media type, if any.</summary>
        public string? ContentType { get; private set; }
    }

    /// <summary>A streamed answer (for example an account backup archive). Dispose it to release the connection.</summary>
    public partial class FileResponse : IDisposable
    {
        private readonly IDisposable? _client;
        private readonly IDisposable? _response;

        /// <summary>Wraps a streamed answer.</summary>
        /// <param name="statusCode">The HTTP status.</param>
        /// <param name="headers">The response and content headers.</param>
        /// <param name="stream">The body, read as it arrives.</param>
        /// <param name="client">Disposed with the answer, if given.</param>
        /// <param name="response">Disposed with the answer, if given.</param>
        public FileResponse(int statusCode, IReadOnlyDictionary<string, IEnumerable<string>> headers, Stream stream, IDisposable? client, IDisposable? response)
        {
            StatusCode = statusCode;
            Headers = headers;
            Stream = stream;
            _client = client;
            _response = response;
        }

        /// <summary>The HTTP status.</summary>
        public int StatusCode { get; private set; }

        /// <summary>The response and content headers.</summary>
        public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; private set; }

        /// <summary>The body, read as it arrives.</summary>
        public Stream Stream { get; private set; }

        /// <summary>Whether the answer is a part of the file (206).</summary>
        public bool IsPartial => StatusCode == 206;

        /// <summary>Releases the body and the connection.</summary>
        public void Dispose()
        {
            Stream.Dispose();
            _response?.Dispose();
            _client?.Dispose();
        }
    }
}
