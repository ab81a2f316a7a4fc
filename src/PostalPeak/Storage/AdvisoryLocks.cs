namespace PostalPeak.Storage;

/// <summary>
/// Every PostgreSQL advisory lock PostalPeak takes, in one place, so that two features never pick the same key by
/// accident. Each is a pair of int keys: a class (one per kind of lock) and the locked thing's id.
/// </summary>
public static class AdvisoryLocks
{
    private const int CarrierClass = 20261128;
    private const int InboxClass = 20261204;

    /// <summary>
    /// One carrier's data, held until the transaction ends (parameter <c>@carrierId</c>). An upload's write, the refresh
    /// of the carrier's indicators and the evaluation of its alerts take it first: none of them reads another's
    /// half-written work, and each carrier's uploads apply in order.
    /// </summary>
    public static readonly string LockCarrier = $"select pg_advisory_xact_lock({CarrierClass}, @carrierId)";

    /// <summary>One drop-folder run per inbox across every instance (parameter <c>@inboxPath</c>), held by the connection until unlocked.</summary>
    public static readonly string TryLockInbox = $"select pg_try_advisory_lock({InboxClass}, hashtext(@inboxPath))";

    public static readonly string UnlockInbox = $"select pg_advisory_unlock({InboxClass}, hashtext(@inboxPath))";
}
