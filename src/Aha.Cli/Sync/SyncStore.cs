using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Aha.Cli.Errors;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aha.Cli.Sync
{
    /// <summary>Where <c>aha sync</c> writes: <c>sqlite:PATH</c> (the default kind) or <c>postgres:CONNECTION STRING</c>.</summary>
    internal sealed class SyncTarget
    {
        private SyncTarget(SyncDatabaseKind kind, string location)
        {
            Kind = kind;
            Location = location;
        }

        public SyncDatabaseKind Kind { get; }

        /// <summary>The SQLite file path or the PostgreSQL connection string.</summary>
        public string Location { get; }

        /// <summary>How to name the target in messages (never the connection string's password).</summary>
        public string Display => Kind == SyncDatabaseKind.Sqlite ? "sqlite:" + Location : "postgres:" + DescribePostgres(Location);

        public static SyncTarget Parse(string? text)
        {
            text = string.IsNullOrWhiteSpace(text) ? "sqlite:aha.db" : text.Trim();
            if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                var path = text.Substring("sqlite:".Length).Trim();
                if (path.Length == 0)
                {
                    throw CliException.Usage("--to sqlite: needs a file path, such as sqlite:aha.db.");
                }

                return new SyncTarget(SyncDatabaseKind.Sqlite, path);
            }

            foreach (var prefix in new[] { "postgres:", "postgresql:" })
            {
                if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    var connection = text.Substring(prefix.Length).Trim();
                    if (connection.Length == 0)
                    {
                        throw CliException.Usage("--to postgres: needs a connection string, such as \"postgres:Host=localhost;Database=aha;Username=aha\" (the password from PGPASSWORD or ~/.pgpass).");
                    }

                    try
                    {
                        _ = new NpgsqlConnectionStringBuilder(connection);
                    }
                    catch (ArgumentException ex)
                    {
                        throw CliException.Usage("--to postgres: the connection string is not valid: " + ex.Message);
                    }

                    return new SyncTarget(SyncDatabaseKind.Postgres, connection);
                }
            }

            throw CliException.Usage($"--to '{text.Split(':')[0]}:...' is not a database this tool knows: use sqlite:FILE (the default, sqlite:aha.db) or postgres:CONNECTION_STRING.");
        }

        private static string DescribePostgres(string connection)
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            return string.Format(CultureInfo.InvariantCulture, "{0}:{1}/{2}", builder.Host, builder.Port, builder.Database ?? builder.Username);
        }
    }

    internal enum SyncDatabaseKind
    {
        Sqlite,
        Postgres,
    }

    /// <summary>One record as stored: the common attributes in typed columns, custom fields and the raw JSON.</summary>
    internal sealed class SyncRow
    {
        public string Id { get; init; } = string.Empty;

        public string? ReferenceNum { get; init; }

        public string? Name { get; init; }

        public string? WorkflowStatus { get; init; }

        public string? ProductId { get; init; }

        public string? ParentType { get; init; }

        public string? ParentId { get; init; }

        public DateTimeOffset? CreatedAt { get; init; }

        public DateTimeOffset? UpdatedAt { get; init; }

        public string? Url { get; init; }

        /// <summary>A JSON object of custom field key → value (null when the record has none).</summary>
        public string? CustomFields { get; init; }

        public string Raw { get; init; } = "{}";
    }

    /// <summary>
    /// The database side of <c>aha sync</c>, the same for SQLite and PostgreSQL except for column types: one table per
    /// resource (<c>aha_features</c>, ...) and <c>aha_sync_state</c> (key/value: the change-feed checkpoint and which
    /// resources have had their first export). Writes happen in transactions the engine opens; upserts make a replay harmless.
    /// </summary>
    internal sealed class SyncStore : IAsyncDisposable
    {
        private readonly DbConnection _connection;
        private readonly SyncDatabaseKind _kind;

        private SyncStore(DbConnection connection, SyncDatabaseKind kind)
        {
            _connection = connection;
            _kind = kind;
        }

        public static async Task<SyncStore> OpenAsync(SyncTarget target, CancellationToken cancellationToken)
        {
            DbConnection connection = target.Kind == SyncDatabaseKind.Sqlite
                ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target.Location, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString())
                : new NpgsqlConnection(target.Location);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException || ex is InvalidOperationException || ex is ArgumentException)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new CliException(ExitCodes.OutputError, $"cannot open the database {target.Display}: {ex.Message}");
            }

            var store = new SyncStore(connection, target.Kind);
            if (target.Kind == SyncDatabaseKind.Sqlite)
            {
                // WAL: readers (a BI tool) are not blocked by a sync; synchronous=FULL: a commit survives a power cut.
                await store.ExecuteAsync(null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", cancellationToken).ConfigureAwait(false);
            }

            return store;
        }

        public DbConnection Connection => _connection;

        public static string TableOf(string resource) => "aha_" + resource.Replace('-', '_');

        public async Task EnsureSchemaAsync(IEnumerable<string> resources, CancellationToken cancellationToken)
        {
            var json = _kind == SyncDatabaseKind.Postgres ? "JSONB" : "TEXT";
            var time = _kind == SyncDatabaseKind.Postgres ? "TIMESTAMPTZ" : "TEXT";
            await using var tx = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(tx, "CREATE TABLE IF NOT EXISTS aha_sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)", cancellationToken).ConfigureAwait(false);
            foreach (var resource in resources)
            {
                var table = TableOf(resource);
                await ExecuteAsync(tx, $@"CREATE TABLE IF NOT EXISTS {table} (
    id TEXT PRIMARY KEY,
    reference_num TEXT,
    name TEXT,
    workflow_status TEXT,
    product_id TEXT,
    parent_type TEXT,
    parent_id TEXT,
    created_at {time},
    updated_at {time},
    url TEXT,
    custom_fields {json},
    raw {json} NOT NULL,
    synced_at {time} NOT NULL)", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(tx, $"CREATE INDEX IF NOT EXISTS {table}_parent ON {table} (parent_type, parent_id)", cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<string?> GetStateAsync(string key, CancellationToken cancellationToken)
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM aha_sync_state WHERE key = @key";
            Add(command, "key", key);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        public Task SetStateAsync(DbTransaction tx, string key, string value, CancellationToken cancellationToken) =>
            ExecuteAsync(tx, "INSERT INTO aha_sync_state (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", cancellationToken, ("key", key), ("value", value));

        public async Task UpsertAsync(DbTransaction tx, string resource, SyncRow row, DateTimeOffset syncedAt, CancellationToken cancellationToken)
        {
            var json = _kind == SyncDatabaseKind.Postgres ? "CAST({0} AS jsonb)" : "{0}";
            var time = _kind == SyncDatabaseKind.Postgres ? "CAST({0} AS timestamptz)" : "{0}";
            string J(string p) => string.Format(CultureInfo.InvariantCulture, json, p);
            string T(string p) => string.Format(CultureInfo.InvariantCulture, time, p);
            var table = TableOf(resource);
            var sql = $@"INSERT INTO {table} (id, reference_num, name, workflow_status, product_id, parent_type, parent_id, created_at, updated_at, url, custom_fields, raw, synced_at)
VALUES (@id, @reference_num, @name, @workflow_status, @product_id, @parent_type, @parent_id, {T("@created_at")}, {T("@updated_at")}, @url, {J("@custom_fields")}, {J("@raw")}, {T("@synced_at")})
ON CONFLICT (id) DO UPDATE SET reference_num = excluded.reference_num, name = excluded.name, workflow_status = excluded.workflow_status,
    product_id = excluded.product_id, parent_type = excluded.parent_type, parent_id = excluded.parent_id, created_at = excluded.created_at,
    updated_at = excluded.updated_at, url = excluded.url, custom_fields = excluded.custom_fields, raw = excluded.raw, synced_at = excluded.synced_at";
            await ExecuteAsync(tx, sql, cancellationToken,
                ("id", row.Id), ("reference_num", row.ReferenceNum), ("name", row.Name), ("workflow_status", row.WorkflowStatus),
                ("product_id", row.ProductId), ("parent_type", row.ParentType), ("parent_id", row.ParentId),
                ("created_at", Time(row.CreatedAt)), ("updated_at", Time(row.UpdatedAt)), ("url", row.Url),
                ("custom_fields", row.CustomFields), ("raw", row.Raw), ("synced_at", Time(syncedAt))).ConfigureAwait(false);
        }

        /// <summary>Deletes a record; returns whether it was there.</summary>
        public async Task<bool> DeleteAsync(DbTransaction tx, string resource, string id, CancellationToken cancellationToken) =>
            await ExecuteAsync(tx, $"DELETE FROM {TableOf(resource)} WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false) > 0;

        /// <summary>The ids stored under one parent (for comments, re-listed per parent).</summary>
        public async Task<IReadOnlyList<string>> IdsByParentAsync(DbTransaction tx, string resource, string parentType, string parentId, CancellationToken cancellationToken)
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"SELECT id FROM {TableOf(resource)} WHERE parent_type = @parent_type AND parent_id = @parent_id";
            Add(command, "parent_type", parentType);
            Add(command, "parent_id", parentId);
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }

        public async Task<long> CountAsync(string resource, CancellationToken cancellationToken)
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {TableOf(resource)}";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        public async Task<DbTransaction> BeginAsync(CancellationToken cancellationToken) =>
            await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync() => _connection.DisposeAsync();

        private static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private async Task<int> ExecuteAsync(DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, string? Value)[] parameters)
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                Add(command, name, value);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private static void Add(DbCommand command, string name, string? value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = (object?)value ?? DBNull.Value;
            if (parameter is NpgsqlParameter npgsql)
            {
                npgsql.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            }

            command.Parameters.Add(parameter);
        }
    }
}
