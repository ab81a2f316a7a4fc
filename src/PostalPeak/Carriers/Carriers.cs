using System.Net.Mail;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Carriers;

/// <remarks>Init properties rather than a positional record: Npgsql reports text[] as System.Array, which Dapper
/// cannot match to a constructor parameter but can assign to a property. This is how every text[] column is read
/// (<see cref="Alerts.AlertRule"/>, <see cref="Alerts.DigestCarrier"/>).</remarks>
public sealed record Carrier
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string[] ContactEmails { get; init; } = [];
    public string? ContactPhone { get; init; }
    public bool Active { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>The postal carriers the department supervises.</summary>
public sealed partial class Carriers(NpgsqlDataSource db)
{
    public async Task<Carrier> AddAsync(string code, string name, IReadOnlyList<string> contactEmails, string? contactPhone, Actor actor)
    {
        code = CarrierCodes.Normalize(code);
        if (!CodePattern().IsMatch(code))
            throw new InputException("invalid_carrier_code", "A carrier code is 2 to 20 letters, digits, '-' or '_', starting with a letter or digit.");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            throw new InputException("invalid_carrier_name", "A carrier name is 1 to 200 characters.");
        var emails = CheckEmails(contactEmails);

        const string sql = """
            insert into carrier (code, name, contact_emails, contact_phone)
            values (@code, @name, @emails, @contactPhone)
            on conflict (code) do nothing
            returning id, code, name, contact_emails, contact_phone, active, created_at
            """;
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var carrier = await connection.QuerySingleOrDefaultAsync<Carrier>(sql, new { code, name = name.Trim(), emails, contactPhone }, transaction)
            ?? throw new InputException("carrier_exists", $"A carrier with code '{code}' exists already.", StatusCodes.Status409Conflict) { Args = [code] };
        await AuditLog.WriteAsync(connection, transaction, actor, "carrier.add", "carrier", code, carrier.Id, new { name, emails, contactPhone });
        await transaction.CommitAsync();
        return carrier;
    }

    /// <summary>
    /// Alert e-mails and digests go to the contact addresses, so only department staff set them
    /// (<paramref name="maySetEmails"/>): a carrier manager could otherwise send its carrier's alerts anywhere, even to
    /// another carrier. A manager may change the phone, and may send the addresses back unchanged.
    /// <paramref name="contactEmails"/> null keeps them as they are.
    /// </summary>
    public async Task<Carrier> UpdateContactsAsync(string code, IReadOnlyList<string>? contactEmails, string? contactPhone, bool maySetEmails, Actor actor)
    {
        var asked = contactEmails is null ? null : CheckEmails(contactEmails);
        code = CarrierCodes.Normalize(code);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var current = (await connection.QuerySingleOrDefaultAsync<Carrier>(
            "select id, code, name, contact_emails, contact_phone, active, created_at from carrier where code = @code for update", new { code }, transaction)
            ?? throw InputException.NotFound("carrier", code)).ContactEmails;
        var emails = asked ?? current;
        if (!maySetEmails && !emails.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(current))
            throw new InputException("contacts_department_only",
                "Only the department's administrators may change a carrier's contact e-mails (alert e-mails go there); the phone you may change.",
                StatusCodes.Status403Forbidden);
        const string sql = """
            update carrier set contact_emails = @emails, contact_phone = @contactPhone
            where code = @code
            returning id, code, name, contact_emails, contact_phone, active, created_at
            """;
        var carrier = await connection.QuerySingleAsync<Carrier>(sql, new { code, emails, contactPhone }, transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "carrier.contacts", "carrier", code, carrier.Id, new { emails, contactPhone });
        await transaction.CommitAsync();
        return carrier;
    }

    public async Task<Carrier?> FindAsync(string code)
    {
        const string sql = "select id, code, name, contact_emails, contact_phone, active, created_at from carrier where code = @code";
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Carrier>(sql, new { code = CarrierCodes.Normalize(code) });
    }

    public async Task<Carrier> GetAsync(string code) => await FindAsync(code) ?? throw Unknown(code);

    /// <summary>
    /// The carrier filter of a page's query (<see cref="Accounts.CarrierScope.Filter"/>), refusing a code no carrier has
    /// with a 404 that says so. A carrier's reader naming any other code is refused by the scope first, the same for a
    /// missing carrier as for another's, so the check tells it nothing.
    /// </summary>
    public async Task<string?> FilterAsync(Accounts.CarrierScope scope, string? requested)
    {
        var code = scope.Filter(requested);
        if (code is not null && await FindAsync(code) is null)
            throw Unknown(code);
        return code;
    }

    public static InputException Unknown(string code) =>
        new("not_found", $"No carrier with code {code}.", StatusCodes.Status404NotFound) { Key = "Error.CarrierNotFound", Args = ["carrier", code] };

    public async Task<IReadOnlyList<Carrier>> ListAsync(string? onlyCode = null)
    {
        const string sql = """
            select id, code, name, contact_emails, contact_phone, active, created_at from carrier
            where @onlyCode::text is null or code = @onlyCode
            order by code
            """;
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Carrier>(sql, new { onlyCode = CarrierCodes.NormalizeOrNull(onlyCode) })).AsList();
    }

    private static string[] CheckEmails(IReadOnlyList<string> emails)
    {
        var cleaned = emails.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        foreach (var email in cleaned)
        {
            if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
                throw new InputException("invalid_email", $"'{email}' is not an e-mail address.") { Args = [email] };
        }
        return cleaned;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{1,19}$")]
    private static partial Regex CodePattern();
}
