namespace Webhooks.Domain.Common;

/// <summary>Something that happened to an aggregate that other parts of the system must act on, in the same transaction.</summary>
public interface IDomainEvent;

/// <summary>
/// An aggregate that raises domain events. The unit of work takes them when it saves the aggregate
/// and applies what they mean in the same transaction, then clears them.
/// </summary>
public interface IHasDomainEvents
{
    IReadOnlyList<IDomainEvent> DomainEvents { get; }

    void ClearDomainEvents();
}

/// <summary>The list behind <see cref="IHasDomainEvents"/>, for an aggregate to hold.</summary>
public sealed class DomainEventList
{
    private readonly List<IDomainEvent> _events = [];

    public IReadOnlyList<IDomainEvent> Items => _events;

    /// <summary>Adds <paramref name="domainEvent"/> unless an equal one is already waiting.</summary>
    public void Raise(IDomainEvent domainEvent)
    {
        if (!_events.Contains(domainEvent))
        {
            _events.Add(domainEvent);
        }
    }

    public void Clear() => _events.Clear();
}
