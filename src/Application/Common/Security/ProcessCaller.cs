namespace Webhooks.Application.Common.Security;

/// <summary>
/// The caller of work that does not come over HTTP: an admin command, the first-run seed, a
/// background worker. The process says whom it acts as; it sends the same commands as the API,
/// through the same scope check, without faking a request.
/// </summary>
public sealed class ProcessCaller : ICurrentCaller
{
    public ProcessCaller()
    {
    }

    public ProcessCaller(Caller caller) => ActAs(caller);

    /// <summary>Whom the process acts as; <c>null</c> until it says (every request is then unauthenticated).</summary>
    public Caller? Caller { get; private set; }

    public void ActAs(Caller caller) => Caller = caller ?? throw new ArgumentNullException(nameof(caller));
}
