// The benchmark's helper program (see build/bench/run.sh).
//
//   Baseline seed  --db FILE --template ENDPOINT_ID --endpoints N --ids-out FILE [--ids-max M]
//       Copies one endpoint the service created (so every stored value, the Data Protection-protected
//       signing secret included, is exactly what the service writes) into N-1 more rows with new
//       version-7 ids, in one transaction with one prepared statement, and writes up to M of the ids
//       (spread evenly over all of them) to a file for the load generator.
//
//   Baseline serve --db FILE --urls URL
//       The limit for this storage: GET /read/{id} reads one endpoint row and PATCH /write/{id}
//       updates one (the same statements the service's EF Core queries send), with plain
//       Microsoft.Data.Sqlite behind a bare Kestrel route. Writes go through one async gate, as in
//       the service, so that no writer waits out Microsoft.Data.Sqlite's busy-retry sleep.
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

var command = args.FirstOrDefault();
string Option(string name, string? fallback = null)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1]
        : fallback ?? throw new ArgumentException($"missing {name}");
}

switch (command)
{
    case "seed":
        return Seed(Option("--db"), Option("--template"), int.Parse(Option("--endpoints")), Option("--ids-out"), int.Parse(Option("--ids-max", "100000")));
    case "serve":
        Serve(Option("--db"), Option("--urls"));
        return 0;
    default:
        Console.Error.WriteLine("usage: Baseline seed|serve ...");
        return 2;
}

static int Seed(string db, string templateId, int endpoints, string idsOut, int idsMax)
{
    var watch = Stopwatch.StartNew();
    using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
    connection.Open();
    using (var pragma = connection.CreateCommand())
    {
        pragma.CommandText = "PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;";
        pragma.ExecuteNonQuery();
    }

    // The template's id shows how the service stores a Guid (EF Core on SQLite: upper-case text).
    string storedTemplate;
    using (var find = connection.CreateCommand())
    {
        find.CommandText = "SELECT id FROM webhook_endpoints WHERE lower(id) = lower($id)";
        find.Parameters.AddWithValue("$id", templateId);
        storedTemplate = (string?)find.ExecuteScalar() ?? throw new InvalidOperationException($"template endpoint {templateId} not found");
    }

    var upper = storedTemplate == storedTemplate.ToUpperInvariant();
    var ids = new List<string>(endpoints) { storedTemplate };
    using var transaction = connection.BeginTransaction();
    using var insert = connection.CreateCommand();
    insert.Transaction = transaction;
    insert.CommandText = """
        INSERT INTO webhook_endpoints (id, org_id, url, description, active, api_version, created_at, updated_at, deleted_at, revision, signing_secret, list_position, events)
        SELECT $id, org_id, url, description, active, api_version, created_at, updated_at, deleted_at, revision, signing_secret, $position, events
        FROM webhook_endpoints WHERE id = $template
        """;
    var id = insert.Parameters.Add("$id", SqliteType.Text);
    var position = insert.Parameters.Add("$position", SqliteType.Text);
    insert.Parameters.AddWithValue("$template", storedTemplate);
    insert.Prepare();

    // Version-7 ids, time-ordered, each one millisecond "older" than the next, all before the template.
    var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - endpoints - 1000;
    Span<byte> random = stackalloc byte[10];
    for (var i = 1; i < endpoints; i++)
    {
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        var ms = start + i;
        var text = string.Create(36, (ms, random.ToArray()), static (span, state) =>
        {
            var (millis, r) = state;
            var hex = $"{millis:x12}{0x7000 | ((r[0] << 8 | r[1]) & 0x0fff):x4}{0x8000 | ((r[2] << 8 | r[3]) & 0x3fff):x4}{Convert.ToHexString(r, 4, 6).ToLowerInvariant()}";
            hex.AsSpan(0, 8).CopyTo(span);
            span[8] = '-';
            hex.AsSpan(8, 4).CopyTo(span[9..]);
            span[13] = '-';
            hex.AsSpan(12, 4).CopyTo(span[14..]);
            span[18] = '-';
            hex.AsSpan(16, 4).CopyTo(span[19..]);
            span[23] = '-';
            hex.AsSpan(20, 12).CopyTo(span[24..]);
        });
        position.Value = text;
        id.Value = upper ? text.ToUpperInvariant() : text;
        insert.ExecuteNonQuery();
        ids.Add(text);
    }

    transaction.Commit();
    using (var checkpoint = connection.CreateCommand())
    {
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;";
        checkpoint.ExecuteNonQuery();
    }

    var step = Math.Max(1, ids.Count / Math.Max(1, idsMax));
    using (var writer = new StreamWriter(idsOut))
    {
        for (var i = 0; i < ids.Count; i += step)
        {
            writer.WriteLine(ids[i].ToLowerInvariant());
        }
    }

    Console.WriteLine(JsonSerializer.Serialize(new { endpoints = ids.Count, seconds = Math.Round(watch.Elapsed.TotalSeconds, 1) }));
    return 0;
}

static void Serve(string db, string urls)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls(urls);
    var app = builder.Build();
    var connectionString = $"Data Source={db};Pooling=True;Default Timeout=5";
    var writeGate = new SemaphoreSlim(1, 1);

    SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    // The row as the service's GET reads it (every mapped column), written out as JSON.
    app.MapGet("/read/{id}", async (string id, HttpContext http) =>
    {
        await using var connection = Open();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, org_id, url, description, active, api_version, created_at, updated_at, deleted_at, revision, signing_secret, events, list_position FROM webhook_endpoints WHERE id = $id AND deleted_at IS NULL LIMIT 1";
        query.Parameters.AddWithValue("$id", id.ToUpperInvariant());
        await using var reader = await query.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return Results.NotFound();
        }

        return Results.Json(new
        {
            id = reader.GetString(0),
            org_id = reader.GetString(1),
            url = reader.GetString(2),
            description = reader.IsDBNull(3) ? null : reader.GetString(3),
            active = reader.GetBoolean(4),
            api_version = reader.GetString(5),
            created_at = new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
            updated_at = new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero),
            events = JsonSerializer.Deserialize<string[]>(reader.GetString(11)),
        });
    });

    // One row updated with an optimistic revision check, in a BEGIN IMMEDIATE transaction, one writer at a time.
    app.MapMethods("/write/{id}", ["PATCH"], async (string id, HttpContext http) =>
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        var description = body.TryGetProperty("description", out var d) ? d.GetString() : null;
        await using var connection = Open();
        long revision;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT revision FROM webhook_endpoints WHERE id = $id AND deleted_at IS NULL";
            read.Parameters.AddWithValue("$id", id.ToUpperInvariant());
            revision = (long)(await read.ExecuteScalarAsync() ?? -1L);
        }

        await writeGate.WaitAsync();
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE webhook_endpoints SET description = $description, updated_at = $now, revision = $next WHERE id = $id AND revision = $revision";
            update.Parameters.AddWithValue("$description", (object?)description ?? DBNull.Value);
            update.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
            update.Parameters.AddWithValue("$next", revision + 1);
            update.Parameters.AddWithValue("$id", id.ToUpperInvariant());
            update.Parameters.AddWithValue("$revision", revision);
            var rows = await update.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            return rows == 1 ? Results.Ok(new { id, revision = revision + 1 }) : Results.Conflict();
        }
        finally
        {
            writeGate.Release();
        }
    });

    app.Run();
}
