using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Infrastructure.Security;

/// <summary>Signing secrets and stored responses, encrypted with ASP.NET Core Data Protection.</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Webhooks.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}

/// <summary>
/// List cursors: the organization and the last id, authenticated and encrypted, so that a cursor
/// can be neither forged, nor read, nor used by another organization.
/// </summary>
public sealed class DataProtectionListCursorCodec(IDataProtectionProvider provider) : IListCursorCodec
{
    private readonly IDataProtector _protector = provider.CreateProtector("Webhooks.ListCursor.v1");

    public string Encode(Guid orgId, Guid lastId) =>
        _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{orgId:N}:{lastId:N}"));

    public Guid? Decode(Guid orgId, string cursor)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(cursor);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return null;
        }

        var parts = payload.Split(':');
        return parts.Length == 2
            && Guid.TryParseExact(parts[0], "N", out var cursorOrg) && cursorOrg == orgId
            && Guid.TryParseExact(parts[1], "N", out var lastId)
            ? lastId
            : null;
    }
}
