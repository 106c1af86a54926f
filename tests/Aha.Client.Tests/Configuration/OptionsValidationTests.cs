using System;
using System.Linq;
using System.Threading;
using Aha.Client.Authentication;
using Aha.Client.Configuration;
using Microsoft.Extensions.Options;

namespace Aha.Client.Tests.Configuration
{
    public class OptionsValidationTests
    {
        private static AhaClientOptions Valid() => new AhaClientOptions { Account = "company", Token = "test-token" };

        private static string Failures(AhaClientOptions options) => string.Join("\n", AhaClientOptionsValidator.GetFailures(options));

        [Test]
        public void Valid_options_pass_and_give_the_account_URL()
        {
            var options = Valid();
            Assert.That(AhaClientOptionsValidator.GetFailures(options), Is.Empty);
            Assert.That(AhaClientOptionsValidator.ResolveBaseAddress(options), Is.EqualTo(new Uri("https://company.aha.io/api/v1/")));
            Assert.That(AhaClientOptionsValidator.ResolveAccountHeader(options), Is.Null);
        }

        [Test]
        public void A_missing_token_is_named_with_where_to_get_one()
        {
            var options = Valid();
            options.Token = " ";
            Assert.That(Failures(options), Does.Contain("AhaClientOptions.Token is missing").And.Contain("API key"));
        }

        [Test]
        public void A_token_provider_replaces_the_token()
        {
            var options = Valid();
            options.Token = null;
            options.TokenProvider = AhaTokenProvider.FromToken("test-token");
            Assert.That(AhaClientOptionsValidator.GetFailures(options), Is.Empty);
        }

        [Test]
        public void A_token_with_a_Bearer_prefix_is_refused_without_echoing_it()
        {
            var options = Valid();
            options.Token = "Bearer test-token";
            var text = Failures(options);
            Assert.That(text, Does.Contain("without 'Bearer '"));
            Assert.That(text, Does.Not.Contain("test-token"));
        }

        [TestCase("my company")]
        [TestCase("company_1")]
        [TestCase("-company")]
        [TestCase("compañía")]
        public void An_account_with_invalid_characters_is_refused(string account)
        {
            var options = Valid();
            options.Account = account;
            Assert.That(Failures(options), Does.Contain($"AhaClientOptions.Account '{account}' is not a valid Aha! account name"));
        }

        [TestCase("company\n", "company\\n")]
        [TestCase("company\r\n", "company\\r\\n")]
        [TestCase("comp\rany", "comp\\rany")]
        [TestCase("company\t", "company\\t")]
        public void An_account_with_a_line_break_is_refused_and_the_message_shows_it_escaped(string account, string shown)
        {
            var options = Valid();
            options.Account = account;

            var failures = Failures(options);

            Assert.That(failures, Does.Contain($"AhaClientOptions.Account '{shown}' contains a line break or another control character"));
            Assert.That(failures.IndexOfAny(new[] { '\r', '\n', '\t' }), Is.EqualTo(-1), "no raw control character in the message");
        }

        [Test]
        public void Spaces_around_the_account_are_still_trimmed()
        {
            var options = Valid();
            options.Account = "  company ";

            Assert.That(Failures(options), Is.Empty);
            Assert.That(AhaClientOptionsValidator.ResolveBaseAddress(options).ToString(), Is.EqualTo("https://company.aha.io/api/v1/"));
        }

        [Test]
        public void An_invalid_account_is_echoed_without_raw_control_characters()
        {
            var options = Valid();
            options.Account = "my company\u0007";

            var failures = Failures(options);

            Assert.That(failures, Does.Contain("'my company\\u0007'"));
            Assert.That(failures.IndexOf('\u0007'), Is.EqualTo(-1), "ordinal: a culture-aware Contains ignores control characters");
        }

        [Test]
        public void An_account_given_as_a_host_name_gets_a_hint()
        {
            var options = Valid();
            options.Account = "company.aha.io";
            Assert.That(Failures(options), Does.Contain("Give only the subdomain"));
        }

        [Test]
        public void Neither_account_nor_URL_is_refused()
        {
            var options = Valid();
            options.Account = null;
            Assert.That(Failures(options), Does.Contain("set Account").And.Contain("or BaseUrl"));
        }

        [Test]
        public void Plain_HTTP_is_refused_except_for_loopback()
        {
            var options = Valid();
            options.BaseUrl = new Uri("http://company.aha.io/api/v1");
            Assert.That(Failures(options), Does.Contain("must use HTTPS").And.Contain("loopback"));

            foreach (var loopback in new[] { "http://127.0.0.1:5000/", "http://localhost:8080/api/v1", "http://[::1]:81/" })
            {
                options.BaseUrl = new Uri(loopback);
                Assert.That(AhaClientOptionsValidator.GetFailures(options), Is.Empty, loopback);
            }
        }

        [Test]
        public void A_root_URL_gets_the_API_path_and_a_trailing_slash()
        {
            var options = Valid();
            options.BaseUrl = new Uri("https://company.aha.io");
            Assert.That(AhaClientOptionsValidator.ResolveBaseAddress(options), Is.EqualTo(new Uri("https://company.aha.io/api/v1/")));
            options.BaseUrl = new Uri("http://127.0.0.1:5000/custom/v1");
            Assert.That(AhaClientOptionsValidator.ResolveBaseAddress(options), Is.EqualTo(new Uri("http://127.0.0.1:5000/custom/v1/")));
        }

        [Test]
        public void The_shared_host_needs_the_account_header()
        {
            var options = Valid();
            options.Account = null;
            options.BaseUrl = new Uri("https://secure.aha.io/api/v1/");
            Assert.That(Failures(options), Does.Contain("secure.aha.io must name the account"));

            options.Account = "company";
            Assert.That(AhaClientOptionsValidator.GetFailures(options), Is.Empty);
            Assert.That(AhaClientOptionsValidator.ResolveAccountHeader(options), Is.EqualTo("company"));
        }

        [Test]
        public void Limits_retries_and_timeouts_are_checked()
        {
            var options = Valid();
            options.RateLimit.RequestsPerSecond = 0;
            options.RateLimit.RequestsPerMinute = -1;
            options.Resilience.MaxRetryAttempts = -1;
            options.Resilience.BaseDelay = TimeSpan.Zero;
            options.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(1);
            options.Resilience.TotalTimeout = TimeSpan.FromSeconds(1);
            options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(5);
            var failures = AhaClientOptionsValidator.GetFailures(options);
            Assert.That(failures, Has.Some.Contains("RequestsPerSecond must be at least 1"));
            Assert.That(failures, Has.Some.Contains("RequestsPerMinute must be at least 1"));
            Assert.That(failures, Has.Some.Contains("MaxRetryAttempts must be between 0 and 100"));
            Assert.That(failures, Has.Some.Contains("BaseDelay must be positive"));
            Assert.That(failures, Has.Some.Contains("TotalTimeout (00:00:01) must not be shorter than AttemptTimeout"));
        }

        [Test]
        public void Infinite_timeouts_are_allowed()
        {
            var options = Valid();
            options.Resilience.AttemptTimeout = Timeout.InfiniteTimeSpan;
            options.Resilience.TotalTimeout = Timeout.InfiniteTimeSpan;
            Assert.That(AhaClientOptionsValidator.GetFailures(options), Is.Empty);
        }

        [Test]
        public void The_options_constructor_validates_and_lists_every_problem()
        {
            var options = new AhaClientOptions { Account = "bad account" };
            var error = Assert.Throws<OptionsValidationException>(() => new AhaClient(options));
            Assert.That(error!.Failures.Count(), Is.EqualTo(2));
            Assert.That(error.Message, Does.Contain("Token is missing").And.Contain("'bad account'"));
        }

        [Test]
        public void ToString_never_shows_the_token()
        {
            var options = Valid();
            Assert.That(options.ToString(), Does.Not.Contain("test-token").And.Contain("[redacted]"));
        }
    }
}
