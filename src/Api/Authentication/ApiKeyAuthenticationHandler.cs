using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Webhooks.Api.Errors;
using Webhooks.Application.Organizations;

namespace Webhooks.Api.Authentication;

/// <summary>
/// <c>Authorization: Bearer am_live_...</c>. A missing, malformed, unknown or revoked key is
/// answered with <c>401 UNAUTHORIZED</c> and <c>WWW-Authenticate: Bearer</c>; nothing tells them apart.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    ErrorWriter errorWriter) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue("Authorization", out var values))
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count != 1 || !TryReadBearer(values[0], out var key))
        {
            return AuthenticateResult.Fail("malformed Authorization header");
        }

        var caller = await authenticator.AuthenticateAsync(key, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("unknown, revoked or malformed API key");
        }

        var principal = new ClaimsPrincipal(CallerClaims.ToIdentity(caller, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        errorWriter.WriteAsync(Context, ApiError.Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        errorWriter.WriteAsync(Context, ApiError.Forbidden);

    private static bool TryReadBearer(string? header, out string token)
    {
        token = string.Empty;
        const string Prefix = "Bearer ";
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header[Prefix.Length..].Trim();
        return token.Length > 0;
    }
}
