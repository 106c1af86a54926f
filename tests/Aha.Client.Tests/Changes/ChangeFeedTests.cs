using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Changes
{
    /// <summary>The change feed over a fake audit log: cursor, checkpoints, de-duplication, the 12-month limit.</summary>
    public sealed class ChangeFeedTests
    {
        private TestClock _clock = null!;
        private FakeAuditLog _log = null!;
        private AhaClient _aha = null!;
        private AhaChangeFeed _feed = null!;

        [SetUp]
        public void SetUp()
        {
            _clock = new TestClock();
            _log = new FakeAuditLog { Now = () => _clock.GetUtcNow() };
            _aha = TestClients.Create(_clock, _log, o => o.RateLimit.Enabled = false);
            _feed = new AhaChangeFeed(_aha, _clock);
        }

        [TearDown]
        public void TearDown() => _log.Dispose();

        private async Task<List<AhaChangeBatch>> ReadAllAsync(string checkpoint)
        {
            var batches = new List<AhaChangeBatch>();
            await foreach (var batch in _feed.ReadAsync(checkpoint))
            {
                batches.Add(batch);
            }

            return batches;
        }

        [Test]
        public async Task A_checkpoint_taken_before_changes_reads_them_typed_in_order_then_resumes_after_the_last()
        {
            var start = _feed.CheckpointNow();
            _clock.Advance(TimeSpan.FromMinutes(1));
            _log.Add("create", "feature", "1001", "release", "2001", ("Name", "First"));
            _log.Add("update", "custom_field_value", "9001", "feature", "1001", ("Priority", "P1"));
            _log.Add("destroy", "idea", "3001");

            var batches = await ReadAllAsync(start);

            var changes = batches.SelectMany(b => b.Changes).ToList();
            Assert.That(changes.Select(c => c.Action), Is.EqualTo(new[] { AhaChangeAction.Create, AhaChangeAction.Update, AhaChangeAction.Destroy }));
            Assert.Multiple(() =>
            {
                Assert.That(changes[0].RecordType, Is.EqualTo("feature"));
                Assert.That(changes[0].RecordId, Is.EqualTo("1001"));
                Assert.That(changes[0].Changes.Single().ValueText, Is.EqualTo("First"));
                Assert.That(changes[0].User!.Email, Is.EqualTo("no-reply@aha.io"));
                Assert.That(changes[0].CreatedAt, Is.EqualTo(_clock.GetUtcNow()));
                Assert.That(changes[1].IsSecondary, Is.True, "a custom field value belongs to its feature");
                Assert.That((changes[1].PrimaryType, changes[1].PrimaryId), Is.EqualTo(("feature", "1001")));
                Assert.That(changes[2].PrimaryId, Is.EqualTo("3001"));
                Assert.That((string?)changes[2].Raw["description"], Is.EqualTo("destroy idea 3001"));
                Assert.That(long.Parse(changes[0].AuditId), Is.GreaterThan(1L << 53), "audit ids beyond a double's precision are kept exactly");
            });
            Assert.That(_log.AuditQueries[0], Does.Contain("created_since=").And.Contain("per_page=200"));

            // Resumed from the last batch's checkpoint: only what came after.
            _log.Add("update", "feature", "1001", null, null, ("Name", "First → Second"));
            var resumed = await ReadAllAsync(batches.Last().Checkpoint);
            Assert.That(resumed.SelectMany(b => b.Changes).Select(c => c.RecordId), Is.EqualTo(new[] { "1001" }));
            Assert.That(_log.AuditQueries.Last(), Does.Contain("after_id=" + changes[2].AuditId));
        }

        [Test]
        public async Task More_audits_than_one_answer_are_read_with_the_after_id_cursor_each_once()
        {
            var start = _feed.CheckpointNow();
            _clock.Advance(TimeSpan.FromMinutes(1));
            _log.MaxPerPage = 50;
            for (var i = 0; i < 120; i++)
            {
                _log.Add("update", "feature", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var batches = await ReadAllAsync(start);

            var ids = batches.SelectMany(b => b.Changes).Select(c => c.RecordId).ToList();
            Assert.That(ids, Is.EqualTo(Enumerable.Range(1000, 120).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(batches.Select(b => b.Changes.Count), Is.EqualTo(new[] { 50, 50, 20 }));
            Assert.That(batches.Select(b => b.IsLast), Is.EqualTo(new[] { false, false, true }));
            Assert.That(_log.AuditQueries.Skip(1), Has.All.Contain("after_id="), "after the start time, the cursor (not pages)");
            Assert.That(_log.AuditQueries, Has.None.Match("(^|&)page="));
        }

        [Test]
        public async Task A_server_that_lists_newest_first_is_read_oldest_first_without_the_checkpoint_passing_an_undelivered_audit()
        {
            var start = _feed.CheckpointNow();
            _clock.Advance(TimeSpan.FromMinutes(1));
            _log.MaxPerPage = 50;
            _log.NewestFirst = true;
            for (var i = 0; i < 120; i++)
            {
                _log.Add("update", "feature", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var delivered = new List<string>();
            await foreach (var batch in _feed.ReadAsync(start))
            {
                delivered.AddRange(batch.Changes.Select(c => c.RecordId));

                // Resuming from any batch's checkpoint delivers exactly what this read has not yet delivered.
                var rest = new List<string>();
                await foreach (var later in new AhaChangeFeed(_aha, _clock).ReadChangesAsync(batch.Checkpoint))
                {
                    rest.Add(later.RecordId);
                }

                Assert.That(delivered.Concat(rest), Is.EquivalentTo(Enumerable.Range(1000, 120).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }

            Assert.That(delivered, Is.EqualTo(Enumerable.Range(1000, 120).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), "oldest first, each once");
        }

        [Test]
        public async Task An_overlapping_answer_never_delivers_an_audit_twice()
        {
            var start = _feed.CheckpointNow();
            _clock.Advance(TimeSpan.FromMinutes(1));
            _log.MaxPerPage = 10;
            _log.RepeatLastSeen = true;
            for (var i = 0; i < 25; i++)
            {
                _log.Add("update", "feature", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var batches = await ReadAllAsync(start);
            var auditIds = batches.SelectMany(b => b.Changes).Select(c => c.AuditId).ToList();
            Assert.That(auditIds, Is.Unique);
            Assert.That(auditIds, Has.Count.EqualTo(25));
        }

        [Test]
        public async Task An_idle_account_gives_one_empty_batch_whose_checkpoint_moves_forward()
        {
            var start = _feed.CheckpointNow();
            _clock.Advance(TimeSpan.FromDays(30));

            var batches = await ReadAllAsync(start);

            Assert.That(batches, Has.Count.EqualTo(1));
            Assert.That(batches[0].Changes, Is.Empty);
            Assert.That(batches[0].Checkpoint, Is.Not.EqualTo(start), "kept fresh, so the 12-month limit is not reached by an idle account");

            // A change made after that read is still delivered from the new checkpoint.
            _clock.Advance(TimeSpan.FromSeconds(1));
            _log.Add("create", "feature", "5");
            var next = await ReadAllAsync(batches[0].Checkpoint);
            Assert.That(next.SelectMany(b => b.Changes).Single().RecordId, Is.EqualTo("5"));
        }

        [Test]
        public async Task A_checkpoint_older_than_twelve_months_is_refused_with_a_typed_error_before_any_request()
        {
            var start = _feed.CheckpointNow();
            _clock.Advance(TimeSpan.FromDays(400));

            var ex = await Assert.ThrowsAsync<AhaChangeHistoryExpiredException>(async () => await ReadAllAsync(start));

            Assert.That(ex!.CheckpointTime, Is.LessThan(ex.OldestAvailable));
            Assert.That(ex.Message, Does.Contain("historical audits"));
            Assert.That(_log.AuditQueries, Is.Empty);
        }

        [TestCase("")]
        [TestCase("not-a-checkpoint")]
        [TestCase("aha-changes.v1:a:12x:5")]
        public async Task A_string_the_feed_did_not_make_is_refused(string checkpoint)
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await ReadAllAsync(checkpoint));
        }

        [Test]
        public async Task The_audits_request_goes_through_the_client_pipeline_and_its_typed_errors()
        {
            using var failing = new DelegateHandler((_, _) => Task.FromResult(TestClients.Json(System.Net.HttpStatusCode.Unauthorized, "{\"error\":\"Unauthorized\"}")));
            var aha = TestClients.Create(_clock, failing, o => { o.RateLimit.Enabled = false; o.Resilience.MaxRetryAttempts = 0; });
            var feed = new AhaChangeFeed(aha, _clock);

            await Assert.ThrowsAsync<AhaAuthenticationException>(async () =>
            {
                await foreach (var _ in feed.ReadAsync(feed.CheckpointNow()))
                {
                }
            });
        }

        [TestCase(false)]
        [TestCase(true)]
        public async Task The_generated_audits_ListAll_scans_with_the_after_id_cursor_as_the_spec_marks_it(bool newestFirst)
        {
            _log.MaxPerPage = 50;
            _log.NewestFirst = newestFirst;
            var expected = Enumerable.Range(0, 120).Select(i => (string)_log.Add("update", "feature", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))["id"]!).ToList();

            var ids = new List<string>();
            await foreach (var audit in _aha.Audits.ListAllAsync())
            {
                ids.Add(audit.Id!);
            }

            Assert.That(ids, Is.EqualTo(expected), "lowest id first, each once");
            Assert.That(_log.AuditQueries[0], Does.Not.Contain("after_id="));
            Assert.That(_log.AuditQueries.Skip(1), Has.Some.Contain("after_id="));

            // Resumed after a known id: only what follows it.
            var resumed = new List<string>();
            await foreach (var audit in _aha.Audits.ListAllAsync(new AuditsListOptions { AfterId = expected[99] }))
            {
                resumed.Add(audit.Id!);
            }

            Assert.That(resumed, Is.EqualTo(expected.Skip(100)));
            Assert.Throws<ArgumentException>(() => _aha.Audits.ListAllAsync(new AuditsListOptions { Page = 2 }));
        }

        [Test]
        public void The_client_exposes_its_feed()
        {
            Assert.That(_aha.Changes, Is.Not.Null);
            Assert.That(_aha.Changes, Is.SameAs(_aha.Changes));
        }
    }
}
