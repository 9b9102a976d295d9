
namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The assertions on endpoint resources of <see cref="WebhooksFixture"/>.</summary>
public abstract partial class WebhooksFixture
{
    /// <summary>
    /// A <c>200</c> with the resource (see <see cref="AssertResourceWithETagAsync"/>) of this
    /// organization, at the current <c>api_version</c>, not deleted, <c>updated_at</c> not before
    /// <c>created_at</c>.
    /// </summary>
    protected async Task<JsonElement> AssertResourceAsync(HttpResponseMessage response, Guid? orgId = null)
    {
        var (body, _) = await AssertResourceWithETagAsync(response);
        var text = body.GetRawText();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("org_id").GetString(), Is.EqualTo((orgId ?? Org.OrgId).ToString()), text);
            Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo(CurrentApiVersion), text);
            Assert.That(body.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.Null), text);
        });
        Assert.That(
            string.CompareOrdinal(body.GetProperty("updated_at").GetString(), body.GetProperty("created_at").GetString()),
            Is.GreaterThanOrEqualTo(0),
            "updated_at is not before created_at: " + text);
        return body;
    }

    /// <summary>A PATCH that succeeded: the resource (checked as above), equal to what <c>GET</c> then shows.</summary>
    protected async Task<JsonElement> AssertPatchedAsync(HttpResponseMessage response, Guid? orgId = null, HttpClient? client = null)
    {
        var patched = await AssertResourceAsync(response, orgId);
        var stored = await GetAsync(IdOf(patched), client, orgId);
        AssertSameResource(stored, patched, "GET after PATCH must show what PATCH returned");
        return patched;
    }

    /// <summary>The fields a PATCH may change, exactly.</summary>
    protected static void AssertState(JsonElement body, EndpointState expected)
    {
        var text = body.GetRawText();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("url").GetString(), Is.EqualTo(expected.Url), text);
            var description = body.GetProperty("description");
            Assert.That(description.ValueKind == JsonValueKind.Null ? null : description.GetString(), Is.EqualTo(expected.Description), text);
            Assert.That(body.GetProperty("events").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(expected.Events), text);
            Assert.That(body.GetProperty("active").GetBoolean(), Is.EqualTo(expected.Active), text);
            Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo(expected.ApiVersion), text);
        });
    }

    /// <summary>
    /// <paramref name="after"/> is <paramref name="before"/> with <paramref name="expected"/> applied:
    /// same id, organization and creation time, the expected values, and an <c>updated_at</c> that
    /// did not go back.
    /// </summary>
    protected static void AssertPatchedFrom(JsonElement before, JsonElement after, EndpointState expected)
    {
        Assert.Multiple(() =>
        {
            foreach (var key in new[] { "id", "org_id", "created_at" })
            {
                Assert.That(after.GetProperty(key).GetString(), Is.EqualTo(before.GetProperty(key).GetString()), key);
            }

            Assert.That(
                string.CompareOrdinal(after.GetProperty("updated_at").GetString(), before.GetProperty("updated_at").GetString()),
                Is.GreaterThanOrEqualTo(0),
                "updated_at went back");
        });
        AssertState(after, expected);
    }

    protected static void AssertSameResource(JsonElement actual, JsonElement expected, string because)
    {
        Assert.That(JsonElement.DeepEquals(actual, expected), Is.True, $"{because}{Environment.NewLine}expected: {expected.GetRawText()}{Environment.NewLine}actual:   {actual.GetRawText()}");
    }

    /// <summary>A refused PATCH wrote nothing: <c>GET</c> shows exactly <paramref name="before"/>.</summary>
    protected async Task AssertUnchangedAsync(JsonElement before, HttpClient? client = null, Guid? orgId = null)
    {
        var stored = await GetAsync(IdOf(before), client, orgId);
        AssertSameResource(stored, before, "a refused PATCH must not write anything");
    }

    /// <summary>A details dictionary from alternating keys and messages.</summary>
    protected static Dictionary<string, string> Details(params string[] keysAndMessages)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keysAndMessages.Length; i += 2)
        {
            details.Add(keysAndMessages[i], keysAndMessages[i + 1]);
        }

        return details;
    }

    /// <summary>A JSON string literal for <paramref name="value"/>.</summary>
    protected static string Quote(string value) => JsonSerializer.Serialize(value);
}
