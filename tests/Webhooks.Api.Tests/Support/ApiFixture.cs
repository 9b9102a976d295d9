namespace Webhooks.Api.Tests.Support;

/// <summary>
/// Base of the fixtures that test the service through HTTP: one <see cref="ApiFactory"/> (the real
/// service on a real SQLite file of its own) per fixture, started before its first test and disposed
/// after its last. A fixture that needs other settings or services overrides <see cref="CreateFactory"/>.
/// </summary>
public abstract class ApiFixture
{
    protected ApiFactory Factory { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartApi() => Factory = CreateFactory();

    [OneTimeTearDown]
    public async Task StopApiAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
    }

    protected virtual ApiFactory CreateFactory() => new();
}
