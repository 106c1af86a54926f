using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Aha.Sandbox.Tests
{
    /// <summary>
    /// The demo data is dated relative to the sandbox's clock ("today"), so that "what changed this week" has answers
    /// whenever the demo runs, and is the same for a given seed and clock.
    /// </summary>
    [TestFixture]
    public sealed class DemoDataDateTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2031, 5, 14, 10, 20, 30, TimeSpan.Zero);

        [Test]
        public async Task Features_and_ideas_are_created_over_the_last_weeks_some_today_and_none_after_now()
        {
            var (features, ideas, _) = await ReadAsync(Now, seed: 7);

            foreach (var (name, records) in new[] { ("features", features), ("ideas", ideas) })
            {
                var created = records.Select(r => Time(r, "created_at")).ToList();
                var updated = records.Select(r => Time(r, "updated_at")).ToList();
                Assert.That(created.Concat(updated).Max(), Is.LessThanOrEqualTo(Now), name + ": nothing after now");
                Assert.That(created.Min(), Is.GreaterThan(Now.AddDays(-60)).And.LessThan(Now.AddDays(-50)), name + ": the oldest some eight weeks ago");
                Assert.That(updated.Count(u => u >= Now.AddDays(-7)), Is.GreaterThan(records.Count / 10), name + ": many changed this week");
                Assert.That(updated.Count(u => u.UtcDateTime.Date == Now.UtcDateTime.Date), Is.GreaterThan(0), name + ": some changed today");
                Assert.That(records.Zip(created, updated).All(t => t.Second <= t.Third), Is.True, name + ": updated after created");
            }
        }

        [Test]
        public async Task Releases_are_past_current_and_planned_relative_to_today()
        {
            var (_, _, releases) = await ReadAsync(Now, seed: 7);
            var today = Now.UtcDateTime.Date;
            var dated = releases.Where(r => r["start_date"] is not null).Select(r => (Start: Day(r, "start_date"), End: Day(r, "release_date"))).ToList();

            Assert.That(dated.Count(r => r.End < today), Is.GreaterThan(0), "shipped releases");
            Assert.That(dated.Count(r => r.Start <= today && today <= r.End), Is.GreaterThan(0), "a release under way today");
            Assert.That(dated.Count(r => r.Start > today), Is.GreaterThan(0), "planned releases");
        }

        [Test]
        public async Task The_same_seed_and_clock_give_the_same_data_and_another_day_shifts_it()
        {
            var a = await ReadAsync(Now, seed: 7);
            var b = await ReadAsync(Now.AddSeconds(20), seed: 7);      // the same minute
            var c = await ReadAsync(Now.AddDays(3), seed: 7);

            Assert.That(Json(b.Features), Is.EqualTo(Json(a.Features)), "deterministic for a seed and a clock");
            Assert.That(Json(b.Ideas), Is.EqualTo(Json(a.Ideas)));
            Assert.That(c.Features.Select(f => Time(f, "created_at")), Is.EqualTo(a.Features.Select(f => Time(f, "created_at").AddDays(3))), "three days later, every feature three days later");
            Assert.That(c.Features.Select(f => f["name"]!.ToString()), Is.EqualTo(a.Features.Select(f => f["name"]!.ToString())), "the same records");
        }

        [Test]
        public async Task DemoDataAsOf_pins_the_dates_on_the_real_clock()
        {
            var faked = await ReadAsync(Now, seed: 7);
            var pinned = await ReadAsync(Now, seed: 7, pinOnly: true);

            Assert.That(Json(pinned.Features), Is.EqualTo(Json(faked.Features)));
            Assert.That(Json(pinned.Releases), Is.EqualTo(Json(faked.Releases)));
        }

        private static async Task<(List<JsonObject> Features, List<JsonObject> Ideas, List<JsonObject> Releases)> ReadAsync(DateTimeOffset now, int seed, bool pinOnly = false)
        {
            await using var sandbox = await Sandboxes.SmallAsync(o =>
            {
                o.Seed = seed;
                if (pinOnly)
                {
                    o.DemoDataAsOf = now;
                }
                else
                {
                    o.TimeProvider = new FakeTimeProvider(now);
                }

                o.SeedSpecExamples = false;
                o.ReleasesPerProduct = 5;
            });
            using var http = sandbox.CreateHttpClient();
            const string Fields = "fields=id,name,created_at,updated_at,start_date,release_date";
            var features = await AllAsync(http, "features", Fields);
            var ideas = await AllAsync(http, "ideas", Fields);
            var releases = await AllAsync(http, "releases", Fields);
            return (features, ideas, releases);
        }

        private static async Task<List<JsonObject>> AllAsync(System.Net.Http.HttpClient http, string collection, string fields)
        {
            var page = await http.GetObjectAsync($"{collection}?per_page=200&{fields}");
            Assert.That(page["pagination"]?["total_pages"]?.GetValue<int>(), Is.EqualTo(1), "the small sandbox fits one page");
            return page[collection]!.AsArray().Select(n => n!.AsObject()).ToList();
        }

        private static DateTimeOffset Time(JsonObject record, string name)
            => DateTimeOffset.Parse(record[name].Str(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        private static DateTime Day(JsonObject record, string name)
            => DateTime.ParseExact(record[name].Str(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Json(IEnumerable<JsonObject> records) => new JsonArray(records.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString();
    }
}
