using Webhooks.Domain.Organizations;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Organizations;

public sealed class ApiKeyTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Read = Scopes.WebhooksRead;
    private const string Write = Scopes.WebhooksWrite;
    private const string KnownScopes = "webhooks:read, webhooks:write, events:write, clients:events:write";

    private static readonly Guid KeyId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c0");

    [TestCase(new[] { Read }, new[] { Read })]
    [TestCase(new[] { Write }, new[] { Write })]
    [TestCase(new[] { Read, Write }, new[] { Read, Write })]
    [TestCase(new[] { Write, Read }, new[] { Write, Read })]
    [TestCase(new[] { " webhooks:read ", "webhooks:read" }, new[] { Read })]
    [TestCase(new[] { Read, "", "  " }, new[] { Read })]
    [TestCase(new[] { Scopes.EventsWrite }, new[] { Scopes.EventsWrite })]
    [TestCase(new[] { Scopes.ClientEventsWrite, Read }, new[] { Scopes.ClientEventsWrite, Read })]
    public void Issue_WhenScopesAreKnown_KeepsThemTrimmedAndDistinct(string[] scopes, string[] expected)
    {
        var key = ApiKey.Issue(KeyId, OrgId, "ci", scopes, Hash, CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.Id, Is.EqualTo(KeyId));
            Assert.That(key.OrgId, Is.EqualTo(OrgId));
            Assert.That(key.Scopes, Is.EqualTo(expected));
            Assert.That(key.KeyHash, Is.EqualTo(Hash));
            Assert.That(key.CreatedAt, Is.EqualTo(CreatedAt));
            Assert.That(key.RevokedAt, Is.Null);
            Assert.That(key.IsRevoked, Is.False);
        }
    }

    [TestCase(new string[0], "scopes", "must name at least one of: " + KnownScopes)]
    [TestCase(new[] { "", " " }, "scopes", "must name at least one of: " + KnownScopes)]
    [TestCase(new[] { "admin" }, "scopes", "unknown scope 'admin'; known: " + KnownScopes)]
    [TestCase(new[] { Read, "webhooks:delete" }, "scopes", "unknown scope 'webhooks:delete'; known: " + KnownScopes)]
    [TestCase(new[] { "Webhooks:Read" }, "scopes", "unknown scope 'Webhooks:Read'; known: " + KnownScopes)]
    [TestCase(new[] { "webhooks:*" }, "scopes", "unknown scope 'webhooks:*'; known: " + KnownScopes)]
    public void Issue_WhenScopesAreWrong_ThrowsForScopes(string[] scopes, string field, string expectedMessage)
    {
        var exception = Assert.Throws<ValidationFailedException>(() => ApiKey.Issue(KeyId, OrgId, null, scopes, Hash, CreatedAt));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { [field] = expectedMessage }));
    }

    [TestCase(null, null)]
    [TestCase("", null)]
    [TestCase("   ", null)]
    [TestCase(" ci deploys ", "ci deploys")]
    public void Issue_WhenNameIsGiven_KeepsItTrimmedOrNull(string? name, string? expected)
    {
        var key = ApiKey.Issue(KeyId, OrgId, name, [Read], Hash, CreatedAt);

        Assert.That(key.Name, Is.EqualTo(expected));
    }

    [TestCase(200, true)]
    [TestCase(201, false)]
    public void Issue_WhenNameHasGivenLength_AcceptsAtMost200(int length, bool accepted)
    {
        var name = new string('k', length);

        if (accepted)
        {
            Assert.That(ApiKey.Issue(KeyId, OrgId, name, [Read], Hash, CreatedAt).Name, Is.EqualTo(name));
        }
        else
        {
            var exception = Assert.Throws<ValidationFailedException>(() => ApiKey.Issue(KeyId, OrgId, name, [Read], Hash, CreatedAt));
            Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["name"] = "must be at most 200 characters" }));
        }
    }

    [Test]
    public void Issue_WhenScopesAndNameAreBothWrong_ReportsBoth()
    {
        var exception = Assert.Throws<ValidationFailedException>(() => ApiKey.Issue(KeyId, OrgId, new string('k', 201), ["root"], Hash, CreatedAt));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["scopes"] = "unknown scope 'root'; known: " + KnownScopes,
            ["name"] = "must be at most 200 characters",
        }));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Issue_WhenKeyHashIsMissing_Throws(string? keyHash)
    {
        Assert.That(() => ApiKey.Issue(KeyId, OrgId, null, [Read], keyHash!, CreatedAt), Throws.InstanceOf<ArgumentException>());
    }

    [TestCase(new[] { Read }, Read, true)]
    [TestCase(new[] { Read }, Write, false)]
    [TestCase(new[] { Write }, Write, true)]
    [TestCase(new[] { Write }, Read, true)]
    [TestCase(new[] { Read, Write }, Read, true)]
    [TestCase(new[] { Read, Write }, Write, true)]
    [TestCase(new[] { Write }, "admin", false)]
    [TestCase(new[] { Write }, "WEBHOOKS:READ", false)]
    public void HasScope_WhenAsked_WriteImpliesReadButNotTheReverse(string[] held, string required, bool expected)
    {
        var key = ApiKey.Issue(KeyId, OrgId, null, held, Hash, CreatedAt);

        Assert.That(key.HasScope(required), Is.EqualTo(expected));
    }

    [TestCase(Read, Read, true)]
    [TestCase(Write, Write, true)]
    [TestCase(Write, Read, true)]
    [TestCase(Read, Write, false)]
    [TestCase("admin", Read, false)]
    [TestCase(Scopes.ClientWebhookUrlWrite, Scopes.ClientWebhookUrlRead, true)]
    [TestCase(Scopes.ClientWebhookUrlRead, Scopes.ClientWebhookUrlWrite, false)]
    [TestCase(Write, Scopes.ClientWebhookUrlRead, false)]
    [TestCase(Scopes.ClientWebhookUrlWrite, Read, false)]
    [TestCase("webhooks:writer", Read, false)]
    [TestCase(Write, Scopes.EventsWrite, false)]
    [TestCase(Scopes.EventsWrite, Write, false)]
    [TestCase(Scopes.EventsWrite, Read, false)]
    [TestCase(Write, Scopes.ClientEventsWrite, false)]
    [TestCase(Scopes.EventsWrite, Scopes.ClientEventsWrite, false)]
    [TestCase(Scopes.ClientEventsWrite, Scopes.EventsWrite, false)]
    [TestCase(Scopes.ClientEventsWrite, Scopes.ClientEventsWrite, true)]
    [TestCase(Scopes.ClientWebhookUrlWrite, Scopes.ClientWebhookSecretWrite, false)]
    public void Grants_WhenHeldScopeIsCompared_WriteAlsoAllowsReading(string held, string required, bool expected)
    {
        Assert.That(Scopes.Grants(held, required), Is.EqualTo(expected));
    }

    [Test]
    public void Revoke_WhenKeyIsActive_SetsRevokedAt()
    {
        var key = ApiKey.Issue(KeyId, OrgId, null, [Write], Hash, CreatedAt);

        key.Revoke(Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.RevokedAt, Is.EqualTo(Later));
            Assert.That(key.IsRevoked, Is.True);
        }
    }

    [Test]
    public void Revoke_WhenAlreadyRevoked_KeepsTheFirstRevocation()
    {
        var key = ApiKey.Issue(KeyId, OrgId, null, [Write], Hash, CreatedAt);
        key.Revoke(Later);

        key.Revoke(EvenLater);

        Assert.That(key.RevokedAt, Is.EqualTo(Later));
    }
}
