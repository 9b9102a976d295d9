using System.Globalization;
using System.Security.Claims;
using Webhooks.Application.Common.Security;

namespace Webhooks.Api.Authentication;

/// <summary>Carries a <see cref="Caller"/> in a claims identity, and back.</summary>
public static class CallerClaims
{
    private const string KindClaim = "caller_kind";
    private const string IdClaim = "caller_id";
    private const string OrgClaim = "org_id";
    private const string ScopeClaim = "scope";

    public static ClaimsIdentity ToIdentity(Caller caller, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var claims = new List<Claim>
        {
            new(KindClaim, caller.Kind.ToString()),
            new(IdClaim, caller.Id.ToString()),
        };
        if (caller.OrgId is { } orgId)
        {
            claims.Add(new Claim(OrgClaim, orgId.ToString()));
        }

        claims.AddRange(caller.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        return new ClaimsIdentity(claims, authenticationType);
    }

    public static Caller? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || !Enum.TryParse<CallerKind>(principal.FindFirstValue(KindClaim), out var kind)
            || !Guid.TryParse(principal.FindFirstValue(IdClaim), CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        Guid? orgId = Guid.TryParse(principal.FindFirstValue(OrgClaim), CultureInfo.InvariantCulture, out var org) ? org : null;
        var scopes = principal.FindAll(ScopeClaim).Select(claim => claim.Value).ToList();
        return new Caller(kind, id, orgId, scopes);
    }
}
