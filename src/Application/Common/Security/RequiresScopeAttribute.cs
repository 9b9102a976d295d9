namespace Webhooks.Application.Common.Security;

/// <summary>The scope a caller must hold for this request; checked by <c>ScopeBehavior</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}

/// <summary>Any authenticated caller may send this request, whatever its scopes.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AnyScopeAttribute : Attribute;
