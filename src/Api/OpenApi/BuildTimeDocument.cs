using System.Reflection;

namespace Webhooks.Api.OpenApi;

/// <summary>
/// Whether this process is the build-time OpenAPI step (Microsoft.Extensions.ApiDescription.Server
/// runs <c>Program</c> inside its <c>GetDocument.Insider</c> tool, and starts the host with a server
/// that never listens). Start-up work with side effects (migrations, the demo seed) is left out then.
/// </summary>
public static class BuildTimeDocument
{
    public static bool IsGenerating { get; } =
        string.Equals(Assembly.GetEntryAssembly()?.GetName().Name, "GetDocument.Insider", StringComparison.Ordinal);
}
