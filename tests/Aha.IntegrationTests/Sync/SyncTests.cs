using System.Linq;
using System.Threading.Tasks;

namespace Aha.IntegrationTests.Sync
{
    /// <summary>
    /// <c>aha sync</c>'s engine against the sandbox, into a real SQLite file and a real PostgreSQL server: the first
    /// export, changes applied from the audit feed, and crashes at every step followed by a rerun.
    /// </summary>
    [TestFixture("sqlite")]
    [TestFixture("postgres")]
    [NonParallelizable]
    public sealed class SyncTests
    {
        private readonly string _database;

        public SyncTests(string database) => _database = database;

        [Test]
        [CancelAfter(120_000)]
        public async Task The_first_run_exports_everything_and_the_next_applies_only_the_changes()
        {
            await using var world = await SyncWorld.StartAsync(_database);

            var first = await world.SyncAsync("features,ideas,releases,epics");
            Assert.That(first.Exported["features"], Is.EqualTo(world.Sandbox.Count("features")));
            foreach (var resource in new[] { "features", "ideas", "releases", "epics" })
            {
                await world.AssertMirrorsAsync(resource);
            }

            // Changes: a custom field, a deletion, a creation; and an audit about something not synced.
            var changed = world.FeatureIdAt(3);
            var deleted = world.FeatureIdAt(7);
            await world.SetPriorityAsync(changed, "P1");
            await world.DeleteFeatureAsync(deleted);
            var created = await world.CreateFeatureAsync("Synced by the feed");
            world.Audits.Add("update", "todo", "424242");
            world.Audits.OtherRequests.Clear();

            var second = await world.SyncAsync("features,ideas,releases,epics");

            Assert.Multiple(() =>
            {
                Assert.That(second.FirstExport, Is.False);
                Assert.That(second.AuditsRead, Is.EqualTo(4));
                Assert.That(second.AuditsIgnored, Is.EqualTo(1));
                Assert.That(second.Deleted, Is.EqualTo(1));
                Assert.That(second.Upserted, Is.EqualTo(2));
                Assert.That(second.RecordsReRead, Is.EqualTo(2), "the changed and the created feature; the deleted one is not read");
                Assert.That(world.Audits.OtherRequests, Has.Count.EqualTo(2), "requests in proportion to the changes, not to the records");
            });
            await world.AssertMirrorsAsync("features");
            var rows = await world.RowsAsync("features");
            Assert.That(rows.ContainsKey(deleted), Is.False);
            Assert.That(rows[created].Name, Is.EqualTo("Synced by the feed"));

            // Nothing new: one audits request, nothing re-read.
            world.Audits.OtherRequests.Clear();
            var third = await world.SyncAsync("features,ideas,releases,epics");
            Assert.That(third.AuditsRead, Is.Zero);
            Assert.That(world.Audits.OtherRequests, Is.Empty);
        }

        [TestCase("export-page", 1)]
        [TestCase("export-page", 2)]
        [TestCase("export-done", 1)]
        [TestCase("export-done", 2)]
        [CancelAfter(120_000)]
        public async Task A_crash_during_the_first_export_and_a_rerun_lose_and_duplicate_nothing(string point, int occurrence)
        {
            await using var world = await SyncWorld.StartAsync(_database);

            Assert.That(await world.SyncAndCrashAsync("features,ideas", point, occurrence), Is.True, "the run reached " + point);

            // Meanwhile on the server: a record already copied is deleted, another changed.
            await world.DeleteFeatureAsync(world.FeatureIdAt(0));
            await world.SetPriorityAsync(world.FeatureIdAt(1), "P3");

            await world.SyncAsync("features,ideas");
            await world.AssertMirrorsAsync("features");
            await world.AssertMirrorsAsync("ideas");
        }

        [TestCase("batch-read", 1)]
        [TestCase("reread", 1)]
        [TestCase("reread", 2)]
        [TestCase("before-commit", 1)]
        [TestCase("after-commit", 1)]
        [CancelAfter(120_000)]
        public async Task A_crash_while_applying_changes_and_a_rerun_lose_and_duplicate_nothing(string point, int occurrence)
        {
            await using var world = await SyncWorld.StartAsync(_database);
            await world.SyncAsync("features");

            await world.SetPriorityAsync(world.FeatureIdAt(2), "P2");
            await world.DeleteFeatureAsync(world.FeatureIdAt(5));
            var created = await world.CreateFeatureAsync("Created before the crash");
            await world.SetPriorityAsync(world.FeatureIdAt(9), "P1");

            Assert.That(await world.SyncAndCrashAsync("features", point, occurrence), Is.True, "the run reached " + point);

            // More changes after the crash, then the rerun.
            await world.SetPriorityAsync(world.FeatureIdAt(2), "P4");
            await world.DeleteFeatureAsync(created);

            await world.SyncAsync("features");
            await world.AssertMirrorsAsync("features");

            // And a rerun with nothing new changes nothing.
            var again = await world.SyncAsync("features");
            Assert.That(again.Upserted + again.Deleted, Is.Zero);
            await world.AssertMirrorsAsync("features");
        }

        [Test]
        [CancelAfter(120_000)]
        public async Task Many_changes_are_applied_batch_by_batch_each_with_its_checkpoint()
        {
            await using var world = await SyncWorld.StartAsync(_database);
            await world.SyncAsync("features");
            world.Audits.MaxPerPage = 10;
            var ids = Enumerable.Range(0, 35).Select(world.FeatureIdAt).ToList();
            foreach (var id in ids)
            {
                await world.SetPriorityAsync(id, "P2");
            }

            // Stopped after the second batch was committed: the rerun starts at the third.
            Assert.That(await world.SyncAndCrashAsync("features", "after-commit", 2), Is.True);
            var queriesBefore = world.Audits.AuditQueries.Count;
            var rerun = await world.SyncAsync("features");

            Assert.That(rerun.AuditsRead, Is.EqualTo(15), "the 20 audits of the committed batches are not read again");
            Assert.That(world.Audits.AuditQueries.Count - queriesBefore, Is.EqualTo(2));
            await world.AssertMirrorsAsync("features");
        }
    }
}
