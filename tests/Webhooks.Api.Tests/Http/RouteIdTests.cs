
namespace Webhooks.Api.Tests.Http;

/// <summary>
/// Found by the bad-input suite: an endpoint id in the path is a UUID "in the usual hyphenated form
/// (any letter case). Anything else in the path is an id that names nothing: 404 NOT_FOUND"
/// (docs/contract-notes.md). White space around the UUID (<c>%20</c>, <c>%09</c>, which a server
/// decodes into the route value) is something else, so it must not reach the endpoint.
/// </summary>
[TestFixture]
public sealed class RouteIdTests
{
    private ApiFactory _factory = null!;
    private HttpClient _client = null!;
    private string _id = null!;
    private JsonElement _endpoint;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new ApiFactory();
        var org = await _factory.CreateOrganizationAsync();
        _client = _factory.CreateClient(org.Key);
        _id = await ApiHelpers.CreateEndpointAsync(_client);
        _endpoint = await ApiHelpers.GetEndpointAsync(_client, _id);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client?.Dispose();
        await ApiHelpers.DisposeAsync(_factory);
    }

    [TestCase("%20{0}", TestName = "Route id: a leading space names nothing")]
    [TestCase("{0}%20", TestName = "Route id: a trailing space names nothing")]
    [TestCase("%09{0}%0A", TestName = "Route id: a tab and a newline around it name nothing")]
    [TestCase("{{{0}}}", TestName = "Route id: braces name nothing")]
    [TestCase("{1}", TestName = "Route id: without hyphens names nothing")]
    public async Task An_id_that_is_not_exactly_a_uuid_is_404_for_read_and_write(string template)
    {
        var path = "/v1/webhooks/" + string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _id, _id.Replace("-", "", StringComparison.Ordinal));

        using var get = await _client.GetAsync(path);
        await ApiAssert.NotFound(get);

        using var patch = await _client.PatchAsync(path, """{"description":"through a padded id"}""");
        await ApiAssert.NotFound(patch);

        using var delete = await _client.DeleteAsync(path);
        await ApiAssert.NotFound(delete);

        var stored = await ApiHelpers.GetEndpointAsync(_client, _id);
        Assert.That(JsonElement.DeepEquals(stored, _endpoint), Is.True, "nothing was written: " + stored.GetRawText());
    }

    [Test]
    public async Task The_id_in_upper_case_is_the_same_endpoint()
    {
        using var get = await _client.GetAsync("/v1/webhooks/" + _id.ToUpperInvariant());

        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Json.ReadAsync(get)).GetProperty("id").GetString(), Is.EqualTo(_id));
    }
}
