using Webhooks.Application.Common.Security;

namespace Webhooks.Api.Authentication;

/// <summary>
/// The caller of an HTTP request: its authenticated principal. Work the web host does itself (the
/// first-run seed) acts through <see cref="ProcessCaller"/>, which takes precedence when set.
/// </summary>
public sealed class CallerContext(IHttpContextAccessor httpContextAccessor, ProcessCaller process) : ICurrentCaller
{
    private Caller? _caller;

    public Caller? Caller => process.Caller ?? (_caller ??= CallerClaims.FromPrincipal(httpContextAccessor.HttpContext?.User));
}
