using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Pipeline;
using Microsoft.Extensions.Logging;

namespace Aha.Client.Telemetry
{
    /// <summary>
    /// Outermost step: one <see cref="Activity"/>, one duration measurement and a start/end log event (Debug) per call,
    /// however many attempts it took. Records method, path (secrets masked) and status; never headers or bodies.
    /// </summary>
    internal sealed class TelemetryHandler : DelegatingHandler
    {
        private readonly ILogger _logger;
        private readonly TimeProvider _time;

        public TelemetryHandler(ILogger logger, TimeProvider time)
        {
            _logger = logger;
            _time = time;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var method = request.Method.Method;

            // Nothing is formatted unless someone listens: with no ActivityListener and Debug logging off (the common
            // case) a call costs no string for its path and no Activity.
            var logging = _logger.IsEnabled(LogLevel.Debug);
            using var activity = AhaTelemetry.ActivitySource.HasListeners() ? AhaTelemetry.ActivitySource.StartActivity("Aha " + method, ActivityKind.Internal) : null;
            var path = activity != null || logging ? Redaction.DescribePath(request) : null;
            if (activity != null)
            {
                activity.SetTag("http.request.method", method);
                activity.SetTag("url.path", path);
                activity.SetTag("server.address", request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.Host : null);
            }

            if (logging)
            {
                Log.RequestStarting(_logger, method, path!);
            }

            var started = _time.GetTimestamp();
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var elapsed = _time.GetElapsedTime(started);
                var attempts = RequestProperties.GetAttempts(request);
                var status = (int)response.StatusCode;
                if (activity != null)
                {
                    activity.SetTag("http.response.status_code", status);
                    activity.SetTag("aha.attempts", attempts);
                }

                if (AhaTelemetry.CallDuration.Enabled)
                {
                    AhaTelemetry.CallDuration.Record(elapsed.TotalSeconds, AhaTelemetry.Tag("http.request.method", method), AhaTelemetry.Tag("http.response.status_code", status));
                }

                if (logging)
                {
                    Log.RequestCompleted(_logger, method, path!, status, elapsed, attempts);
                }

                return response;
            }
            catch (Exception ex)
            {
                var elapsed = _time.GetElapsedTime(started);
                var attempts = RequestProperties.GetAttempts(request);
                var errorType = ex.GetType().Name;
                if (ex is AhaApiException api)
                {
                    activity?.SetTag("http.response.status_code", api.StatusCode);
                    AhaTelemetry.CallDuration.Record(elapsed.TotalSeconds, AhaTelemetry.Tag("http.request.method", method), AhaTelemetry.Tag("http.response.status_code", api.StatusCode), AhaTelemetry.Tag("error.type", errorType));
                }
                else
                {
                    AhaTelemetry.CallDuration.Record(elapsed.TotalSeconds, AhaTelemetry.Tag("http.request.method", method), AhaTelemetry.Tag("error.type", errorType));
                }

                activity?.SetTag("error.type", errorType);
                activity?.SetTag("aha.attempts", attempts);
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                Log.RequestFailed(_logger, method, path ?? Redaction.DescribePath(request), ex, elapsed, attempts);
                throw;
            }
        }
    }
}
