using Webhooks.Domain.Clients;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Domain.Tests.Common;

/// <summary>
/// The documented text of each message the domain reports, once: every other test takes the message
/// from the code's constant, so this table is what holds the wording to the contract.
/// </summary>
public sealed class MessagesTests
{
    [TestCase(HttpsUrl.NullMessage, "must not be null")]
    [TestCase(HttpsUrl.NotAbsoluteMessage, "must be an absolute https URL")]
    [TestCase(HttpsUrl.TooLongMessage, "must be at most 2048 characters")]
    [TestCase(HttpsUrl.WhiteSpaceMessage, "must not contain white space, control characters or backslashes")]
    [TestCase(HttpsUrl.NotHttpsMessage, "must use https")]
    [TestCase(HttpsUrl.UserInfoMessage, "must not contain a user name or password")]
    [TestCase(HttpsUrl.FragmentMessage, "must not contain a fragment")]
    [TestCase(HttpsUrl.NoHostMessage, "must have a host")]
    [TestCase(UrlPolicy.LocalhostMessage, "must not point to localhost")]
    [TestCase(UrlPolicy.NonPublicAddressMessage, "must not point to a private, loopback, link-local or other non-public address")]
    [TestCase(UrlPolicy.InvalidHostMessage, "must have a valid host name")]
    [TestCase(Description.TooLongMessage, "must be at most 200 characters")]
    [TestCase(Description.ControlCharactersMessage, "must not contain control characters")]
    [TestCase(Description.InvalidUnicodeMessage, "must be valid Unicode text")]
    [TestCase(EventTypeSet.MissingMessage, "must be a non-empty array of event types")]
    [TestCase(EventTypeSet.EmptyMessage, "must contain at least one event type")]
    [TestCase(EventTypeSet.NotAStringMessage, "must be a string")]
    [TestCase(WebhookEndpointPatch.NotABooleanMessage, "must be a boolean")]
    [TestCase(WebhookEndpoint.ImmutableApiVersionMessage, "is immutable; create a new endpoint at the new version")]
    [TestCase(Client.WebhookUrlRequiredMessage, "is required; send an empty string to clear the webhook URL")]
    [TestCase(IdempotencyKey.InvalidMessage, "must be 1 to 255 visible ASCII characters")]
    public void Message_WhenRead_IsTheDocumentedText(string message, string documented)
    {
        Assert.That(message, Is.EqualTo(documented));
    }
}
