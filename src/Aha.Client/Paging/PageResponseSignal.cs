using System;
using System.Net.Http;
using System.Threading;

namespace Aha.Client
{
    /// <summary>
    /// Lets the paging loop learn that a page's response has arrived before the list method deserializes it, so that
    /// the next page can be requested meanwhile. The loop sets <see cref="Current"/> around one page request (an
    /// <see cref="AsyncLocal{T}"/>: it flows into that call only); the generated clients call <see cref="Notify"/>
    /// from NSwag's <c>ProcessResponse</c> hook, which runs once the pipeline has returned the response (with the
    /// client's pipeline, the body is then already buffered) and before the body is read. The client's pipeline also
    /// hands the buffered response to <see cref="CurrentBody"/>, so that the loop can read the first page's
    /// pagination from the end of the body (<see cref="EarlyPagination"/>) before its records are parsed.
    /// </summary>
    internal static class PageResponseSignal
    {
        private static readonly AsyncLocal<Action?> CurrentSignal = new AsyncLocal<Action?>();

        private static readonly AsyncLocal<Action<HttpResponseMessage>?> CurrentBodySignal = new AsyncLocal<Action<HttpResponseMessage>?>();

        /// <summary>The callback of the page request running in this async flow, if any.</summary>
        public static Action? Current
        {
            get => CurrentSignal.Value;
            set => CurrentSignal.Value = value;
        }

        /// <summary>Called with each attempt's response once its body is buffered, in the page request's flow only.</summary>
        public static Action<HttpResponseMessage>? CurrentBody
        {
            get => CurrentBodySignal.Value;
            set => CurrentBodySignal.Value = value;
        }

        /// <summary>Reports that the response of the current request has arrived (a no-op outside a page request).</summary>
        public static void Notify() => CurrentSignal.Value?.Invoke();

        /// <summary>Hands a buffered response to the current page request, if any (the pipeline's attempt step calls it).</summary>
        /// <param name="response">The response, its body buffered.</param>
        public static void BodyBuffered(HttpResponseMessage response) => CurrentBodySignal.Value?.Invoke(response);
    }
}
