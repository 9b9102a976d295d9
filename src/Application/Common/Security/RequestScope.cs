using System.Collections.Concurrent;
using System.Reflection;

namespace Webhooks.Application.Common.Security;

/// <summary>
/// What a request type declares about its callers: the scope of its <see cref="RequiresScopeAttribute"/>,
/// or any scope (<see cref="AnyScopeAttribute"/>). Read once per request type; the API checks it
/// before it reads a body, and <c>ScopeBehavior</c> checks it again for every caller.
/// </summary>
public sealed class RequestScope
{
    private static readonly ConcurrentDictionary<Type, RequestScope> Declared = new();

    private RequestScope(string? scope) => Scope = scope;

    /// <summary>The scope the caller must hold; <c>null</c> when any authenticated caller may send the request.</summary>
    public string? Scope { get; }

    /// <exception cref="InvalidOperationException">The type declares neither a scope nor <see cref="AnyScopeAttribute"/> (fails closed).</exception>
    public static RequestScope Of(Type requestType)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        return Declared.GetOrAdd(requestType, Read);
    }

    public bool Allows(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Scope is null || caller.HasScope(Scope);
    }

    private static RequestScope Read(Type requestType)
    {
        var required = requestType.GetCustomAttribute<RequiresScopeAttribute>()?.Scope;
        if (required is null && !requestType.IsDefined(typeof(AnyScopeAttribute), inherit: false))
        {
            throw new InvalidOperationException($"{requestType.Name} declares no required scope.");
        }

        return new RequestScope(required);
    }
}
