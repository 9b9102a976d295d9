
namespace Webhooks.Api.Tests.Support;

/// <summary>Assertions on the shape of the service's responses.</summary>
public static class ApiAssert
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The response's <c>X-Request-Id</c>: present once, and a ULID.</summary>
    public static string RequestId(HttpResponseMessage response)
    {
        Assert.That(response.Headers.TryGetValues("X-Request-Id", out var values), Is.True, "X-Request-Id header missing");
        var list = values!.ToList();
        Assert.That(list, Has.Count.EqualTo(1));
        var id = list[0];
        Assert.That(id, Has.Length.EqualTo(26));
        Assert.That(id.All(c => Crockford.Contains(c, StringComparison.Ordinal)), Is.True, $"'{id}' is not Crockford base32");
        Assert.That(id[0], Is.LessThanOrEqualTo('7'), "a ULID's first character is at most 7");
        return id;
    }

    /// <summary>A success: this status, a JSON body, a ULID in <c>X-Request-Id</c>; returns the body.</summary>
    public static async Task<JsonElement> JsonSuccess(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        RequestId(response);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The <c>/v1</c> error envelope, exactly: status, JSON content type, <c>success:false</c>, and an
    /// <c>error</c> object with <c>code</c>, <c>message</c>, <c>request_id</c> (equal to the header) and
    /// <c>details</c> only when expected, with exactly the expected fields and messages.
    /// </summary>
    public static async Task Envelope(
        HttpResponseMessage response,
        HttpStatusCode status,
        string code,
        string message,
        IReadOnlyDictionary<string, string>? details = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), body);
        var requestId = RequestId(response);

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "success", "error" }), body);
        Assert.That(root.GetProperty("success").ValueKind, Is.EqualTo(JsonValueKind.False), body);
        var error = root.GetProperty("error");
        var expectedKeys = details is null ? new[] { "code", "message", "request_id" } : new[] { "code", "message", "request_id", "details" };
        Assert.That(error.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(expectedKeys), body);
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code), body);
        Assert.That(error.GetProperty("message").GetString(), Is.EqualTo(message), body);
        Assert.That(error.GetProperty("request_id").GetString(), Is.EqualTo(requestId), body);
        if (details is not null)
        {
            var actual = error.GetProperty("details").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.That(actual, Is.EquivalentTo(details.ToDictionary(p => p.Key, p => (string?)p.Value)), body);
        }
    }

    public static Task ValidationFailed(HttpResponseMessage response, IReadOnlyDictionary<string, string> details) =>
        Envelope(response, HttpStatusCode.BadRequest, "VALIDATION_FAILED", "validation failed", details);

    public static Task NotFound(HttpResponseMessage response) =>
        Envelope(response, HttpStatusCode.NotFound, "NOT_FOUND", "not found");

    public static async Task Unauthorized(HttpResponseMessage response)
    {
        await Envelope(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED", "authentication failed");
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
    }

    public static Task Forbidden(HttpResponseMessage response) =>
        Envelope(response, HttpStatusCode.Forbidden, "FORBIDDEN", "missing required scope");
}
