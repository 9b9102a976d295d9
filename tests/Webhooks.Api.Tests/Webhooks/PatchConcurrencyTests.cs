using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// Two concurrent PATCHes of different fields both take effect. (The <c>ETag</c> / <c>If-Match</c>
/// tests of PATCH are in <see cref="PatchETagTests"/>; many concurrent pairs in
/// <c>Lifecycle/ConcurrentPatchTests</c>.)
/// </summary>
[TestFixture]
public sealed class PatchConcurrencyTests : PatchFixture
{
    [Test]
    public async Task Concurrent_patches_of_different_fields_both_take_effect()
    {
        for (var round = 0; round < 5; round++)
        {
            var before = await CreateEndpointAsync();
            var url = $"https://round{round}.example.com/hook";

            var responses = await Task.WhenAll(
                PatchAsync(IdOf(before), $$"""{"url":{{Quote(url)}}}"""),
                PatchAsync(IdOf(before), """{"active":false}"""),
                PatchAsync(IdOf(before), """{"description":"Concurrent"}"""),
                PatchAsync(IdOf(before), """{"events":["subscription.canceled"]}"""));
            foreach (var response in responses)
            {
                using (response)
                {
                    await AssertResourceAsync(response);
                }
            }

            var stored = await GetAsync(IdOf(before));
            AssertPatchedFrom(before, stored, new EndpointState(url, "Concurrent", [Canceled], false, CurrentApiVersion));
        }
    }
}
