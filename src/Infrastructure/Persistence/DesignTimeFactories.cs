using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Used by <c>dotnet ef</c> only; no connection is opened to add a migration or script one.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteWebhooksDbContext>
{
    public SqliteWebhooksDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteWebhooksDbContext>()
            .UseSqlite(DatabaseSettings.DefaultSqliteConnectionString, PersistenceSetup.SqliteOptions).Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerWebhooksDbContext>
{
    public SqlServerWebhooksDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerWebhooksDbContext>()
            .UseSqlServer("Server=localhost;Database=Webhooks;Integrated Security=true;TrustServerCertificate=true", PersistenceSetup.SqlServerOptions).Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresWebhooksDbContext>
{
    public PostgresWebhooksDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresWebhooksDbContext>()
            .UseNpgsql("Host=localhost;Database=webhooks;Username=webhooks", PersistenceSetup.PostgresOptions).Options);
}
