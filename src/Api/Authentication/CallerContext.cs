using Webhooks.Application.Common.Security;

namespace Webhooks.Api.Authentication;

/// <summary>
/// The current caller: the authenticated principal of the HTTP request, or the operator when an
/// admin command or the first-run seed runs the same use cases.
/// </summary>
public sealed class CallerContext(IHttpContextAccessor httpContextAccessor) : ICurrentCaller
{
    private Caller? _caller;

    public Caller? Caller => _caller ??= CallerClaims.FromPrincipal(httpContextAccessor.HttpContext?.User);

    public void ActAs(Caller caller) => _caller = caller;
}
