using Webhooks.Infrastructure.Security;

namespace Webhooks.Infrastructure.Tests.Security;

[TestFixture]
public sealed class Sha256SecretHasherTests
{
    private readonly Sha256SecretHasher _hasher = new();

    [TestCase("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [TestCase("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Hash_IsLowerCaseHexSha256(string secret, string expected)
    {
        Assert.That(_hasher.Hash(secret), Is.EqualTo(expected));
    }

    [Test]
    public void Hash_UsesUtf8()
    {
        // SHA-256 of the UTF-8 bytes C3 A9 ("é"), not of its UTF-16 or Latin-1 form.
        Assert.That(_hasher.Hash("\u00e9"), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 0xC3, 0xA9 }))));
    }

    [Test]
    public void Hash_Is64CharactersAndFitsTheKeyHashColumn()
    {
        var hash = _hasher.Hash("am_live_" + new string('x', 40));

        Assert.That(hash, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void Hash_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => _hasher.Hash(null!));
    }
}
