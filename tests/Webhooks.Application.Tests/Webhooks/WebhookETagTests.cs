using Webhooks.Application.Common.Errors;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class WebhookETagTests
{
    private const string CurrentTag = "\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"";

    [Test]
    public void For_WhenGivenAnIdAndARevision_ThenIsTheQuotedIdWithoutDashesDotRevision()
    {
        Assert.That(WebhookETag.For(TestData.EndpointId, 7), Is.EqualTo("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.7\""));
    }

    [Test]
    public void For_WhenGivenANewEndpoint_ThenUsesItsFirstRevision()
    {
        Assert.That(WebhookETag.For(TestData.Endpoint()), Is.EqualTo(CurrentTag));
    }

    [Test]
    public void For_WhenTheEndpointChanges_ThenTheTagChanges()
    {
        var endpoint = TestData.Endpoint();
        var before = WebhookETag.For(endpoint);

        endpoint.Patch(new WebhookEndpointChanges(Active: false), TestData.Now);

        Assert.That(WebhookETag.For(endpoint), Is.Not.EqualTo(before).And.EqualTo("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.2\""));
    }

    [Test]
    public void For_WhenTwoEndpointsHaveTheSameRevision_ThenTheirTagsDiffer()
    {
        Assert.That(WebhookETag.For(TestData.EndpointId, 1), Is.Not.EqualTo(WebhookETag.For(TestData.NewId, 1)));
    }

    [TestCase(null)]
    [TestCase("*")]
    [TestCase(CurrentTag)]
    [TestCase(" " + CurrentTag + " ")]
    [TestCase("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.0\", " + CurrentTag)]
    [TestCase(CurrentTag + ",\"something-else\"")]
    [TestCase("\"stale\", *")]
    [TestCase(", ," + CurrentTag + ",")]
    public void EnsureMatches_WhenIfMatchIsAbsentOrMatches_ThenPasses(string? ifMatch)
    {
        Assert.That(() => WebhookETag.EnsureMatches(ifMatch is null ? null : IfMatch.Parse(ifMatch), TestData.Endpoint()), Throws.Nothing);
    }

    [TestCase("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.2\"")]
    [TestCase("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.0\"")]
    [TestCase("\"0196f0c12d3e7f408a1b2c3d4e5f6a7b.1\"")]
    [TestCase("W/" + CurrentTag)]
    [TestCase("W/\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\", \"stale\"")]
    [TestCase("0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1")]
    [TestCase("\"0190A1B2C3D47E5FA7B8C9D0E1F2A3B4.1\"")]
    [TestCase("\"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4.1\"")]
    [TestCase("\"a\", \"b\"")]
    [TestCase("**")]
    [TestCase("")]
    public void EnsureMatches_WhenNoTagMatchesStrongly_ThenThrowsPreconditionFailed(string ifMatch)
    {
        var exception = Assert.Throws<PreconditionFailedException>(() => WebhookETag.EnsureMatches(ifMatch is null ? null : IfMatch.Parse(ifMatch), TestData.Endpoint()));

        Assert.That(exception!.Message, Is.EqualTo("precondition failed"));
    }

    [Test]
    public void EnsureMatches_WhenTheTagWasIssuedBeforeAChange_ThenThrowsPreconditionFailed()
    {
        var endpoint = TestData.Endpoint();
        var issued = WebhookETag.For(endpoint);
        endpoint.Patch(new WebhookEndpointChanges(Description: Optional<Description?>.Of(null)), TestData.Now);

        Assert.Throws<PreconditionFailedException>(() => WebhookETag.EnsureMatches(IfMatch.Parse(issued), endpoint));
    }

    [Test]
    public void EnsureMatches_WhenTheTagWasIssuedBeforeANoOp_ThenStillMatches()
    {
        var endpoint = TestData.Endpoint();
        var issued = WebhookETag.For(endpoint);
        endpoint.Patch(new WebhookEndpointChanges(Active: true), TestData.Now);

        Assert.That(() => WebhookETag.EnsureMatches(IfMatch.Parse(issued), endpoint), Throws.Nothing);
    }
}
