using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Support;

/// <summary>
/// A service configured with more API versions than the code has envelopes for: every configured
/// version needs an envelope writer (the service refuses to start otherwise), so each extra version
/// gets a <see cref="TestEnvelopeWriter"/>.
/// </summary>
public static class TestApiVersions
{
    public static ApiFactory Factory(params string[] versions)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < versions.Length; i++)
        {
            settings[$"Webhooks:ApiVersions:{i}"] = versions[i];
        }

        return new ApiFactory(settings)
        {
            TestServices = services =>
            {
                foreach (var version in versions.Where(v => v != Envelope20260401Writer.Version))
                {
                    services.AddSingleton<IEnvelopeWriter>(new TestEnvelopeWriter(version));
                }
            },
        };
    }
}

/// <summary>An envelope for a version that exists only in tests: the 2026-04-01 shape, with its own version.</summary>
public sealed class TestEnvelopeWriter(string version) : IEnvelopeWriter
{
    public string ApiVersion => version;

    public byte[] Write(Event evt) => EnvelopeJson.Write(evt, version);
}
