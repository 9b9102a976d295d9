using System.Net.Http.Headers;
using MediatR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Authentication;
using Webhooks.Application.Clients;
using Webhooks.Application.Clients.CreateClient;
using Webhooks.Application.Clients.SuspendClient;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Clients;

namespace Webhooks.Api.Tests.Clients;

/// <summary>Client credentials issued for a test, through the real admin use case.</summary>
public sealed record IssuedClient(Guid ClientId, string CustomerId, string ClientSecret)
{
    public string Id => ClientId.ToString("D");

    /// <summary>The <c>Authorization</c> header value for these credentials.</summary>
    public string Authorization => ClientsApi.Basic(Id, ClientSecret);

    /// <summary>The webhook signing secret issued with the client.</summary>
    public string WebhookSecret { get; init; } = string.Empty;
}

/// <summary>One kind of Clients API error, as the problem details show it.</summary>
public sealed record ProblemKind(HttpStatusCode Status, string Type, string Title, string Detail)
{
    public static ProblemKind Unauthorized { get; } = new(HttpStatusCode.Unauthorized, "urn:webhooks:problem:unauthorized", "Unauthorized", "Missing or invalid client credentials.");

    public static ProblemKind Forbidden { get; } = new(HttpStatusCode.Forbidden, "urn:webhooks:problem:forbidden", "Forbidden", "The client is suspended.");

    public static ProblemKind NotFound { get; } = new(HttpStatusCode.NotFound, "urn:webhooks:problem:not-found", "Not found", "The client or resource does not exist.");

    public static ProblemKind MethodNotAllowed { get; } = new(HttpStatusCode.MethodNotAllowed, "urn:webhooks:problem:method-not-allowed", "Method not allowed", "Method not allowed.");

    public static ProblemKind PayloadTooLarge { get; } = new(HttpStatusCode.RequestEntityTooLarge, "urn:webhooks:problem:payload-too-large", "Payload too large", "Request body is too large.");

    public static ProblemKind UnsupportedMediaType { get; } = new(HttpStatusCode.UnsupportedMediaType, "urn:webhooks:problem:unsupported-media-type", "Unsupported media type", "Content type must be application/json.");

    public static ProblemKind Internal { get; } = new(HttpStatusCode.InternalServerError, "urn:webhooks:problem:internal-error", "Internal server error", "An unexpected error occurred.");

    public const string ValidationType = "urn:webhooks:problem:validation-failed";

    public const string ValidationTitle = "Validation failed";
}

/// <summary>Requests to the Clients API and the set-up they need.</summary>
public static class ClientsApi
{
    public const string Path = "/clients/webhook-url";

    public const string RequiredMessage = "is required; send an empty string to clear the webhook URL";

    public static readonly string[] ResourceKeys = ["client_id", "customer_id", "webhook_url"];

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>Registers a client as the operator, through <see cref="CreateClientCommand"/>.</summary>
    public static async Task<IssuedClient> CreateClientAsync(WebApplicationFactory<Program> factory, string customerId = "cust-1")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ProcessCaller>().ActAs(Caller.Operator);
        var issued = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CreateClientCommand(customerId));
        return new IssuedClient(issued.ClientId, issued.CustomerId, issued.ClientSecret) { WebhookSecret = issued.WebhookSecret };
    }

    /// <summary>Suspends a client as the operator, through <see cref="SuspendClientCommand"/>.</summary>
    public static async Task SuspendAsync(WebApplicationFactory<Program> factory, Guid clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ProcessCaller>().ActAs(Caller.Operator);
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SuspendClientCommand(clientId));
    }

    /// <summary>The client's stored webhook URL (<c>null</c> when none), read past the API.</summary>
    public static async Task<string?> StoredWebhookUrlAsync(WebApplicationFactory<Program> factory, Guid clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var client = await scope.ServiceProvider.GetRequiredService<IClientRepository>().GetAsync(clientId, CancellationToken.None);
        Assert.That(client, Is.Not.Null, "the client is stored");
        return client!.WebhookUrl?.Value;
    }

    /// <summary>The client's webhook signing secret as stored (decrypted), read past the API.</summary>
    public static async Task<string?> StoredWebhookSecretAsync(WebApplicationFactory<Program> factory, Guid clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var client = await scope.ServiceProvider.GetRequiredService<IClientRepository>().GetAsync(clientId, CancellationToken.None);
        Assert.That(client?.ProtectedWebhookSecret, Is.Not.Null, "the client is stored with a secret");
        return scope.ServiceProvider.GetRequiredService<Application.Common.Ports.ISecretProtector>().Unprotect(client!.ProtectedWebhookSecret!);
    }

    /// <summary>A request with an <c>Authorization</c> header sent exactly as given (none when null).</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string? authorization, HttpContent? content = null, string path = Path)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorization is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("Authorization", authorization), Is.True);
        }

        return http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(HttpClient http, IssuedClient client) =>
        SendAsync(http, HttpMethod.Get, client.Authorization);

    public static Task<HttpResponseMessage> PatchAsync(HttpClient http, IssuedClient client, string json) =>
        SendAsync(http, HttpMethod.Patch, client.Authorization, Json.Body(json));

    public static Task<HttpResponseMessage> PatchAsync(HttpClient http, IssuedClient client, HttpContent? content) =>
        SendAsync(http, HttpMethod.Patch, client.Authorization, content);

    /// <summary><c>{"webhook_url": url}</c>, serialized.</summary>
    public static string UrlBody(string url) => JsonSerializer.Serialize(new Dictionary<string, string> { ["webhook_url"] = url });

    /// <summary>
    /// The service with <see cref="IClientRepository"/> decorated: the real repository (the type the
    /// service registered) is created for each scope and handed to <paramref name="decorate"/>.
    /// </summary>
    public static WebApplicationFactory<Program> WithClientRepository(ApiFactory factory, Func<IClientRepository, IClientRepository> decorate) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            var registered = services.Single(d => d.ServiceType == typeof(IClientRepository));
            var implementation = registered.ImplementationType
                ?? throw new InvalidOperationException("IClientRepository is expected to be registered by type");
            services.Remove(registered);
            services.Add(new ServiceDescriptor(
                typeof(IClientRepository),
                provider => decorate((IClientRepository)ActivatorUtilities.CreateInstance(provider, implementation)),
                registered.Lifetime));
        }));

    public static HttpClient CreateHttpClient(WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}

/// <summary>
/// Authenticates like the real repository, but the client "no longer exists" when the use case
/// loads it (as if deleted between authentication and the handler), or loading it fails.
/// </summary>
public sealed class DecoratedClientRepository(IClientRepository inner, Func<Guid, Task<Client?>> get) : IClientRepository
{
    public static Func<IClientRepository, IClientRepository> Vanished { get; } =
        inner => new DecoratedClientRepository(inner, _ => Task.FromResult<Client?>(null));

    public const string FailureMessage = "SQLite Error 1: 'SELECT \"c\".\"secret_hash\" FROM \"clients\"' cs_live_LEAKEDSECRET at /srv/app/db.sqlite";

    public static Func<IClientRepository, IClientRepository> Failing { get; } =
        inner => new DecoratedClientRepository(inner, _ => throw new InvalidOperationException(FailureMessage));

    public Task<Client?> GetAsync(Guid id, CancellationToken cancellationToken) => get(id);

    public Task<ClientCredentials?> FindCredentialsAsync(Guid id, CancellationToken cancellationToken) =>
        inner.FindCredentialsAsync(id, cancellationToken);

    public void Add(Client client) => inner.Add(client);
}

/// <summary>Assertions on Clients API responses: every header and body field that matters.</summary>
public static class ClientsAssert
{
    private static readonly string[] ProblemKeys = ["type", "title", "status", "detail", "instance", "request_id"];

    /// <summary>A <c>200</c> with exactly the ClientResponse fields and these values; returns the body text.</summary>
    public static async Task<string> ClientAsync(HttpResponseMessage response, IssuedClient client, string webhookUrl)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        AssertUtf8(response.Content.Headers.ContentType);
        ApiAssert.RequestId(response);
        Assert.That(response.Headers.WwwAuthenticate, Is.Empty);

        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.That(root.ValueKind, Is.EqualTo(JsonValueKind.Object), text);
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(ClientsApi.ResourceKeys), text);
        foreach (var key in ClientsApi.ResourceKeys)
        {
            Assert.That(root.GetProperty(key).ValueKind, Is.EqualTo(JsonValueKind.String), $"{key} is a string: {text}");
        }

        Assert.That(root.GetProperty("client_id").GetString(), Is.EqualTo(client.Id), text);
        Assert.That(root.GetProperty("customer_id").GetString(), Is.EqualTo(client.CustomerId), text);
        Assert.That(root.GetProperty("webhook_url").GetString(), Is.EqualTo(webhookUrl), text);
        return text;
    }

    /// <summary>GET shows this webhook URL.</summary>
    public static async Task WebhookUrlAsync(HttpClient http, IssuedClient client, string webhookUrl)
    {
        using var response = await ClientsApi.GetAsync(http, client);
        await ClientAsync(response, client, webhookUrl);
    }

    /// <summary>A problem of this kind (no <c>errors</c>); returns the body text.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, ProblemKind kind, string instance = ClientsApi.Path)
    {
        var text = await response.Content.ReadAsStringAsync();
        var root = ProblemRoot(response, text, kind.Status, kind.Type, kind.Title, instance, ProblemKeys);
        Assert.That(root.GetProperty("detail").GetString(), Is.EqualTo(kind.Detail), text);
        if (kind.Status == HttpStatusCode.Unauthorized)
        {
            Assert.That(response.Headers.GetValues("WWW-Authenticate"), Is.EqualTo(new[] { "Basic realm=\"clients\"" }), text);
        }
        else
        {
            Assert.That(response.Headers.Contains("WWW-Authenticate"), Is.False, "WWW-Authenticate only on 401");
        }

        return text;
    }

    /// <summary>
    /// A <c>400</c> validation problem whose <c>errors</c> are exactly these fields, each with exactly
    /// this one message, and whose <c>detail</c> names every field and message; returns the body text.
    /// </summary>
    public static async Task<string> ValidationAsync(HttpResponseMessage response, IReadOnlyDictionary<string, string> errors, string instance = ClientsApi.Path)
    {
        var text = await response.Content.ReadAsStringAsync();
        var root = ProblemRoot(
            response, text, HttpStatusCode.BadRequest, ProblemKind.ValidationType, ProblemKind.ValidationTitle, instance, [.. ProblemKeys, "errors"]);
        Assert.That(response.Headers.Contains("WWW-Authenticate"), Is.False);

        var errorsElement = root.GetProperty("errors");
        Assert.That(errorsElement.ValueKind, Is.EqualTo(JsonValueKind.Object), text);
        Assert.That(errorsElement.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(errors.Keys), text);
        foreach (var (field, message) in errors)
        {
            var messages = errorsElement.GetProperty(field);
            Assert.That(messages.ValueKind, Is.EqualTo(JsonValueKind.Array), text);
            Assert.That(messages.EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { message }), $"errors.{field}: {text}");
        }

        var detail = root.GetProperty("detail").GetString();
        foreach (var (field, message) in errors)
        {
            Assert.That(detail, Does.Contain(field).And.Contain(message), $"detail names {field}: {text}");
        }

        return text;
    }

    public static Task<string> ValidationAsync(HttpResponseMessage response, string field, string message) =>
        ValidationAsync(response, new Dictionary<string, string> { [field] = message });

    private static JsonElement ProblemRoot(
        HttpResponseMessage response, string text, HttpStatusCode status, string type, string title, string instance, string[] keys)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        AssertUtf8(response.Content.Headers.ContentType);
        var requestId = ApiAssert.RequestId(response);

        using var document = JsonDocument.Parse(text);
        var root = document.RootElement.Clone();
        Assert.That(root.ValueKind, Is.EqualTo(JsonValueKind.Object), text);
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(keys), text);
        Assert.That(root.GetProperty("type").GetString(), Is.EqualTo(type), text);
        Assert.That(root.GetProperty("title").GetString(), Is.EqualTo(title), text);
        Assert.That(root.GetProperty("status").ValueKind, Is.EqualTo(JsonValueKind.Number), text);
        Assert.That(root.GetProperty("status").GetInt32(), Is.EqualTo((int)status), text);
        Assert.That(root.GetProperty("detail").ValueKind, Is.EqualTo(JsonValueKind.String), text);
        Assert.That(root.GetProperty("detail").GetString(), Is.Not.Empty, text);
        Assert.That(root.GetProperty("instance").GetString(), Is.EqualTo(instance), text);
        Assert.That(root.GetProperty("request_id").GetString(), Is.EqualTo(requestId), "request_id repeats X-Request-Id");
        return root;
    }

    private static void AssertUtf8(MediaTypeHeaderValue? contentType) =>
        Assert.That(contentType?.CharSet, Is.Null.Or.EqualTo("utf-8").IgnoreCase);
}
