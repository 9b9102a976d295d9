using System.Globalization;
using Microsoft.Data.SqlClient;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>
/// The SQL Server driver can at least try to connect under this build's runtime settings (the same
/// <c>Directory.Build.props</c> as the application's). Needs no server: the address is a closed
/// port on the loopback interface, so a working driver fails with a network error.
/// </summary>
[TestFixture]
public sealed class SqlServerDriverTests
{
    private const string ClosedPort = "Server=tcp:127.0.0.1,1;Database=Webhooks;User Id=nobody;Password=never-used;TrustServerCertificate=true;Connect Timeout=2";

    [Test]
    public void OpeningAConnection_ReachesTheNetwork()
    {
        // Microsoft.Data.SqlClient (2.1.4 and 6.1.7 alike) refuses to open any connection when the runtime runs in
        // globalization-invariant mode (CultureNotFoundException / "Globalization Invariant Mode
        // is not supported"), which would make Database:Provider=SqlServer unusable.
        using var context = TestData.NewSqlServerContext(ClosedPort);

        var error = Assert.ThrowsAsync(Is.InstanceOf<Exception>(), () => context.Database.OpenConnectionAsync());

        Assert.That(
            error,
            Is.InstanceOf<SqlException>(),
            $"expected a network error from the driver; got {error?.GetType().Name}: {error?.Message}. "
                + $"Globalization invariant mode: {AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant}");
    }

    [Test]
    public void Runtime_HasTheCulturesTheDriverNeeds()
    {
        Assert.That(() => CultureInfo.GetCultureInfo("en-US"), Throws.Nothing);
    }
}
