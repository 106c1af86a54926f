using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Pipeline;
using Polly;

namespace Aha.Client.Resilience
{
    /// <summary>
    /// Bounds one attempt on the wire (Polly timeout), from sending to the end of the response body. It sits inside the
    /// rate limiter, so time spent queued for a permit never counts. The body is buffered here, so a connection that
    /// drops mid-body is an attempt failure the retry step can see (and repeat, for an idempotent request). The buffer is
    /// rented from the shared array pool and returned when the response is disposed (<see cref="PooledBufferContent"/>).
    /// </summary>
    internal sealed class AttemptTimeoutHandler : DelegatingHandler
    {
        private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

        public AttemptTimeoutHandler(ResiliencePipeline<HttpResponseMessage> pipeline) => _pipeline = pipeline;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.SetRequestMessage(request);
            try
            {
                return await _pipeline.ExecuteAsync(
                    static async (ResilienceContext ctx, (AttemptTimeoutHandler self, HttpRequestMessage request) state) =>
                    {
                        // Until the whole answer is here, the server may have processed the request without us knowing
                        // (the error step turns a lost answer to a write into AhaWriteOutcomeUnknownException).
                        RequestProperties.SetUnanswered(state.request, true);
                        HttpResponseMessage response;
                        try
                        {
                            response = await state.self.SendInnerAsync(state.request, ctx.CancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (RetryRules.NeverSent(ex))
                        {
                            RequestProperties.SetUnanswered(state.request, false);
                            throw;
                        }

                        try
                        {
                            if (response.Content != null)
                            {
                                // Into a pooled buffer, handed back when the response is disposed (no new LOH array per page).
                                response.Content = await PooledBufferContent.LoadAsync(response.Content, ctx.CancellationToken).ConfigureAwait(false);
                                PageResponseSignal.BodyBuffered(response); // a page request may read its pagination now
                            }
                        }
                        catch
                        {
                            response.Dispose();
                            throw;
                        }

                        RequestProperties.SetUnanswered(state.request, false);
                        return response;
                    },
                    context,
                    (self: this, request)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);
    }
}
