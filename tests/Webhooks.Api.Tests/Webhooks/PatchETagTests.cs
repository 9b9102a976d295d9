using System.Net;
using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// The response carries an <c>ETag</c>; <c>If-Match</c> makes a PATCH conditional (<c>412</c> when it
/// does not match).
/// </summary>
[TestFixture]
public sealed class PatchETagTests : PatchFixture
{
    [Test]
    public async Task Patch_response_has_the_etag_that_get_then_shows()
    {
        var before = await CreateEndpointAsync();
        var original = await ETagOfGetAsync(IdOf(before));

        using var response = await PatchAsync(IdOf(before), """{"description":"Tagged"}""");

        await AssertPatchedAsync(response);
        Assert.That(response.Headers.ETag, Is.Not.Null, "PATCH answers 200 with the resource and an ETag");
        Assert.That(response.Headers.ETag!.Tag, Is.Not.EqualTo(original), "a change gives a new ETag");
        Assert.That(await ETagOfGetAsync(IdOf(before)), Is.EqualTo(response.Headers.ETag.Tag));
    }

    [Test]
    public async Task Patch_with_if_match_of_the_current_etag_is_applied()
    {
        var before = await CreateEndpointAsync();
        var etag = await ETagOfGetAsync(IdOf(before));

        using var response = await ConditionalPatchAsync(IdOf(before), etag, """{"active":false}""");

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Active = false });
    }

    [Test]
    public async Task Patch_with_a_stale_if_match_is_refused_with_412_and_nothing_written()
    {
        var before = await CreateEndpointAsync();
        var stale = await ETagOfGetAsync(IdOf(before));
        using (var change = await PatchAsync(IdOf(before), """{"description":"Someone else"}"""))
        {
            await AssertPatchedAsync(change);
        }

        var current = await GetAsync(IdOf(before));

        // Read-append-write of events on the stale read must not win over the newer state.
        using var response = await ConditionalPatchAsync(IdOf(before), stale, """{"events":["wallet.balance_low","wallet.balance_zero","subscription.past_due"]}""");

        await ApiAssert.Envelope(response, HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED", "precondition failed");
        await AssertUnchangedAsync(current);
    }

    [Test]
    public async Task Patch_with_an_if_match_that_never_matched_is_refused_with_412()
    {
        var before = await CreateEndpointAsync();

        using var response = await ConditionalPatchAsync(IdOf(before), "\"not-the-etag\"", """{"active":false}""");

        await ApiAssert.Envelope(response, HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED", "precondition failed");
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Etag_is_strong_and_names_the_endpoint_and_its_revision()
    {
        var before = await CreateEndpointAsync();
        var expected = $"\"{Guid.Parse(IdOf(before)):N}.1\"";
        Assert.That(await ETagOfGetAsync(IdOf(before)), Is.EqualTo(expected), "a new endpoint is at revision 1");

        using var response = await PatchAsync(IdOf(before), """{"description":"Revision two"}""");

        await AssertPatchedAsync(response);
        Assert.That(response.Headers.ETag!.IsWeak, Is.False);
        Assert.That(response.Headers.ETag.Tag, Is.EqualTo($"\"{Guid.Parse(IdOf(before)):N}.2\""));
    }

    [Test]
    public async Task Patch_that_changes_nothing_keeps_the_etag_even_with_if_match()
    {
        var before = await CreateEndpointAsync();
        var etag = await ETagOfGetAsync(IdOf(before));

        using var response = await ConditionalPatchAsync(IdOf(before), etag, """{"description":"Ops alerts"}""");

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "sending the current values changes nothing");
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo(etag), "no change, no new revision");
    }

    private Task<HttpResponseMessage> ConditionalPatchAsync(string id, string etag, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/webhooks/{id}") { Content = Json.Body(json) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return Client.SendAsync(request);
    }

    private async Task<string> ETagOfGetAsync(string id)
    {
        using var response = await Client.GetAsync($"/v1/webhooks/{id}");
        await AssertResourceAsync(response);
        Assert.That(response.Headers.ETag, Is.Not.Null, "GET answers with the resource and its ETag");
        return response.Headers.ETag!.Tag;
    }
}
