using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Resilience;

namespace Aha.Client
{
    /// <summary>What one call of a resource client asked for: per-call options and, for <c>...WithResponseAsync</c>, the response capture.</summary>
    internal sealed class AhaResponseCapture
    {
        public int Status { get; set; }

        public Dictionary<string, IEnumerable<string>> Headers { get; } = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);

        public string? Content { get; set; }

        public bool Captured { get; set; }
    }

    /// <summary>
    /// Runtime support of the generated resource clients (<c>FeaturesClient</c>, ...): argument checks, the per-call
    /// scope that carries options and the response capture from the public method to the NSwag hooks, and the shared
    /// error and <c>ToString()</c> helpers. Not public: the surface is the generated clients.
    /// </summary>
    internal static class AhaCall
    {
        private static readonly AsyncLocal<State?> Current = new AsyncLocal<State?>();

        /// <summary>
        /// A body that replaces the one the generated code built, for the request of the call in progress (a link upload
        /// sends JSON through the generated multipart method); null for every other call.
        /// </summary>
        internal static readonly AsyncLocal<Func<HttpContent>?> BodyOverride = new AsyncLocal<Func<HttpContent>?>();

        public static void RequireId(string? value, string parameterName)
        {
            if (value is null)
            {
                throw new ArgumentNullException(parameterName);
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"'{parameterName}' is empty or whitespace; pass the record's id or reference (for example PRJ1-1).", parameterName);
            }
        }

        public static InvalidOperationException NotConnected(string client)
            => new InvalidOperationException($"This {client} was created with the protected constructor (for mocking) and has no connection; override the member you call, or get the client from AhaClient.");

        /// <summary>Starts the scope of one call; disposing it restores the caller's.</summary>
        public static IDisposable Begin(AhaOperationOptions? options, AhaResponseCapture? capture)
        {
            var previous = Current.Value;
            var requestScope = options?.RequestOptions is { } requestOptions ? AhaRequestOptions.Push(requestOptions) : null;
            Current.Value = options is null && capture is null ? null : new State(options, capture);
            return new Scope(previous, requestScope);
        }

        public static Task PrepareRequestAsync(HttpRequestMessage request)
        {
            if (BodyOverride.Value is { } body)
            {
                var generated = request.Content;
                request.Content = body();
                generated?.Dispose();
            }

            if (request.Content is MultipartFormDataContent multipart)
            {
                PlainFileNames(multipart);
            }

            var options = Current.Value?.Options;
            if (options is { HasHeaders: true })
            {
                foreach (var header in options.HeaderValues)
                {
                    request.Headers.Remove(header.Key);
                    if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value))
                    {
                        throw new ArgumentException($"The header '{header.Key}' cannot be set on a request (it is a content header or invalid).", nameof(options.Headers));
                    }
                }
            }

            return Task.CompletedTask;
        }

        /// <summary>
        /// .NET names an uploaded file twice, <c>filename=notes.txt; filename*=utf-8''notes.txt</c>; some multipart
        /// parsers (Prism's among them) fail on the second form. An ASCII name is sent once, quoted, as browsers do;
        /// a name outside ASCII keeps the encoded form, which is the only one that can carry it.
        /// </summary>
        internal static void PlainFileNames(MultipartFormDataContent multipart)
        {
            foreach (var part in multipart)
            {
                if (part.Headers.ContentDisposition is { FileNameStar: { } name } disposition && IsPlainAscii(name))
                {
                    disposition.FileNameStar = null;
                    disposition.FileName = "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
                }
            }
        }

        private static bool IsPlainAscii(string value)
        {
            foreach (var c in value)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        public static async Task ProcessResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var capture = Current.Value?.Capture;
            if (capture is null)
            {
                return;
            }

            capture.Captured = true;
            capture.Status = (int)response.StatusCode;
            capture.Headers.Clear();
            foreach (var header in response.Headers)
            {
                capture.Headers[header.Key] = header.Value;
            }

            if (response.Content != null)
            {
                foreach (var header in response.Content.Headers)
                {
                    capture.Headers[header.Key] = header.Value;
                }

                // Buffered, so the generated code still reads the body after this.
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                capture.Content = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
        }

        public static async Task<AhaResponse<T>> WithResponseAsync<T>(Func<AhaResponseCapture, Task<T>> send)
        {
            var capture = new AhaResponseCapture();
            var value = await send(capture).ConfigureAwait(false);
            return new AhaResponse<T>(value, capture.Status, capture.Headers, capture.Content);
        }

        public static async Task<AhaResponse> WithEmptyResponseAsync(Func<AhaResponseCapture, Task> send)
        {
            var capture = new AhaResponseCapture();
            await send(capture).ConfigureAwait(false);
            return new AhaResponse(capture.Status, capture.Headers, capture.Content);
        }

        public static async Task<T?> NullWhenNotFoundAsync<T>(Task<T> call)
            where T : class
        {
            try
            {
                return await call.ConfigureAwait(false);
            }
            catch (AhaApiException e) when (e.StatusCode == 404)
            {
                return null;
            }
        }

        /// <summary>A success answer without the record the operation promises (<c>{"feature": ...}</c> missing or null).</summary>
        public static AhaApiException MissingRecord(string wrapper, AhaResponseCapture? capture)
            => new AhaApiException(
                $"Aha! answered without the \"{wrapper}\" record this operation returns.",
                capture?.Status ?? 200,
                capture?.Content,
                capture?.Headers,
                innerException: null,
                details: null);

        public static string Describe(string type, params string?[] parts)
        {
            var text = type;
            foreach (var part in parts)
            {
                if (!string.IsNullOrEmpty(part))
                {
                    text += " " + part;
                }
            }

            return text;
        }

        public static string? Part(string? value) => string.IsNullOrEmpty(value) ? null : value;

        public static string? Quoted(string? value) => string.IsNullOrEmpty(value) ? null : "\"" + value + "\"";

        public static string? IdPart(object? id)
        {
            var text = Convert.ToString(id, CultureInfo.InvariantCulture);
            return string.IsNullOrEmpty(text) ? null : "(id " + text + ")";
        }

        private sealed class State
        {
            public State(AhaOperationOptions? options, AhaResponseCapture? capture)
            {
                Options = options;
                Capture = capture;
            }

            public AhaOperationOptions? Options { get; }

            public AhaResponseCapture? Capture { get; }
        }

        private sealed class Scope : IDisposable
        {
            private readonly State? _previous;
            private readonly IDisposable? _requestScope;

            public Scope(State? previous, IDisposable? requestScope)
            {
                _previous = previous;
                _requestScope = requestScope;
            }

            public void Dispose()
            {
                Current.Value = _previous;
                _requestScope?.Dispose();
            }
        }
    }
}
