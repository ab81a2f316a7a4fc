using System.Net;
using System.Net.Sockets;
using Dapper;
using Npgsql;

namespace PostalPeak.Accounts;

/// <summary>
/// Slows password guessing without handing strangers a way to lock people out or to find out which names exist.
/// Sign-in attempts are counted in PostgreSQL (table <c>sign_in_throttle</c>), so every instance on the database
/// sees the same counts, under two keys:
/// <list type="bullet">
/// <item>the <b>pair</b> (user name as typed, source address): <see cref="MaxFailuresPerPair"/> failures within
/// <see cref="FailureWindow"/> lock that name from that address for <see cref="LockoutDuration"/>, even for the right
/// password. The same name from another address is not affected, so a stranger cannot lock its owner out;</item>
/// <item>the <b>address</b>, over every name: <see cref="MaxFailuresPerAddress"/> failures within the window lock
/// every sign-in from that address for the same time, so trying one password on many names is slow too.</item>
/// </list>
/// The key is the name as typed, whether an account has it or not: an unknown name is counted, locked and answered
/// exactly like a real one. An attempt is counted <em>before</em> its password is checked, so attempts sent in
/// parallel cannot slip past the limit; a successful one gives its count back.
/// </summary>
internal static class SignInThrottle
{
    public const int MaxFailuresPerPair = 5;
    public const int MaxFailuresPerAddress = 20;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>What the counters say about an attempt just counted.</summary>
    /// <param name="LockedUntil">Set when the name or the address is locked already: refuse without checking the password.</param>
    /// <param name="Exhausted">The attempt used the last failure allowed: a wrong password locks.</param>
    /// <param name="Overrun">More attempts than allowed were sent in parallel: refuse this one as locked, unchecked.</param>
    public sealed record Attempt(string Source, string UserName, DateTime? LockedUntil, bool Exhausted, bool Overrun, int PairFailures, int AddressFailures);

    /// <summary>
    /// The key of a client address: IPv4 as itself, an IPv6 client by its /64 network (one subscriber's
    /// network has 2^64 addresses to rotate through), none as <c>unknown</c>. The address is the connection's,
    /// or the proxy's <c>X-Forwarded-For</c> only when the operator turned forwarded headers on.
    /// </summary>
    public static string SourceOf(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// Names no account can have are still keys: a very long one is cut, which only merges junk, and a NUL (which
    /// PostgreSQL text cannot hold) is replaced rather than failing the request.
    /// </summary>
    public static string KeyOf(string userName) => (userName.Length <= 128 ? userName : userName[..128]).Replace('\0', '\uFFFD');

    /// <summary>Counts one attempt of <paramref name="userName"/> from <paramref name="source"/> under both keys, atomically.</summary>
    public static async Task<Attempt> CountAsync(NpgsqlConnection connection, string source, string userName, DateTime now)
    {
        // Per row: a running lock is left alone; a window that is over (or a lock that ended) starts again at 1;
        // otherwise one more. The pair row is written before the address row in every statement, so concurrent
        // attempts take the row locks in the same order.
        const string sql = """
            insert into sign_in_throttle as t (scope, source, user_name, failures, window_started_at)
            values ('pair', @source, @userName, 1, @now), ('address', @source, '', 1, @now)
            on conflict (scope, source, user_name) do update set
                failures = case
                    when t.locked_until > @now then t.failures
                    when t.locked_until is not null or t.window_started_at <= @windowStart then 1
                    else t.failures + 1 end,
                window_started_at = case
                    when t.locked_until > @now then t.window_started_at
                    when t.locked_until is not null or t.window_started_at <= @windowStart then @now
                    else t.window_started_at end,
                locked_until = case when t.locked_until > @now then t.locked_until end
            returning scope, failures, locked_until
            """;
        var rows = (await connection.QueryAsync<(string Scope, int Failures, DateTime? LockedUntil)>(sql,
            new { source, userName, now, windowStart = now - FailureWindow })).AsList();
        var pair = rows.Single(r => r.Scope == "pair");
        var address = rows.Single(r => r.Scope == "address");
        var lockedUntil = rows.Where(r => r.LockedUntil > now).Max(r => r.LockedUntil);
        return new Attempt(source, userName, lockedUntil,
            Exhausted: pair.Failures >= MaxFailuresPerPair || address.Failures >= MaxFailuresPerAddress,
            Overrun: pair.Failures > MaxFailuresPerPair || address.Failures > MaxFailuresPerAddress,
            pair.Failures, address.Failures);
    }

    /// <summary>After a wrong password (or an overrun): locks whichever key used up its failures; until when, or null.</summary>
    public static async Task<DateTime?> LockIfExhaustedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Attempt attempt, DateTime now)
    {
        if (!attempt.Exhausted)
            return null;
        const string sql = """
            update sign_in_throttle set locked_until = @until
            where source = @Source
              and ((scope = 'pair' and user_name = @UserName and failures >= @maxPair)
                or (scope = 'address' and user_name = '' and failures >= @maxAddress))
              and (locked_until is null or locked_until <= @now)
            """;
        var until = now + LockoutDuration;
        await connection.ExecuteAsync(sql, new { attempt.Source, attempt.UserName, until, now, maxPair = MaxFailuresPerPair, maxAddress = MaxFailuresPerAddress }, transaction);
        return until;
    }

    /// <summary>
    /// After the right password: the pair starts afresh, and the address gets this attempt back. Only back: a person
    /// signing in to their own account between guesses at others must not wipe the address's count.
    /// </summary>
    public static Task SucceededAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Attempt attempt) =>
        connection.ExecuteAsync("""
            delete from sign_in_throttle where scope = 'pair' and source = @Source and user_name = @UserName;
            update sign_in_throttle set failures = greatest(failures - 1, 0)
            where scope = 'address' and source = @Source and user_name = '' and locked_until is null;
            """, new { attempt.Source, attempt.UserName }, transaction);

    /// <summary>Forgets counts nobody will look at again: their window and any lock it led to are over.</summary>
    public static Task PruneAsync(NpgsqlConnection connection, DateTime now) =>
        connection.ExecuteAsync("delete from sign_in_throttle where window_started_at < @before and (locked_until is null or locked_until < @now)",
            new { before = now - FailureWindow - LockoutDuration, now });

    /// <summary>An administrator's new password lifts the name's locks from every address (not an address's own lock).</summary>
    public static Task LiftAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userName) =>
        connection.ExecuteAsync("delete from sign_in_throttle where scope = 'pair' and user_name = @userName", new { userName }, transaction);
}
