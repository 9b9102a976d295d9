using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Webhooks.Api.Errors;
using Webhooks.Application.Clients;

namespace Webhooks.Api.Authentication;

/// <summary>
/// HTTP Basic with client credentials (user = <c>client_id</c>, password = <c>client_secret</c>).
/// Missing or wrong credentials get <c>401</c> with <c>WWW-Authenticate: Basic realm="clients"</c>.
/// </summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClientAuthenticator authenticator,
    ErrorWriter errorWriter) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ClientBasic";

    private const int MaxHeaderLength = 1024;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue("Authorization", out var values))
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count != 1 || !TryReadBasic(values[0], out var clientId, out var secret))
        {
            return AuthenticateResult.Fail("malformed Authorization header");
        }

        var caller = await authenticator.AuthenticateAsync(clientId, secret, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("unknown client or wrong secret");
        }

        var principal = new ClaimsPrincipal(CallerClaims.ToIdentity(caller, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        errorWriter.WriteAsync(Context, ApiError.Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        errorWriter.WriteAsync(Context, ApiError.Forbidden);

    private static bool TryReadBasic(string? header, out string clientId, out string secret)
    {
        clientId = secret = string.Empty;
        const string Prefix = "Basic ";
        if (header is null || header.Length > MaxHeaderLength || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[MaxHeaderLength];
        if (!Convert.TryFromBase64String(header[Prefix.Length..].Trim(), buffer, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        clientId = decoded[..colon];
        secret = decoded[(colon + 1)..];
        return secret.Length > 0;
    }
}
