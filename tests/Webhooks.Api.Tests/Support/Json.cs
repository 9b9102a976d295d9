using System.Net.Http.Headers;

namespace Webhooks.Api.Tests.Support;

public static class Json
{
    /// <summary>A body of exactly this JSON text, as <c>application/json</c>.</summary>
    public static StringContent Body(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static StringContent Body(object value) => Body(JsonSerializer.Serialize(value));

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, path) { Content = Body(json) });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, Body(json));
}
