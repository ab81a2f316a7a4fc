using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Incidents;

/// <summary>
/// An incident as the API answers it: the reported fields first, then what PostalPeak adds. A class rather than a
/// positional record: Dapper fills the text[] of unit codes through a property, not a constructor.
/// </summary>
public sealed class Incident
{
    public string Type { get; init; } = "";
    public string Severity { get; init; } = "";
    public DateTime StartedAt { get; init; }
    public string[] UnitCodes { get; init; } = [];
    /// <summary>The units' names, in the order of <see cref="UnitCodes"/>: what people read; the API keeps to the codes.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public string[] UnitNames { get; init; } = [];
    public int? ParcelsAffected { get; init; }
    public string Description { get; init; } = "";
    public string? Actions { get; init; }
    public string Contact { get; init; } = "";
    public long Id { get; init; }
    public string State { get; init; } = "";
    public string CarrierCode { get; init; } = "";
    public string CarrierName { get; init; } = "";
    public string ReportedBy { get; init; } = "";
    public DateTime ReportedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? AcknowledgedAt { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public DateTime? ClosedAt { get; init; }
}

/// <summary>One entry of the timeline; a state change has <paramref name="StateFrom"/> and <paramref name="StateTo"/>.</summary>
public sealed record IncidentUpdate(long Id, string Author, string Side, string Text, string? StateFrom, string? StateTo, DateTime At);

/// <summary>An attachment's description; <paramref name="Url"/> serves its bytes to those who may see the incident.</summary>
public sealed record IncidentAttachment(int Number, long? UpdateId, string FileName, string ContentType, long SizeBytes, DateTime AddedAt, string Url);

/// <param name="Alerts">The alerts the incident relates to (<see cref="IncidentLinks"/>); the API gives their ids.</param>
public sealed record IncidentDetail(Incident Incident, IReadOnlyList<IncidentUpdate> Timeline, IReadOnlyList<IncidentAttachment> Attachments,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<RelatedAlert> Alerts)
{
    public IReadOnlyList<long> RelatedAlerts => [.. Alerts.Select(a => a.Id)];
}

public sealed record IncidentFile(string FileName, string ContentType, byte[] Content);

/// <param name="Season">A season's year: incidents that started within its window (Vietnam days).</param>
/// <param name="From">First Vietnam day of the start, included.</param>
/// <param name="To">Last Vietnam day of the start, included.</param>
public sealed record IncidentFilter(string? CarrierCode, string? State, int? Season, DateOnly? From, DateOnly? To, int Limit = 500);

/// <summary>
/// Incidents in PostgreSQL: reporting (with the department's notice written to the outbox in the same transaction),
/// the timeline, state changes and attachments. Every read takes the caller's <see cref="CarrierScope"/>: another
/// carrier's incident is answered exactly as a missing one.
/// </summary>
public sealed class IncidentStore(NpgsqlDataSource db, IOptions<IncidentsOptions> options, IOptions<JobsOptions> jobs,
    IOptions<NotificationOptions> notifications, IBackgroundJobClient jobClient, TimeProvider clock)
{
    private const string Columns = """
        i.type, i.severity, i.started_at, i.unit_codes, i.parcels_affected, i.description, i.actions, i.contact, i.id, i.state,
        c.code as carrier_code, c.name as carrier_name, i.reported_by, i.reported_at, i.updated_at, i.acknowledged_at, i.resolved_at, i.closed_at,
        array(select coalesce(unit_name(u.code), u.code) from unnest(i.unit_codes) with ordinality as u(code, n) order by u.n) as unit_names
        """;

    public IncidentsOptions Options => options.Value;

    public string TimeZone => jobs.Value.TimeZone;

    public static string Side(CarrierScope scope) => scope.EveryCarrier ? "department" : "carrier";

    /// <summary>Checks and stores a report with its files, writes the department's notice to the outbox, and queues its delivery.</summary>
    public async Task<Incident> ReportAsync(string carrierCode, IncidentInput input, IReadOnlyList<IncomingFile> files, Actor actor,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var type = input.Type?.Trim() ?? "";
        if (!IncidentVocabulary.Types.Contains(type, StringComparer.Ordinal))
            throw new InputException("incident_invalid_type", $"type must be one of {string.Join(", ", IncidentVocabulary.Types)}, not '{type}'.")
                { Args = [type], Parameter = "type" };
        var severity = input.Severity?.Trim() ?? "";
        if (!IncidentVocabulary.Severities.Contains(severity, StringComparer.Ordinal))
            throw new InputException("incident_invalid_severity", $"severity must be info, warning or critical, not '{severity}'.")
                { Args = [severity], Parameter = "severity" };
        var startedAt = input.CheckStartedAt(jobs.Value.TimeZone, clock.GetUtcNow().UtcDateTime);
        var description = Required(input.Description, "description", IncidentInput.MaxTextLength);
        var contact = Required(input.Contact, "contact", IncidentInput.MaxContactLength);
        var actions = string.IsNullOrWhiteSpace(input.Actions) ? null : Limit(input.Actions.Trim(), "actions", IncidentInput.MaxTextLength);
        if (input.ParcelsAffected < 0)
            throw new InputException("incident_negative_parcels", "parcels_affected cannot be negative.") { Parameter = "parcels_affected" };
        var units = (input.UnitCodes ?? []).Select(u => u.Trim()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        var checkedFiles = CheckFiles(files);

        await using var connection = await db.OpenConnectionAsync(ct);
        var unknown = (await connection.QueryAsync<string>(new CommandDefinition("""
            select t.code from unnest(@units) as t(code) where not exists (select 1 from admin_unit u where u.code = t.code) order by t.code
            """, new { units }, cancellationToken: ct))).AsList();
        if (unknown.Count > 0)
            throw new InputException("incident_unknown_units", $"No administrative unit has the code {string.Join(", ", unknown)}.")
                { Args = [string.Join(", ", unknown)], Parameter = "unit_codes" };

        await using var transaction = await connection.BeginTransactionAsync(ct);
        const string insertSql = """
            insert into incident (carrier_id, type, severity, started_at, unit_codes, parcels_affected, description, actions, contact, reported_by)
            select c.id, @type, @severity, @startedAt, @units, @ParcelsAffected, @description, @actions, @contact, @Name
            from carrier c where c.code = @carrierCode
            returning id, carrier_id
            """;
        var created = await connection.QuerySingleOrDefaultAsync<(long Id, int CarrierId)>(new CommandDefinition(insertSql, new
        {
            type, severity, startedAt, units, input.ParcelsAffected, description, actions, contact, actor.Name, carrierCode,
        }, transaction, cancellationToken: ct));
        if (created.Id == 0)
            throw new InputException("unknown_carrier", $"No carrier '{carrierCode}'.") { Args = [carrierCode] };
        await AddAttachmentsAsync(connection, transaction, created.Id, null, checkedFiles, actor, ct);
        var incident = await GetAsync(connection, transaction, created.Id, ct);
        await AuditLog.WriteAsync(connection, transaction, actor, "incident.report", "incident", created.Id.ToString(CultureInfo.InvariantCulture),
            created.CarrierId, new { type, severity, started_at = startedAt, unit_codes = units, attachments = checkedFiles.Count });
        var ids = await IncidentMessages.AddToOutboxAsync(connection, transaction, incident, notifications.Value, jobs.Value.TimeZone, ct);
        await transaction.CommitAsync(ct);
        Outbox.Dispatch(jobClient, ids);
        return incident;
    }

    public async Task<IReadOnlyList<Incident>> ListAsync(IncidentFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.State is { } state && !IncidentVocabulary.States.Contains(state, StringComparer.Ordinal))
            throw new InputException("incident_invalid_state", $"state must be one of {string.Join(", ", IncidentVocabulary.States)}, not '{state}'.")
                { Args = [state], Parameter = "state" };
        var sql = $"""
            select {Columns}
            from incident i join carrier c on c.id = i.carrier_id
            left join season s on s.year = @Season
            where (@CarrierCode::text is null or c.code = @CarrierCode)
              and (@State::text is null or i.state = @State)
              and (@Season::integer is null or (i.started_at >= (s.tet_date + s.from_offset)::timestamp at time zone @zone
                                                and i.started_at < (s.tet_date + s.to_offset + 1)::timestamp at time zone @zone))
              and (@From::date is null or i.started_at >= @From::date::timestamp at time zone @zone)
              and (@To::date is null or i.started_at < (@To::date + 1)::timestamp at time zone @zone)
            order by i.started_at desc, i.id desc
            limit @Limit
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Incident>(new CommandDefinition(sql, new
        {
            filter.CarrierCode, filter.State, filter.Season, filter.From, filter.To, filter.Limit, zone = jobs.Value.TimeZone,
        }, cancellationToken: ct))).AsList();
    }

    /// <summary>The incidents not resolved yet, worst and newest first: what the overview and the home page put in front of people.</summary>
    public async Task<IReadOnlyList<Incident>> OpenAsync(string? carrierCode, int limit, CancellationToken ct = default)
    {
        var sql = $"""
            select {Columns}
            from incident i join carrier c on c.id = i.carrier_id
            where i.state not in ('resolved', 'closed') and (@carrierCode::text is null or c.code = @carrierCode)
            order by case i.severity when 'critical' then 0 when 'warning' then 1 else 2 end, i.started_at desc, i.id desc
            limit @limit
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Incident>(new CommandDefinition(sql, new { carrierCode, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Every carrier's incidents of one Vietnam day, for the digest: those reported on it and those open at some time of it
    /// (its days, <c>incident_days</c>, include it), worst first.
    /// </summary>
    public static async Task<IReadOnlyList<Incident>> OfDayAsync(NpgsqlConnection connection, DateOnly day, string zone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sql = $"""
            select {Columns}
            from incident i join carrier c on c.id = i.carrier_id
            where incident_days(i, @zone) @> @day or (i.reported_at at time zone @zone)::date = @day
            order by case i.severity when 'critical' then 0 when 'warning' then 1 else 2 end, i.started_at, i.id
            """;
        return (await connection.QueryAsync<Incident>(new CommandDefinition(sql, new { day, zone }, cancellationToken: ct))).AsList();
    }

    /// <summary>The incident with its timeline and attachments, or <see cref="InputException.NotFound"/> when missing or another carrier's.</summary>
    public async Task<IncidentDetail> GetForAsync(long id, CarrierScope scope, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var incident = await VisibleAsync(connection, null, id, scope, ct);
        var timeline = (await connection.QueryAsync<IncidentUpdate>(new CommandDefinition("""
            select id, author, side, text, state_from, state_to, at from incident_update where incident_id = @id order by id
            """, new { id }, cancellationToken: ct))).AsList();
        var attachments = (await connection.QueryAsync<(int Number, long? UpdateId, string FileName, string ContentType, long SizeBytes, DateTime AddedAt)>(
            new CommandDefinition("""
                select number, update_id, file_name, content_type, size_bytes, added_at from incident_attachment where incident_id = @id order by number
                """, new { id }, cancellationToken: ct)))
            .Select(a => new IncidentAttachment(a.Number, a.UpdateId, a.FileName, a.ContentType, a.SizeBytes, a.AddedAt, AttachmentUrl(id, a.Number)))
            .ToList();
        return new IncidentDetail(incident, timeline, attachments, await IncidentLinks.ForIncidentAsync(connection, id, jobs.Value.TimeZone, ct));
    }

    public static string AttachmentUrl(long id, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/v1/incidents/{id}/attachments/{number}");

    /// <summary>An attachment's bytes, only for those who may see its incident; otherwise not found, as a missing one.</summary>
    public async Task<IncidentFile> AttachmentForAsync(long id, int number, CarrierScope scope, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await VisibleAsync(connection, null, id, scope, ct);
        return await connection.QuerySingleOrDefaultAsync<IncidentFile>(new CommandDefinition("""
                select file_name, content_type, content from incident_attachment where incident_id = @id and number = @number
                """, new { id, number }, cancellationToken: ct))
            ?? throw InputException.NotFound("attachment", string.Create(CultureInfo.InvariantCulture, $"{id}/{number}"));
    }

    /// <summary>Adds an entry, with an optional file, to the timeline of an incident the caller may see.</summary>
    public async Task<IncidentUpdate> AddUpdateAsync(long id, CarrierScope scope, string? text, IncomingFile? file, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Whether the caller may see the incident comes first: bad input about another carrier's incident is still "not found".
        var incident = await VisibleAsync(connection, transaction, id, scope, ct, forUpdate: true);
        var note = Required(text, "text", IncidentInput.MaxTextLength);
        var checkedFiles = CheckFiles(file is null ? [] : [file]);
        var update = await InsertUpdateAsync(connection, transaction, id, actor, Side(scope), note, null, null, ct);
        await AddAttachmentsAsync(connection, transaction, id, update.Id, checkedFiles, actor, ct);
        await connection.ExecuteAsync(new CommandDefinition("update incident set updated_at = now() where id = @id", new { id }, transaction, cancellationToken: ct));
        await AuditLog.WriteAsync(connection, transaction, actor, "incident.update", "incident", id.ToString(CultureInfo.InvariantCulture),
            await CarrierIdAsync(connection, transaction, incident.CarrierCode, ct), new { update_id = update.Id, attachments = checkedFiles.Count });
        await transaction.CommitAsync(ct);
        return update;
    }

    /// <summary>
    /// Moves an incident one step along its lifecycle. A step that is not the next one is 409 <c>incident_invalid_transition</c>;
    /// acknowledging and closing are the department's (403 <c>incident_department_only</c> for a carrier).
    /// </summary>
    public async Task<Incident> ChangeStateAsync(long id, CarrierScope scope, string? state, string? note, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(actor);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Whether the caller may see the incident comes first: bad input about another carrier's incident is still "not found".
        var incident = await VisibleAsync(connection, transaction, id, scope, ct, forUpdate: true);
        var to = state?.Trim() ?? "";
        if (!IncidentVocabulary.States.Contains(to, StringComparer.Ordinal))
            throw new InputException("incident_invalid_state", $"state must be one of {string.Join(", ", IncidentVocabulary.States)}, not '{to}'.")
                { Args = [to], Parameter = "state" };
        var text = string.IsNullOrWhiteSpace(note) ? "" : Limit(note.Trim(), "note", IncidentInput.MaxTextLength);
        if (!IncidentVocabulary.IsMove(incident.State, to))
            throw new InputException("incident_invalid_transition", $"An incident that is {incident.State} cannot become {to}.", StatusCodes.Status409Conflict)
                { Args = [incident.State, to], Parameter = "state" };
        if (IncidentVocabulary.DepartmentOnly(to) && !scope.EveryCarrier)
            throw new InputException("incident_department_only", $"Only the department may make an incident {to}.", StatusCodes.Status403Forbidden)
                { Args = [to], Parameter = "state" };
        const string sql = """
            update incident set state = @to, updated_at = now(),
                acknowledged_at = case when @to = 'acknowledged' then now() else acknowledged_at end,
                resolved_at = case when @to = 'resolved' then now() else resolved_at end,
                closed_at = case when @to = 'closed' then now() else closed_at end
            where id = @id
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, to }, transaction, cancellationToken: ct));
        await InsertUpdateAsync(connection, transaction, id, actor, Side(scope), text, incident.State, to, ct);
        await AuditLog.WriteAsync(connection, transaction, actor, "incident.state", "incident", id.ToString(CultureInfo.InvariantCulture),
            await CarrierIdAsync(connection, transaction, incident.CarrierCode, ct), new { from = incident.State, to, note = text });
        var changed = await GetAsync(connection, transaction, id, ct);
        await transaction.CommitAsync(ct);
        return changed;
    }

    private static string Required(string? text, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(text)
            ? throw new InputException($"incident_{field}_required", $"{field} is required.") { Parameter = field }
            : Limit(text.Trim(), field, maxLength);

    private static string Limit(string text, string field, int maxLength) =>
        text.Length <= maxLength ? text
            : throw new InputException("incident_text_too_long", $"{field} is longer than {maxLength} characters.") { Args = [field, maxLength], Parameter = field };

    private List<(IncomingFile File, string ContentType)> CheckFiles(IReadOnlyList<IncomingFile> files)
    {
        if (files.Count > options.Value.MaxAttachmentsPerRequest)
            throw new InputException("incident_too_many_files", $"At most {options.Value.MaxAttachmentsPerRequest} files at a time.")
                { Args = [options.Value.MaxAttachmentsPerRequest] };
        return files.Select(f => (f, AttachmentSniffer.Check(f, options.Value.MaxAttachmentBytes))).ToList();
    }

    private static async Task AddAttachmentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, long? updateId,
        List<(IncomingFile File, string ContentType)> files, Actor actor, CancellationToken ct)
    {
        const string sql = """
            insert into incident_attachment (incident_id, number, update_id, file_name, content_type, size_bytes, sha256, content, added_by)
            values (@id, (select coalesce(max(number), 0) + 1 from incident_attachment where incident_id = @id), @updateId, @FileName, @ContentType,
                    @Size, @Hash, @Content, @Name)
            """;
        foreach (var (file, contentType) in files)
            await connection.ExecuteAsync(new CommandDefinition(sql, new
            {
                id, updateId, FileName = Path.GetFileName(file.FileName), ContentType = contentType, Size = (long)file.Content.Length,
                Hash = SHA256.HashData(file.Content), file.Content, actor.Name,
            }, transaction, cancellationToken: ct));
    }

    private static async Task<IncidentUpdate> InsertUpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, Actor actor,
        string side, string text, string? from, string? to, CancellationToken ct) =>
        await connection.QuerySingleAsync<IncidentUpdate>(new CommandDefinition("""
            insert into incident_update (incident_id, author, side, text, state_from, state_to) values (@id, @Name, @side, @text, @from, @to)
            returning id, author, side, text, state_from, state_to, at
            """, new { id, actor.Name, side, text, from, to }, transaction, cancellationToken: ct));

    private static Task<int?> CarrierIdAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string carrierCode, CancellationToken ct) =>
        connection.ExecuteScalarAsync<int?>(new CommandDefinition("select id from carrier where code = @carrierCode", new { carrierCode }, transaction,
            cancellationToken: ct));

    internal static async Task<Incident> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, CancellationToken ct) =>
        await connection.QuerySingleAsync<Incident>(new CommandDefinition(
            $"select {Columns} from incident i join carrier c on c.id = i.carrier_id where i.id = @id", new { id }, transaction, cancellationToken: ct));

    /// <summary>The incident if the caller may see it; missing and another carrier's are the same 404.</summary>
    private static async Task<Incident> VisibleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, CarrierScope scope,
        CancellationToken ct, bool forUpdate = false)
    {
        var sql = $"""
            select {Columns} from incident i join carrier c on c.id = i.carrier_id
            where i.id = @id and (@every or c.code = @own)
            {(forUpdate ? "for update of i" : "")}
            """;
        return await connection.QuerySingleOrDefaultAsync<Incident>(new CommandDefinition(sql, new { id, every = scope.EveryCarrier, own = scope.Own ?? "" },
                   transaction, cancellationToken: ct))
               ?? throw InputException.NotFound("incident", id.ToString(CultureInfo.InvariantCulture));
    }
}
