using System.Reflection;
using MediatR;
using Webhooks.Application.Clients.CreateClient;
using Webhooks.Application.Clients.GetClientWebhookUrl;
using Webhooks.Application.Clients.SuspendClient;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Organizations.CreateOrganization;
using Webhooks.Application.Organizations.RevokeApiKey;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.ListEventTypes;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Application.Webhooks.RotateWebhookSecret;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Architecture;

/// <summary>Rules every request of the Application layer follows, checked by reflection.</summary>
public sealed class RequestConventionTests
{
    private static readonly Assembly ApplicationAssembly = typeof(DependencyInjection).Assembly;

    [Test]
    public void RequestTypes_WhenScanned_ThenTheAssemblyHasSome()
    {
        Assert.That(RequestTypes(), Is.Not.Empty, "the scan found no IRequest<T>; the other convention tests would pass vacuously");
    }

    [Test]
    public void RequestTypes_WhenScanned_ThenEachDeclaresExactlyOneOfRequiresScopeOrAnyScope()
    {
        var offenders = RequestTypes()
            .Where(type => type.IsDefined(typeof(RequiresScopeAttribute), inherit: false) == type.IsDefined(typeof(AnyScopeAttribute), inherit: false))
            .Select(type => type.FullName)
            .ToList();

        Assert.That(offenders, Is.Empty, "each request must declare [RequiresScope(...)] or [AnyScope], not neither and not both");
    }

    [TestCase(typeof(GetWebhookQuery), Scopes.WebhooksRead)]
    [TestCase(typeof(CreateWebhookCommand), Scopes.WebhooksWrite)]
    [TestCase(typeof(PatchWebhookCommand), Scopes.WebhooksWrite)]
    [TestCase(typeof(ListWebhooksQuery), Scopes.WebhooksRead)]
    [TestCase(typeof(DeleteWebhookCommand), Scopes.WebhooksWrite)]
    [TestCase(typeof(RotateWebhookSecretCommand), Scopes.WebhooksWrite)]
    [TestCase(typeof(CreateOrganizationCommand), Caller.OperatorScope)]
    [TestCase(typeof(CreateApiKeyCommand), Caller.OperatorScope)]
    [TestCase(typeof(RevokeApiKeyCommand), Caller.OperatorScope)]
    [TestCase(typeof(GetClientWebhookUrlQuery), Scopes.ClientWebhookUrlRead)]
    [TestCase(typeof(UpdateClientWebhookUrlCommand), Scopes.ClientWebhookUrlWrite)]
    [TestCase(typeof(CreateClientCommand), Caller.OperatorScope)]
    [TestCase(typeof(SuspendClientCommand), Caller.OperatorScope)]
    public void RequiredScope_WhenRequestIsKnown_ThenMatchesTheContract(Type requestType, string expectedScope)
    {
        Assert.That(requestType.GetCustomAttribute<RequiresScopeAttribute>()?.Scope, Is.EqualTo(expectedScope));
    }

    [TestCase(typeof(ListEventTypesQuery))]
    public void AnyScope_WhenRequestIsReadableWithAnyValidKey_ThenDeclaresAnyScopeAndNoRequiredScope(Type requestType)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(requestType.IsDefined(typeof(AnyScopeAttribute), inherit: false), Is.True);
            Assert.That(requestType.GetCustomAttribute<RequiresScopeAttribute>(), Is.Null);
        }
    }

    [Test]
    public void AnyScope_WhenScanned_ThenOnlyTheKnownRequestsDeclareIt()
    {
        var declared = RequestTypes().Where(type => type.IsDefined(typeof(AnyScopeAttribute), inherit: false)).ToList();

        Assert.That(declared, Is.EquivalentTo(new[] { typeof(ListEventTypesQuery) }), "[AnyScope] lets any authenticated caller through; each use is a decision");
    }

    [Test]
    public void RequiredScope_WhenRequestIsAWebhooksQuery_ThenIsWebhooksReadOrAnyScope()
    {
        var offenders = RequestTypes()
            .Where(type => type.Namespace!.StartsWith("Webhooks.Application.Webhooks", StringComparison.Ordinal) && type.Name.EndsWith("Query", StringComparison.Ordinal))
            .Where(type => !type.IsDefined(typeof(AnyScopeAttribute), inherit: false) && RequiredScope(type) != Scopes.WebhooksRead)
            .Select(type => $"{type.Name}: {RequiredScope(type) ?? "none"}")
            .ToList();

        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void RequiredScope_WhenRequestIsAWebhooksCommand_ThenIsWebhooksWrite()
    {
        var offenders = RequestTypes()
            .Where(type => type.Namespace!.StartsWith("Webhooks.Application.Webhooks", StringComparison.Ordinal) && type.Name.EndsWith("Command", StringComparison.Ordinal))
            .Where(type => RequiredScope(type) != Scopes.WebhooksWrite)
            .Select(type => $"{type.Name}: {RequiredScope(type) ?? "none"}")
            .ToList();

        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void RequiredScope_WhenRequestIsAnOrganizationsAdminCommand_ThenIsOperatorScope()
    {
        var offenders = RequestTypes()
            .Where(type => type.Namespace!.StartsWith("Webhooks.Application.Organizations", StringComparison.Ordinal))
            .Where(type => RequiredScope(type) != Caller.OperatorScope)
            .Select(type => $"{type.Name}: {RequiredScope(type) ?? "none"}")
            .ToList();

        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void RequestTypes_WhenScanned_ThenEachHasExactlyOneHandlerWithTheSameResponseType()
    {
        var handlers = ApplicationAssembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false })
            .SelectMany(type => type.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>))
                .Select(i => (Handler: type, Request: i.GenericTypeArguments[0], Response: i.GenericTypeArguments[1])))
            .ToList();

        var offenders = RequestTypes()
            .Select(request => (Request: request, Count: handlers.Count(h => h.Request == request && h.Response == ResponseType(request))))
            .Where(x => x.Count != 1)
            .Select(x => $"{x.Request.Name}: {x.Count} handlers")
            .ToList();

        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void RequestHandlers_WhenScanned_ThenEachHandlesARequestOfThisAssembly()
    {
        var requests = RequestTypes().ToHashSet();
        var strays = ApplicationAssembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false })
            .SelectMany(type => type.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>))
                .Where(i => !requests.Contains(i.GenericTypeArguments[0]))
                .Select(i => $"{type.Name} handles {i.GenericTypeArguments[0].Name}"))
            .ToList();

        Assert.That(strays, Is.Empty);
    }

    private static List<Type> RequestTypes() =>
        ApplicationAssembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false } && ResponseType(type) is not null)
            .ToList();

    private static Type? ResponseType(Type type) =>
        type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>))?.GenericTypeArguments[0];

    private static string? RequiredScope(Type type) => type.GetCustomAttribute<RequiresScopeAttribute>()?.Scope;
}
