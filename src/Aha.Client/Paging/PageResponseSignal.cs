using System;
using System.Threading;

namespace Aha.Client
{
    /// <summary>
    /// Lets the paging loop learn that a page's response has arrived before the list method deserializes it, so that
    /// the next page can be requested meanwhile. The loop sets <see cref="Current"/> around one page request (an
    /// <see cref="AsyncLocal{T}"/>: it flows into that call only); the generated clients call <see cref="Notify"/>
    /// from NSwag's <c>ProcessResponse</c> hook, which runs once the pipeline has returned the response (with the
    /// client's pipeline, the body is then already buffered) and before the body is read.
    /// </summary>
    internal static class PageResponseSignal
    {
        private static readonly AsyncLocal<Action?> CurrentSignal = new AsyncLocal<Action?>();

        /// <summary>The callback of the page request running in this async flow, if any.</summary>
        public static Action? Current
        {
            get => CurrentSignal.Value;
            set => CurrentSignal.Value = value;
        }

        /// <summary>Reports that the response of the current request has arrived (a no-op outside a page request).</summary>
        public static void Notify() => CurrentSignal.Value?.Invoke();
    }
}
