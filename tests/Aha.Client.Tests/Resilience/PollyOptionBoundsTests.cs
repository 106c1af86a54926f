using System;
using System.Threading;
using Aha.Client.Configuration;
using Aha.Client.Resilience;
using Aha.Client.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aha.Client.Tests.Resilience
{
    /// <summary>
    /// The options validator checks every bound Polly's strategy options check (retry delays, the breaker's durations), so
    /// that options it accepts always build the Polly pipelines, and options Polly would refuse fail with the typed
    /// options error that lists every problem, not with Polly's DataAnnotations exception about its own option types.
    /// </summary>
    public class PollyOptionBoundsTests
    {
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
            // The validator's bounds and Polly's must agree: whatever passes the validator must build.
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

                var what = $"BaseDelay {baseDelay}, MaxDelay {maxDelay}, breaker durations {duration}";
                Assert.DoesNotThrow(() => AhaResiliencePipelines.CreateCallPipeline(options.Resilience, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance), what);
                Assert.DoesNotThrow(() => AhaResiliencePipelines.CreateAttemptPipeline(options.Resilience, TimeProvider.System), what);
                Assert.DoesNotThrow(() => new AhaClient(options, new DelegateHandler((_, _) => throw new AssertionException("nothing is sent"))), what);
            }
        }
    }
}
