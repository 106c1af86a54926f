using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Sync;
using Aha.Client;
using Aha.Sandbox;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aha.IntegrationTests.Sync
{
    /// <summary>
    /// A sandbox (the records), a fake audit log in front of it (the sandbox does not keep audits yet: each change the
    /// test makes through the client is recorded there too, as Aha! would), and a database: a SQLite file, or a fresh
    /// schema on the PostgreSQL server named by <c>AHA_TEST_POSTGRES</c>.
    /// </summary>
    internal sealed class SyncWorld : IAsyncDisposable
    {
        public const string PostgresVariable = "AHA_TEST_POSTGRES";

        private readonly string? _directory;
        private readonly string? _schema;
        private int _customFieldValueIds = 7000;

        private SyncWorld(AhaSandbox sandbox, FakeAuditLog audits, AhaClient client, SyncTarget target, string? directory, string? schema)
        {
            Sandbox = sandbox;
            Audits = audits;
            Client = client;
            Target = target;
            _directory = directory;
            _schema = schema;
        }

        public AhaSandbox Sandbox { get; }

        public FakeAuditLog Audits { get; }

        public AhaClient Client { get; }

        public SyncTarget Target { get; }

        public static async Task<SyncWorld> StartAsync(string database, int featuresPerProduct = 150)
        {
            var options = new AhaSandboxOptions
            {
                Products = 2,
                FeaturesPerProduct = featuresPerProduct,
                IdeasPerProduct = 20,
                ReleasesPerProduct = 2,
                SeedSpecExamples = false,
            };
            options.RateLimit.Enabled = false;
            var sandbox = await AhaSandbox.StartAsync(options);
            var audits = new FakeAuditLog(new SocketsHttpHandler());
            var client = new AhaClient(sandbox.CreateClientOptions(o => o.RateLimit.Enabled = false), audits);

            if (database == "sqlite")
            {
                var directory = Path.Combine(Path.GetTempPath(), "aha-sync-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(directory);
                return new SyncWorld(sandbox, audits, client, SyncTarget.Parse("sqlite:" + Path.Combine(directory, "aha.db")), directory, null);
            }

            var connection = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(connection))
            {
                await sandbox.DisposeAsync();
                Assert.Fail($"{PostgresVariable} is not set: these tests need a PostgreSQL server. `bash .ci/run` starts one. To run them alone: " +
                            "apt-get install postgresql; mkdir /tmp/pg && chown postgres /tmp/pg; runuser -u postgres -- /usr/lib/postgresql/*/bin/initdb -D /tmp/pg -A trust -U aha; " +
                            "runuser -u postgres -- /usr/lib/postgresql/*/bin/pg_ctl -D /tmp/pg -o \"-p 55432 -k /tmp/pg -c listen_addresses=127.0.0.1\" -l /tmp/pg/log start; " +
                            $"export {PostgresVariable}=\"Host=127.0.0.1;Port=55432;Username=aha;Database=postgres\".");
            }

            var schema = "sync_" + Guid.NewGuid().ToString("N").Substring(0, 12);
            await using (var admin = new NpgsqlConnection(connection))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
                await create.ExecuteNonQueryAsync();
            }

            var scoped = new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ToString();
            return new SyncWorld(sandbox, audits, client, SyncTarget.Parse("postgres:" + scoped), null, schema);
        }

        public async Task<SyncSummary> SyncAsync(string resources, Action<string>? fault = null)
        {
            await using var store = await SyncStore.OpenAsync(Target, CancellationToken.None);
            var engine = new SyncEngine(Client, store, SyncResources.Parse(resources)) { FaultPoint = fault };
            return await engine.RunAsync(CancellationToken.None);
        }

        /// <summary>Runs a sync that is stopped (as by a crash) the <paramref name="occurrence"/>-th time it reaches <paramref name="point"/>.</summary>
        public async Task<bool> SyncAndCrashAsync(string resources, string point, int occurrence)
        {
            var seen = 0;
            try
            {
                await SyncAsync(resources, p =>
                {
                    if (p == point && ++seen == occurrence)
                    {
                        throw new SimulatedCrash(point);
                    }
                });
                return false;
            }
            catch (SimulatedCrash)
            {
                return true;
            }
        }

        public string FeatureIdAt(int index) => Ids("features")[index];

        public IReadOnlyList<string> Ids(string collection) => Sandbox.Records(collection, "id").Select(r => (string)r["id"]!).ToList();

        public async Task SetPriorityAsync(string featureId, string value)
        {
            await Client.Features.UpdateCustomFieldsAsync(featureId, CustomFieldUpdate.Set("priority", value));
            Audits.Add("update", "custom_field_value", (++_customFieldValueIds).ToString(CultureInfo.InvariantCulture), "feature", featureId, ("Priority", value));
        }

        public async Task DeleteFeatureAsync(string featureId)
        {
            await Client.Features.DeleteAsync(featureId);
            Audits.Add("destroy", "feature", featureId);
        }

        public async Task<string> CreateFeatureAsync(string name)
        {
            var before = Ids("features").ToHashSet();
            var release = Sandbox.Records("releases", "id").Select(r => (string)r["id"]!).First();
            await Client.Features.CreateAsync(release, new FeatureCreate { Name = name });
            var id = Ids("features").Single(i => !before.Contains(i));
            Audits.Add("create", "feature", id, "release", release, ("Name", name));
            return id;
        }

        /// <summary>Rows of a table: id → (name, custom_fields JSON), and the number of rows (a duplicate would show there).</summary>
        public async Task<Dictionary<string, (string? Name, string? CustomFields)>> RowsAsync(string resource)
        {
            await using var store = await SyncStore.OpenAsync(Target, CancellationToken.None);
            await using var command = store.Connection.CreateCommand();
            command.CommandText = $"SELECT id, name, CAST(custom_fields AS TEXT) FROM {SyncStore.TableOf(resource)}";
            var rows = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetString(0);
                Assert.That(rows.ContainsKey(id), Is.False, $"{resource} {id} is stored twice");
                rows[id] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }

            return rows;
        }

        /// <summary>Asserts that the table holds exactly the sandbox's records, with their names and priorities.</summary>
        public async Task AssertMirrorsAsync(string resource)
        {
            var rows = await RowsAsync(resource);
            var records = Sandbox.Records(resource, "*");
            Assert.That(rows.Keys.OrderBy(k => k), Is.EqualTo(records.Select(r => (string)r["id"]!).OrderBy(k => k)), $"the {resource} table holds exactly the server's records");
            foreach (var record in records)
            {
                var id = (string)record["id"]!;
                Assert.That(rows[id].Name, Is.EqualTo((string?)record["name"]), $"{resource} {id}: name");
                var priority = record["custom_fields"]?.AsArray().FirstOrDefault(f => (string?)f!["key"] == "priority")?["value"];
                if (priority != null && resource == "features")
                {
                    var stored = rows[id].CustomFields is { } json ? Newtonsoft.Json.Linq.JObject.Parse(json)["priority"] : null;
                    Assert.That(Newtonsoft.Json.Linq.JToken.DeepEquals(stored, Newtonsoft.Json.Linq.JToken.Parse(priority.ToJsonString())), Is.True, $"{resource} {id}: priority {stored} stored, {priority.ToJsonString()} on the server");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client.HttpClient.Dispose();
            Audits.Dispose();
            await Sandbox.DisposeAsync();
            SqliteConnection.ClearAllPools();
            if (_directory != null)
            {
                try
                {
                    Directory.Delete(_directory, recursive: true);
                }
                catch (IOException)
                {
                }
            }

            if (_schema != null)
            {
                await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }

        private sealed class SimulatedCrash : Exception
        {
            public SimulatedCrash(string point)
                : base("simulated crash at " + point)
            {
            }
        }
    }
}
