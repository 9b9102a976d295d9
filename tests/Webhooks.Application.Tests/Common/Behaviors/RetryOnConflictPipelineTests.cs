using System.Text.Json;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Common;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Application.Tests.Common.Behaviors;

/// <summary>
/// Commands through <c>IMediator</c> as <c>AddApplication</c> wires it, rerun on fresh data after a
/// concurrency conflict (decision 0006); a precondition that fails is no conflict.
/// </summary>
public sealed class RetryOnConflictPipelineTests
{
    private static readonly Guid Id = TestData.EndpointId;

    private static readonly WebhookEndpointChanges Deactivate = new(Active: false);

    [Test]
    public async Task Send_WhenAPatchConflictsOnce_ThenResetsReloadsAndSavesAgain()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        var loaded = new List<WebhookEndpoint>();
        host.Endpoints.Setup(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Remember(loaded, TestData.Endpoint()));
        host.UnitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException())
            .Returns(Task.CompletedTask);

        var response = await host.Mediator.Send(new PatchWebhookCommand(Id, Deactivate));

        Assert.That(response.Active, Is.False);
        Assert.That(loaded, Has.Count.EqualTo(2), "the rerun reads the endpoint again");
        Assert.That(loaded[1].Active, Is.False);
        host.UnitOfWork.Verify(u => u.Reset(), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public void Send_WhenAPatchWithIfMatchLosesTheRace_ThenTheRerunSeesTheNewRevisionAndThrowsPreconditionFailed()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        var changedByTheWinner = TestData.Endpoint();
        changedByTheWinner.Patch(new WebhookEndpointChanges(Description: Optional<Description?>.Of(null)), TestData.Now);
        host.Endpoints.SetupSequence(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(TestData.Endpoint())
            .ReturnsAsync(changedByTheWinner);
        host.UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ConcurrencyConflictException());

        Assert.ThrowsAsync<PreconditionFailedException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, Deactivate, IfMatch.Parse(WebhookETag.For(TestData.EndpointId, 1)))));

        Assert.That(changedByTheWinner.Active, Is.True);
        host.UnitOfWork.Verify(u => u.Reset(), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public void Send_WhenACommandConflictsEveryTime_ThenGivesUpWithTheConflict()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Endpoints.Setup(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(() => TestData.Endpoint());
        host.UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ConcurrencyConflictException());

        Assert.ThrowsAsync<ConcurrencyConflictException>(() => host.Mediator.Send(new DeleteWebhookCommand(Id)));

        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(RetryOnConflictBehavior<DeleteWebhookCommand, WebhookEndpointResponse>.MaxAttempts));
    }

    [Test]
    public async Task Send_WhenTwoCreatesWithTheSameKeyRaceAndThisOneLoses_ThenTheRerunReplaysTheWinner()
    {
        const string key = "same-key";
        const string hash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        var host = new ApplicationHost(TestData.WriteCaller());
        var winnerId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-0000000000ff");
        var winner = new WebhookEndpointResponse(winnerId, TestData.OrgId, TestData.Url, null, ["wallet.balance_low"], true, TestData.ApiVersion, TestData.Now, TestData.Now, null)
        {
            Secret = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        };
        host.Idempotency.SetupSequence(s => s.FindAsync(TestData.OrgId, key, It.IsAny<CancellationToken>()))
            .ReturnsAsync((IdempotencyRecord?)null)
            .ReturnsAsync(IdempotencyRecord.Create(TestData.OrgId, key, hash, FakeSecretProtector.Of(JsonSerializer.Serialize(winner)), TestData.Now));
        host.UnitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException());

        var response = await host.Mediator.Send(new CreateWebhookCommand(
            TestData.HttpsUrlOf(TestData.Url), TestData.EventsOf("wallet.balance_low"), null, true, TestData.ApiVersion, IdempotencyKey.Create(key, hash).Value));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Id, Is.EqualTo(winnerId));
            Assert.That(response.Secret, Is.EqualTo(winner.Secret));
        }

        host.UnitOfWork.Verify(u => u.Reset(), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public void Send_WhenIfMatchIsStaleOnAValidPatch_ThenThrowsPreconditionFailedAndDoesNotSave()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Holds(TestData.Endpoint());

        Assert.ThrowsAsync<PreconditionFailedException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, Deactivate, IfMatch.Parse(WebhookETag.For(TestData.EndpointId, 2)))));

        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
        host.UnitOfWork.Verify(u => u.Reset(), Times.Never());
    }

    private static WebhookEndpoint Remember(List<WebhookEndpoint> loaded, WebhookEndpoint endpoint)
    {
        loaded.Add(endpoint);
        return endpoint;
    }
}
