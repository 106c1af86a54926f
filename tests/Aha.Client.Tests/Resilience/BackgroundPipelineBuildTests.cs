using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Configuration;
using Aha.Client.Pipeline;
using Aha.Client.RateLimiting;
using Aha.Client.Resilience;
using Aha.Client.Tests.Infrastructure;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;

namespace Aha.Client.Tests.Resilience
{
    /// <summary>
    /// The Polly pipelines are built on a thread-pool thread from the constructor (DeferredResiliencePipelines): the
    /// options are still checked in the constructor, a build runs once whoever asks first, and a failed build reaches
    /// every call as the same exception, with nothing sent.
    /// </summary>
    public class BackgroundPipelineBuildTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30); // a bound for a stuck test, never a pace

        [Test]
        public void Options_that_Polly_would_refuse_are_refused_by_the_constructor_with_the_typed_options_error()
        {
            var options = TestClients.Options(new TestClock(), o =>
            {
                o.Resilience.BaseDelay = TimeSpan.FromDays(2);
                o.Resilience.MaxDelay = TimeSpan.FromDays(3); // not shorter than BaseDelay: refused for its own bound
                o.Resilience.CircuitBreaker.Enabled = true;
                o.Resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromDays(2);
                o.Resilience.CircuitBreaker.BreakDuration = TimeSpan.FromDays(2);
            });

            var error = Assert.Throws<OptionsValidationException>(() => new AhaClient(options, new DelegateHandler((_, _) => throw new AssertionException("nothing may be sent"))));

            Assert.That(error!.Failures, Has.Some.Contains("BaseDelay must be positive and at most one day"));
            Assert.That(error.Failures, Has.Some.Contains("MaxDelay must be at most one day"));
            Assert.That(error.Failures, Has.Some.Contains("SamplingDuration must be between 0.5 s and one day"));
            Assert.That(error.Failures, Has.Some.Contains("BreakDuration must be between 0.5 s and one day"));
        }

        [TestCase(false)]
        [TestCase(true)]
        public void Every_option_at_the_validators_bounds_builds_Pollys_pipelines(bool breaker)
        {
            // The validator's bounds and Polly's must agree: whatever passes the constructor's check must build later.
            foreach (var (baseDelay, maxDelay, duration, retries) in new[]
            {
                (TimeSpan.FromTicks(1), TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(500), 0),
                (TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), 100),
            })
            {
                var options = TestClients.Options(new TestClock(), o =>
                {
                    o.Resilience.BaseDelay = baseDelay;
                    o.Resilience.MaxDelay = maxDelay;
                    o.Resilience.MaxRetryAttempts = retries;
                    o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(10);
                    o.Resilience.TotalTimeout = Timeout.InfiniteTimeSpan;
                    o.Resilience.CircuitBreaker.Enabled = breaker;
                    o.Resilience.CircuitBreaker.FailureRatio = 1;
                    o.Resilience.CircuitBreaker.MinimumThroughput = 2;
                    o.Resilience.CircuitBreaker.SamplingDuration = duration;
                    o.Resilience.CircuitBreaker.BreakDuration = duration;
                });
                Assert.That(AhaClientOptionsValidator.GetFailures(options), Is.Empty);

                var pipeline = AhaPipeline.Create(options, buildInBackground: false);

                Assert.That(pipeline.Resilience.IsBuilt, Is.False, "not built before its first use when no background build was asked for");
                Assert.DoesNotThrow(() => _ = pipeline.Resilience.Call, $"BaseDelay {baseDelay}, MaxDelay {maxDelay}, breaker durations {duration}");
                Assert.DoesNotThrow(() => _ = pipeline.Resilience.Attempt);
                Assert.That(pipeline.Resilience.IsBuilt, Is.True);
            }
        }

        [Test]
        public async Task The_constructor_starts_the_build_and_a_client_works_whether_or_not_it_has_finished()
        {
            var built = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var release = new ManualResetEventSlim();
            var deferred = new DeferredResiliencePipelines(
                () =>
                {
                    built.TrySetResult(true);
                    release.Wait(Patience); // hold the build, so a request arrives while it runs
                    return ResiliencePipeline<HttpResponseMessage>.Empty;
                },
                () => ResiliencePipeline<HttpResponseMessage>.Empty,
                inBackground: true);

            Assert.That(await built.Task.WaitAsync(Patience), Is.True, "started by the constructor, before any request");
            var sent = new Counter();
            using var http = Chain(deferred, new DelegateHandler((_, _) =>
            {
                sent.Increment();
                return Task.FromResult(TestClients.Json(HttpStatusCode.OK, "{}"));
            }));

            // From another thread: the first request waits (blocking) for the build it needs.
            var call = Task.Run(() => http.GetAsync("https://company.aha.io/api/v1/features"));
            Assert.That(sent.Value, Is.EqualTo(0), "nothing is sent while the build it needs is running");
            release.Set();

            using var response = await call.WaitAsync(Patience);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(1));
        }

        [TestCase(false)]
        [TestCase(true)]
        public async Task Concurrent_first_calls_share_one_build(bool inBackground)
        {
            var callBuilds = 0;
            var attemptBuilds = 0;
            var deferred = new DeferredResiliencePipelines(
                () =>
                {
                    Interlocked.Increment(ref callBuilds);
                    return ResiliencePipeline<HttpResponseMessage>.Empty;
                },
                () =>
                {
                    Interlocked.Increment(ref attemptBuilds);
                    return ResiliencePipeline<HttpResponseMessage>.Empty;
                },
                inBackground);
            var sent = new Counter();
            using var http = Chain(deferred, new DelegateHandler((_, _) =>
            {
                sent.Increment();
                return Task.FromResult(TestClients.Json(HttpStatusCode.OK, "{}"));
            }));

            var calls = Enumerable.Range(0, 16).Select(i => Task.Run(() => http.GetAsync($"https://company.aha.io/api/v1/features/{i}"))).ToArray();
            var responses = await Task.WhenAll(calls).WaitAsync(Patience);

            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(16), "each call sent exactly once");
            Assert.That(callBuilds, Is.EqualTo(1));
            Assert.That(attemptBuilds, Is.EqualTo(1));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        [TestCase(false)]
        [TestCase(true)]
        public async Task A_build_that_fails_throws_the_same_error_to_every_call_and_sends_nothing(bool inBackground)
        {
            var failure = new InvalidOperationException("the pipeline could not be built");
            var builds = 0;
            var deferred = new DeferredResiliencePipelines(
                () =>
                {
                    Interlocked.Increment(ref builds);
                    throw failure;
                },
                () => ResiliencePipeline<HttpResponseMessage>.Empty,
                inBackground);
            var sent = new Counter();
            using var http = Chain(deferred, new DelegateHandler((_, _) =>
            {
                sent.Increment();
                return Task.FromResult(TestClients.Json(HttpStatusCode.OK, "{}"));
            }));

            var concurrent = Enumerable.Range(0, 8).Select(_ => Task.Run(() => http.GetAsync("https://company.aha.io/api/v1/features"))).ToArray();
            foreach (var call in concurrent)
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(Patience));
                Assert.That(error, Is.SameAs(failure));
            }

            var later = await Assert.ThrowsAsync<InvalidOperationException>(() => http.GetAsync("https://company.aha.io/api/v1/features"));
            Assert.That(later, Is.SameAs(failure), "a later call gets the same error, not a half-built pipeline");
            Assert.That(sent.Value, Is.EqualTo(0), "nothing was sent");
            Assert.That(builds, Is.EqualTo(1), "a failed build is not repeated");
            Assert.That(deferred.IsBuilt, Is.False);
        }

        [Test]
        public async Task The_background_build_does_not_carry_the_callers_context()
        {
            var ambient = new AsyncLocal<string?> { Value = "the caller's" };
            var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = new DeferredResiliencePipelines(
                () =>
                {
                    seen.TrySetResult(ambient.Value);
                    return ResiliencePipeline<HttpResponseMessage>.Empty;
                },
                () => ResiliencePipeline<HttpResponseMessage>.Empty,
                inBackground: true);

            Assert.That(await seen.Task.WaitAsync(Patience), Is.Null);
        }

        [Test]
        public async Task A_client_from_options_answers_its_first_calls_whichever_thread_builds_the_pipelines()
        {
            // The real pipelines (built in the background, as new AhaClient(options) does), the whole handler chain.
            var clock = new TestClock();
            var sent = new Counter();
            var aha = TestClients.Create(clock, TestClients.AlwaysOk(sent), o => o.RateLimit.SharedAcrossClients = false);

            var calls = Enumerable.Range(0, 4).Select(i => aha.GetAsync($"features/{i}")).ToArray();
            var responses = await Task.WhenAll(calls).WaitAsync(Patience);

            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.Value, Is.EqualTo(4));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        // The resilience steps of the client's chain (call pipeline, limiter, attempt pipeline) over a transport.
        private static HttpClient Chain(DeferredResiliencePipelines deferred, HttpMessageHandler transport)
        {
            var budget = RateLimitBudget.For(new AhaRateLimitOptions { SharedAcrossClients = false }, TimeProvider.System);
            var resilience = new ResilienceHandler(deferred.CallFor)
            {
                InnerHandler = new RateLimitHandler(budget, enabled: true, pauseOnServerSignal: true, NullLogger.Instance)
                {
                    InnerHandler = new AttemptTimeoutHandler(deferred)
                    {
                        InnerHandler = new PermitArrivalHandler { InnerHandler = transport },
                    },
                },
            };
            return new HttpClient(resilience);
        }
    }
}
