using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace Aha.Client.Tests.Paging
{
    /// <summary>
    /// Model-based tests of the paging promise: a fake server holds an ordered list that the test changes at chosen
    /// moments (records deleted in waves, before, at and after the cursor; records created at the front, at the cursor
    /// and at the end), for every pagination shape, sequential and parallel. Whatever happens, every record that exists
    /// for the whole enumeration is yielded exactly once and in the server's order, no record is yielded twice, and the
    /// enumeration ends within a bounded number of requests.
    /// </summary>
    public class ChangingListTests
    {
        /// <summary>The shapes: object, array, <c>meta</c>, none (with <c>page</c>/<c>per_page</c> honoured).</summary>
        public static readonly PaginationShape[] Shapes = { PaginationShape.Object, PaginationShape.Array, PaginationShape.Meta, PaginationShape.Absent };

        /// <summary>Sequential (the default) and parallel.</summary>
        public static readonly int[] Modes = { 1, 4 };

        /// <summary>
        /// Through a bare <see cref="System.Net.Http.HttpClient"/> (the size of an answer is unknown, so at most the
        /// degree of parallelism is read ahead) and through the client's pipeline (sizes known: up to
        /// <see cref="PagingEngine{T}.MaxPagesAhead"/> pages read ahead, so more reads start before a change).
        /// </summary>
        public static readonly bool[] Pipelines = { false, true };

        private static readonly IEnumerable<TestCaseData> ShapesAndModes =
            Shapes.SelectMany(shape => Modes.SelectMany(mode => Pipelines.Select(pipeline => new TestCaseData(shape, mode, pipeline))));

        /// <summary>When the wave happens.</summary>
        private enum Moment
        {
            /// <summary>Just before the server serves its n-th request (any request: forward, ahead or re-read).</summary>
            BeforeRequest,

            /// <summary>Once the consumer has received n records.</summary>
            AfterRecords,
        }

        /// <summary>Where the wave's records are deleted or created.</summary>
        private enum Where
        {
            /// <summary>Deleted among the records the last request had already passed (shifts everything back).</summary>
            BeforeCursor,

            /// <summary>Deleted just before the cursor, including the last record of the page just served.</summary>
            AtCursor,

            /// <summary>Deleted anywhere.</summary>
            Anywhere,

            /// <summary>Created at the front (newest first: shifts everything forward).</summary>
            Front,

            /// <summary>Created at the cursor.</summary>
            CreatedAtCursor,

            /// <summary>Created at the end (oldest first).</summary>
            End,
        }

        private sealed record Wave(Moment Moment, int At, Where Where, int Count);

        [TestCaseSource(nameof(ShapesAndModes))]
        public async Task The_issue_scenario_one_deletion_after_page_2_and_250_after_page_3_skips_nothing(PaginationShape shape, int parallelism, bool pipeline)
        {
            // 3,000 records, 200 a page: one record deleted once page 2 was yielded, 250 more once page 3 was.
            var waves = new[]
            {
                new Wave(Moment.AfterRecords, 400, Where.BeforeCursor, 1),
                new Wave(Moment.AfterRecords, 600, Where.BeforeCursor, 250),
            };

            await RunAsync(3000, 200, shape, parallelism, waves, seed: 1, pipeline);
        }

        [TestCaseSource(nameof(ShapesAndModes))]
        public async Task Heavy_deletions_at_the_cursor_are_read_back_until_the_pages_connect(PaginationShape shape, int parallelism, bool pipeline)
        {
            // More than two pages deleted right behind the cursor, including the last record yielded: the records
            // after it moved back by more than two pages.
            var waves = new[]
            {
                new Wave(Moment.AfterRecords, 300, Where.AtCursor, 120),
                new Wave(Moment.AfterRecords, 700, Where.AtCursor, 17),
                new Wave(Moment.BeforeRequest, 14, Where.BeforeCursor, 61),
            };

            await RunAsync(1200, 50, shape, parallelism, waves, seed: 2, pipeline);
        }

        [TestCaseSource(nameof(ShapesAndModes))]
        public async Task Creations_at_the_front_at_the_cursor_and_at_the_end_neither_repeat_nor_hide_a_record(PaginationShape shape, int parallelism, bool pipeline)
        {
            var waves = new[]
            {
                new Wave(Moment.BeforeRequest, 2, Where.Front, 30),
                new Wave(Moment.BeforeRequest, 4, Where.CreatedAtCursor, 45),
                new Wave(Moment.AfterRecords, 250, Where.End, 80),
                new Wave(Moment.BeforeRequest, 9, Where.Front, 130),
            };

            await RunAsync(600, 50, shape, parallelism, waves, seed: 3, pipeline);
        }

        [TestCaseSource(nameof(ShapesAndModes))]
        public async Task A_full_last_page_is_followed_until_a_page_is_not_full(PaginationShape shape, int parallelism, bool pipeline)
        {
            // 3,000 records = 15 full pages: without pagination only the 16th (empty) page says the list has ended.
            var server = new ListServer(3000, shape);

            var client = pipeline ? server.CreateFeaturesClientThroughPipeline() : server.CreateFeaturesClient();
            var ids = await CollectAsync(client.ListAllAsync().WithParallelism(parallelism));

            Assert.That(ids, Is.EqualTo(Enumerable.Range(1, 3000).Select(Id)));
        }

        /// <summary>
        /// Random waves (seeded, so a failure names its seed): up to four waves of deletions or creations, each at a
        /// random request or after a random number of records. Waves are drawn so that no run of consecutive waves
        /// cancels out in <c>total_records</c> (as many created as deleted): that case is invisible to any client of a
        /// page-numbered list, and the README says so.
        /// </summary>
        [Test]
        public async Task Random_waves_of_deletions_and_creations_keep_the_promise([Range(1, 40)] int seed, [ValueSource(nameof(Shapes))] PaginationShape shape, [ValueSource(nameof(Modes))] int parallelism)
        {
            var random = new Random(seed * 7919 + (int)shape * 31 + parallelism);
            var perPage = new[] { 10, 20, 50 }[random.Next(3)];
            var records = perPage * random.Next(4, 16) + random.Next(0, 2) * random.Next(1, perPage);
            var waves = DrawWaves(random, records, perPage);

            await RunAsync(records, perPage, shape, parallelism, waves, seed);
        }

        /// <summary>The same random waves through the client's pipeline, where more pages are read ahead of the caller.</summary>
        [Test]
        public async Task Random_waves_keep_the_promise_through_the_client_pipeline([Range(1, 20)] int seed, [ValueSource(nameof(Shapes))] PaginationShape shape, [ValueSource(nameof(Modes))] int parallelism)
        {
            var random = new Random(seed * 7919 + (int)shape * 31 + parallelism);
            var perPage = new[] { 10, 20, 50 }[random.Next(3)];
            var records = perPage * random.Next(4, 16) + random.Next(0, 2) * random.Next(1, perPage);
            var waves = DrawWaves(random, records, perPage);

            await RunAsync(records, perPage, shape, parallelism, waves, seed, pipeline: true);
        }

        private static List<Wave> DrawWaves(Random random, int records, int perPage)
        {
            while (true)
            {
                var waves = new List<Wave>();
                var count = random.Next(1, 5);
                for (var i = 0; i < count; i++)
                {
                    var where = (Where)random.Next(6);
                    var size = random.Next(5) switch
                    {
                        0 => 1,
                        1 => random.Next(2, perPage),
                        2 => perPage,
                        3 => perPage + random.Next(1, perPage),
                        _ => 2 * perPage + random.Next(1, 2 * perPage),
                    };
                    var moment = random.Next(2) == 0 ? Moment.BeforeRequest : Moment.AfterRecords;
                    var at = moment == Moment.BeforeRequest ? random.Next(2, 3 + (records / perPage)) : random.Next(1, records);
                    waves.Add(new Wave(moment, at, where, size));
                }

                // No waves that may fall between two reads may leave total_records unchanged (see the summary). Their
                // order in time depends on the interleaving, so no subset of them may cancel out.
                var distinct = true;
                for (var mask = 1; mask < 1 << waves.Count; mask++)
                {
                    var sum = 0;
                    for (var i = 0; i < waves.Count; i++)
                    {
                        if ((mask & (1 << i)) != 0)
                        {
                            sum += IsCreation(waves[i].Where) ? waves[i].Count : -waves[i].Count;
                        }
                    }

                    distinct &= sum != 0;
                }

                if (distinct)
                {
                    return waves;
                }
            }
        }

        private static bool IsCreation(Where where) => where is Where.Front or Where.CreatedAtCursor or Where.End;

        private static string Id(int n) => (1_000_000 + n).ToString(CultureInfo.InvariantCulture);

        private static async Task<List<string>> CollectAsync(AhaPageable<Feature> pageable, Action<int>? afterEach = null)
        {
            var ids = new List<string>();
            await foreach (var feature in pageable)
            {
                ids.Add(feature.Id!);
                afterEach?.Invoke(ids.Count);
            }

            return ids;
        }

        private static async Task RunAsync(int records, int perPage, PaginationShape shape, int parallelism, IReadOnlyList<Wave> waves, int seed, bool pipeline = false)
        {
            var server = new ListServer(records, shape);
            var random = new Random(seed);
            var initial = server.Records.Select(r => (string)r["id"]!).ToList();
            var deleted = new HashSet<string>();
            var created = new HashSet<string>();
            var nextNew = 900_000;
            var requests = 0;
            var cursor = 0;
            var pages = (records + perPage - 1) / perPage;

            // Bounded: more than this many requests means the enumeration does not end.
            var limit = 20 * (pages + 2) * (waves.Count + 1);

            void Apply(Wave wave)
            {
                var list = server.Records;
                int Clamp(int value) => Math.Max(0, Math.Min(list.Count, value));
                switch (wave.Where)
                {
                    case Where.BeforeCursor:
                    case Where.AtCursor:
                    case Where.Anywhere:
                        for (var i = 0; i < wave.Count && list.Count > 0; i++)
                        {
                            var index = wave.Where switch
                            {
                                Where.BeforeCursor => random.Next(Clamp(cursor) + 1),
                                Where.AtCursor => Clamp(cursor - 1 - i),
                                _ => random.Next(list.Count),
                            };
                            index = Math.Min(index, list.Count - 1);
                            deleted.Add((string)list[index]["id"]!);
                            list.RemoveAt(index);
                        }

                        break;
                    default:
                        var at = wave.Where switch
                        {
                            Where.Front => 0,
                            Where.CreatedAtCursor => Clamp(cursor),
                            _ => list.Count,
                        };
                        for (var i = 0; i < wave.Count; i++)
                        {
                            var record = ListServer.MakeRecord(nextNew++);
                            created.Add((string)record["id"]!);
                            list.Insert(at + i, record);
                        }

                        break;
                }
            }

            server.BeforeServe = page =>
            {
                requests++;
                if (requests > limit)
                {
                    throw new InvalidOperationException($"more than {limit} requests: the enumeration does not end (seed {seed})");
                }

                foreach (var wave in waves.Where(w => w.Moment == Moment.BeforeRequest && w.At == requests))
                {
                    Apply(wave);
                }

                cursor = page * perPage;
            };

            var ids = await CollectAsync(
                (pipeline ? server.CreateFeaturesClientThroughPipeline() : server.CreateFeaturesClient()).ListAllAsync().WithPerPage(perPage).WithParallelism(parallelism),
                count =>
                {
                    foreach (var wave in waves.Where(w => w.Moment == Moment.AfterRecords && w.At == count))
                    {
                        server.Mutate(() => Apply(wave));
                    }
                });

            var context = $"seed {seed}, {shape}, parallelism {parallelism}, pipeline {pipeline}, per_page {perPage}, waves [{string.Join("; ", waves)}], {requests} requests";
            Assert.That(ids, Is.Unique, "no record is yielded twice: " + context);
            var stable = initial.Where(id => !deleted.Contains(id)).ToList();
            var stableSet = new HashSet<string>(stable);
            Assert.That(ids.Where(stableSet.Contains).ToList(), Is.EqualTo(stable), "every record present for the whole enumeration, once, in the server's order: " + context);
            Assert.That(ids.Where(id => !stableSet.Contains(id)).All(id => deleted.Contains(id) || created.Contains(id)), Is.True, context);
        }
    }
}
