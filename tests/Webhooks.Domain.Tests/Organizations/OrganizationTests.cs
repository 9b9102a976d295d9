using Webhooks.Domain.Organizations;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Organizations;

public sealed class OrganizationTests
{
    private const string TooLongMessage = "must be at most 200 characters without control characters";

    [TestCase("Y3 Labs", "Y3 Labs")]
    [TestCase("  Y3 Labs\t", "Y3 Labs")]
    [TestCase("Bücher GmbH", "Bücher GmbH")]
    [TestCase("x", "x")]
    public void Create_WhenNameIsValid_KeepsItTrimmed(string name, string expected)
    {
        var organization = Organization.Create(OrgId, name, CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(organization.Id, Is.EqualTo(OrgId));
            Assert.That(organization.Name, Is.EqualTo(expected));
            Assert.That(organization.CreatedAt, Is.EqualTo(CreatedAt));
        }
    }

    [Test]
    public void Create_WhenNameHas200Characters_AcceptsIt()
    {
        var name = new string('n', 200);

        Assert.That(Organization.Create(OrgId, " " + name + " ", CreatedAt).Name, Is.EqualTo(name));
    }

    [TestCase(null, "must not be empty")]
    [TestCase("", "must not be empty")]
    [TestCase("   ", "must not be empty")]
    [TestCase("\t\n", "must not be empty")]
    [TestCase("Y3\nLabs", TooLongMessage)]
    [TestCase("Y3\u0007Labs", TooLongMessage)]
    [TestCase("Y3\u007fLabs", TooLongMessage)]
    public void Create_WhenNameBreaksARule_ThrowsForName(string? name, string expectedMessage)
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Organization.Create(OrgId, name, CreatedAt));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["name"] = expectedMessage }));
    }

    [Test]
    public void Create_WhenNameHas201Characters_ThrowsForName()
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Organization.Create(OrgId, new string('n', 201), CreatedAt));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["name"] = TooLongMessage }));
    }
}
