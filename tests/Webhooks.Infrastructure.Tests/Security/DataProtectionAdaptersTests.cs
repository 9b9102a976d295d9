using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Moq;
using Webhooks.Application.Common.Ports;
using Webhooks.Infrastructure.Security;

namespace Webhooks.Infrastructure.Tests.Security;

/// <summary>
/// Signing secrets and list cursors under ASP.NET Core Data Protection, as
/// <see cref="DependencyInjection.AddInfrastructure"/> wires it, with keys in a temporary content root.
/// </summary>
[TestFixture]
public sealed class DataProtectionTests
{
    private const string Secret = "whsec_3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static readonly Guid OrgId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5");
    private static readonly Guid OtherOrgId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b6");
    private static readonly Guid LastId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b");

    private TempFolder _temp = null!;
    private ServiceProvider _services = null!;

    private ISecretProtector Protector => _services.GetRequiredService<ISecretProtector>();

    private IListCursorCodec Cursors => _services.GetRequiredService<IListCursorCodec>();

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _services = TestData.BuildServices(_temp.Path, new Dictionary<string, string?>());
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        _temp.Dispose();
    }

    [Test]
    public void AddInfrastructure_RegistersTheDataProtectionAdapters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Protector, Is.InstanceOf<DataProtectionSecretProtector>());
            Assert.That(Cursors, Is.InstanceOf<DataProtectionListCursorCodec>());
        });
    }

    [Test]
    public void SecretProtector_RoundTrips()
    {
        Assert.That(Protector.Unprotect(Protector.Protect(Secret)), Is.EqualTo(Secret));
    }

    [Test]
    public void SecretProtector_ProtectedTextRevealsNothingOfThePlaintext()
    {
        var protectedText = Protector.Protect(Secret);

        Assert.Multiple(() =>
        {
            Assert.That(protectedText, Does.Not.Contain(Secret));
            Assert.That(protectedText, Does.Not.Contain("whsec_"));
            Assert.That(protectedText, Does.Not.Contain(Secret["whsec_".Length..].TrimEnd('=')));
            Assert.That(protectedText, Does.Not.Contain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Secret)).TrimEnd('=')));
        });
    }

    [Test]
    public void SecretProtector_TheSameSecretTwice_GivesDifferentTexts()
    {
        var first = Protector.Protect(Secret);
        var second = Protector.Protect(Secret);

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void SecretProtector_ATamperedText_IsRefused()
    {
        var protectedText = Protector.Protect(Secret);

        Assert.Throws(Is.InstanceOf<CryptographicException>(), () => Protector.Unprotect(Tamper(protectedText)));
    }

    [Test]
    public void SecretProtector_AListCursor_IsNotASecret()
    {
        // Different purposes: a cursor handed to clients can never be unprotected as a secret.
        var cursor = Cursors.Encode(OrgId, LastId);

        Assert.Throws(Is.InstanceOf<CryptographicException>(), () => Protector.Unprotect(cursor));
    }

    [Test]
    public void SecretProtector_FitsTheSigningSecretColumn()
    {
        Assert.That(Protector.Protect(Secret).Length, Is.LessThanOrEqualTo(1024));
    }

    [Test]
    public void Cursor_RoundTripsTheLastIdForItsOrganization()
    {
        Assert.That(Cursors.Decode(OrgId, Cursors.Encode(OrgId, LastId)), Is.EqualTo(LastId));
    }

    [Test]
    public void Cursor_IsOpaqueAndUrlSafe()
    {
        var cursor = Cursors.Encode(OrgId, LastId);

        Assert.Multiple(() =>
        {
            Assert.That(cursor, Does.Match("^[A-Za-z0-9_-]+$"));
            Assert.That(cursor, Does.Not.Contain(LastId.ToString("N")).IgnoreCase.And.Not.Contain(LastId.ToString("D")).IgnoreCase);
            Assert.That(cursor, Does.Not.Contain(OrgId.ToString("N")).IgnoreCase.And.Not.Contain(OrgId.ToString("D")).IgnoreCase);
            Assert.That(cursor.Length, Is.LessThanOrEqualTo(1024), "the list validator refuses longer cursors");
        });
    }

    [Test]
    public void Cursor_OfAnotherOrganization_IsRefused()
    {
        var cursor = Cursors.Encode(OtherOrgId, LastId);

        Assert.That(Cursors.Decode(OrgId, cursor), Is.Null);
    }

    [Test]
    public void Cursor_Tampered_IsRefused()
    {
        var cursor = Cursors.Encode(OrgId, LastId);

        Assert.Multiple(() =>
        {
            Assert.That(Cursors.Decode(OrgId, Tamper(cursor)), Is.Null, "a changed character");
            Assert.That(Cursors.Decode(OrgId, cursor[..^1]), Is.Null, "a truncated cursor");
            Assert.That(Cursors.Decode(OrgId, cursor + "A"), Is.Null, "a longer cursor");
        });
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("not a cursor!")]
    [TestCase("%%%%")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b")]
    [TestCase("0190a1b2c3d47e5fa7b8c9d0e1f2a3b5:0196f0c12d3e7f408a1b2c3d4e5f6a7b")]
    public void Cursor_Garbage_IsRefused(string cursor)
    {
        Assert.That(Cursors.Decode(OrgId, cursor), Is.Null);
    }

    [Test]
    public void Cursor_AProtectedSecret_IsRefused()
    {
        var payload = $"{OrgId:N}:{LastId:N}";

        Assert.That(Cursors.Decode(OrgId, Protector.Protect(payload)), Is.Null, "another purpose's text, even with a cursor's payload");
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("0190a1b2c3d47e5fa7b8c9d0e1f2a3b5")]
    [TestCase("0190a1b2c3d47e5fa7b8c9d0e1f2a3b5:not-a-guid")]
    [TestCase("not-a-guid:0196f0c12d3e7f408a1b2c3d4e5f6a7b")]
    [TestCase("0190a1b2c3d47e5fa7b8c9d0e1f2a3b5:0196f0c12d3e7f408a1b2c3d4e5f6a7b:extra")]
    public void Cursor_AuthenticPayloadOfTheWrongShape_IsRefused(string payload)
    {
        // Encrypted with the cursor's own purpose: only the payload's shape is wrong.
        var cursor = _services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Webhooks.ListCursor.v1").Protect(payload);

        Assert.That(Cursors.Decode(OrgId, cursor), Is.Null);
    }

    [Test]
    public void Keys_AreKeptUnderDataKeysInTheContentRoot()
    {
        Protector.Protect(Secret);

        var keys = Path.Combine(_temp.Path, "data", "keys");
        Assert.That(Directory.Exists(keys) ? Directory.GetFiles(keys, "key-*.xml") : [], Is.Not.Empty, keys);
    }

    [Test]
    public async Task Keys_SurviveARestart_SoStoredSecretsAndIssuedCursorsStayReadable()
    {
        var protectedSecret = Protector.Protect(Secret);
        var cursor = Cursors.Encode(OrgId, LastId);
        await _services.DisposeAsync();

        _services = TestData.BuildServices(_temp.Path, new Dictionary<string, string?>());

        Assert.Multiple(() =>
        {
            Assert.That(Protector.Unprotect(protectedSecret), Is.EqualTo(Secret));
            Assert.That(Cursors.Decode(OrgId, cursor), Is.EqualTo(LastId));
        });
    }

    [Test]
    public async Task Keys_OfAnotherDirectory_CannotReadTheTexts()
    {
        var protectedSecret = Protector.Protect(Secret);
        var cursor = Cursors.Encode(OrgId, LastId);
        using var elsewhere = new TempFolder();
        await using var other = TestData.BuildServices(elsewhere.Path, new Dictionary<string, string?>());

        Assert.Multiple(() =>
        {
            Assert.Throws(Is.InstanceOf<CryptographicException>(), () => other.GetRequiredService<ISecretProtector>().Unprotect(protectedSecret));
            Assert.That(other.GetRequiredService<IListCursorCodec>().Decode(OrgId, cursor), Is.Null);
        });
    }

    [Test]
    public async Task Keys_WhenAKeysPathIsConfigured_AreKeptThere()
    {
        await _services.DisposeAsync();
        _services = TestData.BuildServices(_temp.Path, new Dictionary<string, string?> { ["DataProtection:KeysPath"] = "secrets/dp" });

        Protector.Protect(Secret);

        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(Path.Combine(_temp.Path, "secrets", "dp"), "key-*.xml"), Is.Not.Empty);
            Assert.That(Directory.Exists(Path.Combine(_temp.Path, "data", "keys")), Is.False);
        });
    }

    [TestCase(null, "data/keys")]
    [TestCase("", "data/keys")]
    [TestCase("   ", "data/keys")]
    [TestCase("secrets/dp", "secrets/dp")]
    [TestCase("../outside/keys", "../outside/keys")]
    public void KeysDirectory_IsResolvedUnderTheContentRoot(string? configured, string expected)
    {
        var root = Path.Combine(_temp.Path, "app");

        var directory = DependencyInjection.KeysDirectory(Configuration(configured), Environment(root));

        Assert.That(directory.FullName, Is.EqualTo(Path.GetFullPath(Path.Combine(root, expected))));
    }

    [Test]
    public void KeysDirectory_WhenAbsolute_IsKept()
    {
        var absolute = Path.Combine(_temp.Path, "elsewhere", "keys");

        var directory = DependencyInjection.KeysDirectory(Configuration(absolute), Environment(Path.Combine(_temp.Path, "app")));

        Assert.That(directory.FullName, Is.EqualTo(absolute));
    }

    /// <summary>Changes one character in the middle, keeping the text valid base64url.</summary>
    private static string Tamper(string text)
    {
        var middle = text.Length / 2;
        var replacement = text[middle] == 'A' ? 'B' : 'A';
        return string.Concat(text.AsSpan(0, middle), replacement.ToString(), text.AsSpan(middle + 1));
    }

    private static IConfiguration Configuration(string? keysPath) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:KeysPath"] = keysPath }).Build();

    private static IHostEnvironment Environment(string contentRoot)
    {
        var environment = new Mock<IHostEnvironment>();
        environment.SetupGet(e => e.ContentRootPath).Returns(contentRoot);
        return environment.Object;
    }
}
