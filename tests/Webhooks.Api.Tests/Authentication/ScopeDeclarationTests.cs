using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Application.Common.Security;

namespace Webhooks.Api.Tests.Authentication;

/// <summary>
/// Every action names the request it sends with <c>[ScopeOf&lt;TRequest&gt;]</c>, so that the scope that
/// request declares is checked before the body is read; an action without it would read the body of
/// a caller that may not send it.
/// </summary>
[TestFixture]
public sealed class ScopeDeclarationTests
{
    private static IEnumerable<MethodInfo> Actions() =>
        typeof(Program).Assembly.GetTypes()
            .Where(type => typeof(ControllerBase).IsAssignableFrom(type) && !type.IsAbstract)
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));

    [Test]
    public void Actions_WhenScanned_ThenFindsTheNineteenOperations() =>
        Assert.That(Actions().Count(), Is.EqualTo(20));

    [TestCaseSource(nameof(Actions))]
    public void Action_WhenScanned_ThenNamesTheRequestItSendsAndThatRequestDeclaresItsScope(MethodInfo action)
    {
        var scopeOf = action.GetCustomAttributes()
            .SingleOrDefault(attribute => attribute.GetType().IsGenericType && attribute.GetType().GetGenericTypeDefinition() == typeof(ScopeOfAttribute<>));

        Assert.That(scopeOf, Is.Not.Null, $"{action.DeclaringType!.Name}.{action.Name} has no [ScopeOf<TRequest>]");
        var requestType = scopeOf!.GetType().GetGenericArguments()[0];
        Assert.DoesNotThrow(() => RequestScope.Of(requestType));
    }
}
