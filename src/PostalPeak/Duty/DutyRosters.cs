using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Ingestion;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Duty;

/// <summary>One current roster row as the API and the pages show it; phones canonical, times with Vietnam's offset.</summary>
public sealed record RosterEntry(string CarrierCode, string CarrierName, DateOnly Date, string Shift, string ShiftName, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, string UnitCode, string LeaderName, string LeaderPosition, string LeaderPhone, string OperatorName, string OperatorPhone,
    string Hotline, [property: System.Text.Json.Serialization.JsonPropertyName("hotline_24h")] bool? Hotline24h, DateTime SubmittedAt, string SubmittedBy);

/// <summary>Who is on duty at a moment at one carrier: nobody (no roster covers it), or the rows whose shift holds it.</summary>
public sealed record CarrierOnDuty(string CarrierCode, string CarrierName, IReadOnlyList<RosterEntry> OnDuty);

/// <summary>What became of a roster file: accepted with its counts, or rejected with its line-numbered problems.</summary>
public sealed record RosterSubmission(long UploadId, string CarrierCode, string Status, int Rows, int New, int Replaced, int Unchanged,
    IReadOnlyList<Issue> Issues, int ErrorCount);

/// <summary>
/// A run-up or holiday day of one carrier as the reporting views show it: covered (a roster entry exists), missing (uncovered
/// past its deadline, the afternoon before), due (uncovered, deadline within <see cref="DutyOptions.RosterDueDays"/>) or later.
/// </summary>
public sealed record RosterDay(string CarrierCode, string CarrierName, DateOnly Date, string Phase, string Status, DateTimeOffset Deadline);

/// <summary>One carrier's roster compliance over a season: the days that need a roster so far, and which of them have none.</summary>
public sealed record RosterCompliance(string CarrierCode, string CarrierName, int Required, int Covered, int Missing,
    IReadOnlyList<DateOnly> MissingDays, IReadOnlyList<DateOnly> DueDays);

/// <summary>
/// The duty rosters: received as CSV (the raw file kept whatever its fate), stored one current row per carrier, day,
/// shift and unit, a replaced row moved to duty_roster_history; read back per season and per moment.
/// </summary>
public sealed class DutyRosters(NpgsqlDataSource db, IOptions<DutyOptions> options, IOptions<JobsOptions> jobs, IBackgroundJobClient jobClient)
{
    /// <summary>A season day as the roster rule reads it (SQL function duty_roster_days: which days need a roster, and which have one).</summary>
    public sealed record DutyDay(DateOnly DutyDate, string? Phase, bool Required, bool Covered);

    private const string EntryColumns = """
        c.code as carrier_code, c.name as carrier_name, r.duty_date, r.shift_start, r.shift_minutes, r.shift_name, r.unit_code,
        r.leader_name, r.leader_position, r.leader_phone, r.operator_name, r.operator_phone, r.hotline, r.hotline_24h,
        r.submitted_at, r.submitted_by
        """;

    private sealed record Stored(string CarrierCode, string CarrierName, DateOnly DutyDate, TimeOnly ShiftStart, int ShiftMinutes, string ShiftName,
        string UnitCode, string LeaderName, string LeaderPosition, string LeaderPhone, string OperatorName, string OperatorPhone, string Hotline,
        bool? Hotline24h, DateTime SubmittedAt, string SubmittedBy);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(jobs.Value.TimeZone);

    public long MaxBytes => options.Value.MaxRosterBytes;

    /// <summary>A file over the limit, refused before anything is stored.</summary>
    public InputException TooLarge(long size) => new(IssueCodes.TooLarge, string.Create(CultureInfo.InvariantCulture,
        $"The roster file is larger than the limit of {MaxBytes:N0} bytes. Split it into several files."), StatusCodes.Status413PayloadTooLarge)
    {
        Args = [new ByteSize(MaxBytes), new ByteSize(size)],
        Key = size > 0 ? "Error.too_large" : "Error.too_large_limit",
    };

    /// <summary>Reads the whole body, at most <see cref="MaxBytes"/>.</summary>
    public async Task<byte[]> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw TooLarge(buffer.Length + read);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Checks a roster file and, when it has no error, stores all its rows in one transaction: a row for a day, shift
    /// and unit already on file replaces it (the earlier one goes to the history) unless it is the same. The file is
    /// kept, with its problems, either way.
    /// </summary>
    public async Task<RosterSubmission> SubmitAsync(byte[] content, string originalName, string channel, string carrierCode, Actor actor,
        CancellationToken cancellationToken)
    {
        carrierCode = Carriers.CarrierCodes.Normalize(carrierCode);
        var issues = new IssueCollector();
        var rows = await RosterFile.ReadAsync(content, carrierCode, options.Value.MaxRosterRows, issues, cancellationToken);
        var name = string.IsNullOrWhiteSpace(originalName) ? "roster.csv" : Path.GetFileName(originalName.Trim());
        if (name.Length > 255)
            name = name[..255];
        if (name.Length == 0)
            name = "roster.csv";

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("select id from carrier where code = @carrierCode",
            new { carrierCode }, transaction, cancellationToken: cancellationToken)) ?? throw InputException.NotFound("carrier", carrierCode);
        var status = issues.HasErrors ? "rejected" : "accepted";
        var issuesJson = JsonSerializer.Serialize(issues.Kept.Where(i => i.Severity == IssueSeverity.Error)
            .Select(i => new { line = i.Line, column = i.Column, code = i.Code, args = i.Args }));
        var uploadId = await connection.QuerySingleAsync<long>(new CommandDefinition("""
            insert into duty_roster_upload (carrier_id, channel, original_name, size_bytes, sha256, content, actor, status, rows_total, error_count, issues)
            values (@carrierId, @channel, @name, @size, @hash, @content, @actor, @status, @rowsTotal, @errors, @issuesJson::jsonb)
            returning id
            """, new
        {
            carrierId, channel, name, size = (long)content.Length, hash = SHA256.HashData(content), content, actor = actor.Name, status,
            rowsTotal = rows.Count, errors = issues.ErrorCount, issuesJson,
        }, transaction, cancellationToken: cancellationToken));

        var (added, replaced, unchanged) = await WriteRowsAsync(connection, transaction, carrierId, rows, uploadId, actor, cancellationToken);
        if (status == "accepted")
            await connection.ExecuteAsync(new CommandDefinition(
                "update duty_roster_upload set rows_new = @added, rows_replaced = @replaced, rows_unchanged = @unchanged where id = @uploadId",
                new { added, replaced, unchanged, uploadId }, transaction, cancellationToken: cancellationToken));
        await AuditLog.WriteAsync(connection, transaction, actor, status == "accepted" ? "duty_roster.submit" : "duty_roster.reject", "duty_roster_upload",
            uploadId.ToString(CultureInfo.InvariantCulture), carrierId,
            new { name, size = content.Length, channel, rows = rows.Count, added, replaced, unchanged, errors = issues.ErrorCount });
        await transaction.CommitAsync(cancellationToken);
        if (status == "accepted")
            EndCoveredRosterAlerts(uploadId);
        return new RosterSubmission(uploadId, carrierCode, status, rows.Count, added, replaced, unchanged,
            issues.Kept.Where(i => i.Severity == IssueSeverity.Error).ToList(), issues.ErrorCount);
    }

    /// <summary>
    /// Checks roster entries typed on the page or sent as JSON, by the rules of a file's rows, and when none has an
    /// error stores them all in one transaction, as a file's rows are stored. The checked entries are kept as JSON
    /// beside the files. Entries with an error store nothing at all. <paramref name="labels"/> names the fields in
    /// the messages (the page's column headings); the canonical names otherwise.
    /// </summary>
    public async Task<RosterSubmission> SaveAsync(IReadOnlyList<(int Line, IReadOnlyDictionary<string, string?> Fields)> entries, string channel,
        string carrierCode, Actor actor, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        carrierCode = Carriers.CarrierCodes.Normalize(carrierCode);
        var issues = new IssueCollector();
        issues.NameColumns(labels ?? RosterFile.Columns.Append(RosterFile.CarrierCode).ToDictionary(c => c, c => c, StringComparer.Ordinal));
        var rows = RosterFile.Check(entries, carrierCode, options.Value.MaxRosterRows, issues);
        if (issues.HasErrors)
            return new RosterSubmission(0, carrierCode, "rejected", entries.Count, 0, 0, 0,
                issues.Kept.Where(i => i.Severity == IssueSeverity.Error).ToList(), issues.ErrorCount);

        var content = JsonSerializer.SerializeToUtf8Bytes(rows.Select(r => new Dictionary<string, object?>
        {
            [RosterFile.Date] = r.Date, [RosterFile.Shift] = r.Shift.Text, [RosterFile.LeaderName] = r.LeaderName,
            [RosterFile.LeaderPosition] = r.LeaderPosition, [RosterFile.LeaderPhone] = r.LeaderPhone, [RosterFile.OperatorName] = r.OperatorName,
            [RosterFile.OperatorPhone] = r.OperatorPhone, [RosterFile.Hotline] = r.Hotline, [RosterFile.Hotline24h] = r.Hotline24h,
            [RosterFile.UnitCode] = r.UnitCode,
        }));
        var name = channel == "web" ? "roster-page.json" : "roster-api.json";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("select id from carrier where code = @carrierCode",
            new { carrierCode }, transaction, cancellationToken: cancellationToken)) ?? throw InputException.NotFound("carrier", carrierCode);
        var uploadId = await connection.QuerySingleAsync<long>(new CommandDefinition("""
            insert into duty_roster_upload (carrier_id, channel, format, original_name, size_bytes, sha256, content, actor, status, rows_total)
            values (@carrierId, @channel, 'json', @name, @size, @hash, @content, @actor, 'accepted', @rowsTotal)
            returning id
            """, new
        {
            carrierId, channel, name, size = (long)content.Length, hash = SHA256.HashData(content), content, actor = actor.Name, rowsTotal = rows.Count,
        }, transaction, cancellationToken: cancellationToken));
        var (added, replaced, unchanged) = await WriteRowsAsync(connection, transaction, carrierId, rows, uploadId, actor, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update duty_roster_upload set rows_new = @added, rows_replaced = @replaced, rows_unchanged = @unchanged where id = @uploadId",
            new { added, replaced, unchanged, uploadId }, transaction, cancellationToken: cancellationToken));
        await AuditLog.WriteAsync(connection, transaction, actor, "duty_roster.submit", "duty_roster_upload",
            uploadId.ToString(CultureInfo.InvariantCulture), carrierId,
            new { name, size = content.Length, channel, format = "json", rows = rows.Count, added, replaced, unchanged, errors = 0 });
        await transaction.CommitAsync(cancellationToken);
        EndCoveredRosterAlerts(uploadId);
        return new RosterSubmission(uploadId, carrierCode, "accepted", rows.Count, added, replaced, unchanged, [], 0);
    }

    /// <summary>A day just covered ends its duty_roster_missing alert now, not at the next scheduled evaluation.</summary>
    private void EndCoveredRosterAlerts(long uploadId) =>
        jobClient.Enqueue<Alerts.AlertEvaluator>(e => e.EvaluateAfterRosterAsync(uploadId, CancellationToken.None));

    /// <summary>
    /// Stores checked rows in the caller's transaction: a row for a day, shift and unit already on file replaces it
    /// (the earlier one goes to the history) unless it is the same, which is left as it was.
    /// </summary>
    private static async Task<(int Added, int Replaced, int Unchanged)> WriteRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        int carrierId, IReadOnlyList<RosterRow> rows, long uploadId, Actor actor, CancellationToken cancellationToken)
    {
        int added = 0, replaced = 0, unchanged = 0;
        foreach (var row in rows)
        {
            var key = new
            {
                carrierId, date = row.Date, start = row.Shift.Start, minutes = row.Shift.Minutes, unit = row.UnitCode,
                shiftName = row.Shift.Name, row.LeaderName, row.LeaderPosition, row.LeaderPhone, row.OperatorName, row.OperatorPhone, row.Hotline,
                row.Hotline24h, uploadId, actor = actor.Name,
            };
            // The earlier row, moved to the history when it differs; unchanged rows are left as they were.
            var outcome = await connection.QuerySingleAsync<string>(new CommandDefinition("""
                with earlier as (
                    select * from duty_roster
                    where carrier_id = @carrierId and duty_date = @date and shift_start = @start and shift_minutes = @minutes and unit_code = @unit
                    for update
                ), same as (
                    select 1 from earlier e
                    where e.shift_name = @shiftName and e.leader_name = @LeaderName and e.leader_position = @LeaderPosition
                      and e.leader_phone = @LeaderPhone and e.operator_name = @OperatorName and e.operator_phone = @OperatorPhone
                      and e.hotline = @Hotline and e.hotline_24h is not distinct from @Hotline24h
                ), kept as (
                    insert into duty_roster_history (carrier_id, duty_date, shift_start, shift_minutes, unit_code, shift_name, leader_name,
                        leader_position, leader_phone, operator_name, operator_phone, hotline, hotline_24h, upload_id, submitted_by, submitted_at,
                        replaced_by, replaced_by_upload_id)
                    select e.carrier_id, e.duty_date, e.shift_start, e.shift_minutes, e.unit_code, e.shift_name, e.leader_name, e.leader_position,
                        e.leader_phone, e.operator_name, e.operator_phone, e.hotline, e.hotline_24h, e.upload_id, e.submitted_by, e.submitted_at,
                        @actor, @uploadId
                    from earlier e where not exists (select 1 from same)
                    returning 1
                ), written as (
                    insert into duty_roster (carrier_id, duty_date, shift_start, shift_minutes, unit_code, shift_name, leader_name, leader_position,
                        leader_phone, operator_name, operator_phone, hotline, hotline_24h, upload_id, submitted_by)
                    select @carrierId, @date, @start, @minutes, @unit, @shiftName, @LeaderName, @LeaderPosition, @LeaderPhone, @OperatorName,
                        @OperatorPhone, @Hotline, @Hotline24h, @uploadId, @actor
                    where not exists (select 1 from same)
                    on conflict (carrier_id, duty_date, shift_start, shift_minutes, unit_code) do update set
                        shift_name = excluded.shift_name, leader_name = excluded.leader_name, leader_position = excluded.leader_position,
                        leader_phone = excluded.leader_phone, operator_name = excluded.operator_name, operator_phone = excluded.operator_phone,
                        hotline = excluded.hotline, hotline_24h = excluded.hotline_24h, upload_id = excluded.upload_id,
                        submitted_by = excluded.submitted_by, submitted_at = now()
                    returning 1
                )
                select case when exists (select 1 from same) then 'unchanged' when exists (select 1 from kept) then 'replaced' else 'new' end
                """, key, transaction, cancellationToken: cancellationToken));
            switch (outcome)
            {
                case "new": added++; break;
                case "replaced": replaced++; break;
                default: unchanged++; break;
            }
        }
        return (added, replaced, unchanged);
    }

    /// <summary>The current rows of the days from and to (both included), of one carrier or (null) every carrier, by day, carrier and shift.</summary>
    public async Task<IReadOnlyList<RosterEntry>> ListAsync(string? carrierCode, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Stored>(new CommandDefinition($"""
            select {EntryColumns}
            from duty_roster r join carrier c on c.id = r.carrier_id
            where r.duty_date between @from and @to and (@carrierCode::text is null or c.code = @carrierCode)
            order by r.duty_date, c.code, r.shift_start, r.unit_code
            """, new { carrierCode, from, to }, cancellationToken: cancellationToken));
        return rows.Select(Entry).ToList();
    }

    /// <summary>
    /// Who is on duty at <paramref name="at"/>, per active carrier (of <paramref name="carrierCode"/>, or every one):
    /// the rows whose shift, on its day in Vietnam time, holds the moment. A night shift of yesterday still counts
    /// until it ends this morning. A carrier that no roster covers is listed with nobody.
    /// </summary>
    public async Task<IReadOnlyList<CarrierOnDuty>> OnDutyAsync(string? carrierCode, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone).DateTime;
        var today = DateOnly.FromDateTime(local);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var carriers = await connection.QueryAsync<(string Code, string Name)>(new CommandDefinition("""
            select code, name from carrier where active and (@carrierCode::text is null or code = @carrierCode) order by code
            """, new { carrierCode }, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<Stored>(new CommandDefinition($"""
            select {EntryColumns}
            from duty_roster r join carrier c on c.id = r.carrier_id
            where r.duty_date between @yesterday and @today and (@carrierCode::text is null or c.code = @carrierCode)
              and r.duty_date + r.shift_start <= @local and @local < r.duty_date + r.shift_start + make_interval(mins => r.shift_minutes)
            order by c.code, r.unit_code, r.shift_start
            """, new { carrierCode, yesterday = today.AddDays(-1), today, local }, cancellationToken: cancellationToken))).Select(Entry).ToList();
        return carriers.Select(c => new CarrierOnDuty(c.Code, c.Name, rows.Where(r => r.CarrierCode == c.Code).ToList())).ToList();
    }

    /// <summary>The moment a day's roster is due: <see cref="DutyOptions.RosterDeadlineHour"/> on the day before, Vietnam time.</summary>
    public DateTimeOffset DeadlineOf(DateOnly day) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.AddDays(-1).ToDateTime(new TimeOnly(options.Value.RosterDeadlineHour, 0)), Zone), TimeSpan.Zero);

    /// <summary>
    /// The days the roster rule judges for one carrier: every day of the seasons not yet over on <paramref name="today"/>, so that
    /// last season's days (before rosters were kept here) raise nothing, and the day after an uncovered run ends its alert.
    /// </summary>
    public static async Task<IReadOnlyList<DutyDay>> DaysToJudgeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int carrierId,
        DateOnly today, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DutyDay>(new CommandDefinition("""
            select d.duty_date, d.phase, d.required, d.covered
            from duty_roster_days(@carrierId, null, null) d join season s on s.year = d.season
            where s.tet_date + s.to_offset >= @today
            order by d.duty_date
            """, new { carrierId, today }, transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>The run-up and holiday days of a season, per active carrier (of <paramref name="carrierCode"/>, or every one), with their status at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<RosterDay>> CoverageAsync(int season, string? carrierCode, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var days = await connection.QueryAsync<(string Code, string Name, DateOnly Date, string Phase, bool Covered)>(new CommandDefinition("""
            select c.code, c.name, d.duty_date, d.phase, d.covered
            from duty_roster_days(null, null, null) d join carrier c on c.id = d.carrier_id
            where d.season = @season and d.required and (@carrierCode::text is null or c.code = @carrierCode)
            order by c.code, d.duty_date
            """, new { season, carrierCode = Carriers.CarrierCodes.NormalizeOrNull(carrierCode) }, cancellationToken: cancellationToken));
        var dueBy = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime).AddDays(options.Value.RosterDueDays);
        return days.Select(d =>
        {
            var deadline = DeadlineOf(d.Date);
            var status = d.Covered ? "covered" : deadline <= now ? "missing" : d.Date <= dueBy ? "due" : "later";
            return new RosterDay(d.Code, d.Name, d.Date, d.Phase, status, TimeZoneInfo.ConvertTime(deadline, Zone));
        }).ToList();
    }

    /// <summary>Per carrier: the days due by <paramref name="now"/> (past their deadline), how many are covered, and the uncovered ones, missing or coming due.</summary>
    public static IReadOnlyList<RosterCompliance> Summarise(IEnumerable<RosterDay> days, DateTimeOffset now) =>
        days.GroupBy(d => (d.CarrierCode, d.CarrierName)).Select(g => new RosterCompliance(g.Key.CarrierCode, g.Key.CarrierName,
            g.Count(d => d.Deadline <= now), g.Count(d => d.Deadline <= now && d.Status == "covered"), g.Count(d => d.Status == "missing"),
            g.Where(d => d.Status == "missing").Select(d => d.Date).ToList(), g.Where(d => d.Status == "due").Select(d => d.Date).ToList()))
            .ToList();

    private RosterEntry Entry(Stored row)
    {
        var shift = new DutyShift(row.ShiftName, row.ShiftStart, row.ShiftMinutes);
        var (start, end) = shift.On(row.DutyDate, Zone);
        return new RosterEntry(row.CarrierCode, row.CarrierName, row.DutyDate, shift.Text, shift.Name, start, end, row.UnitCode, row.LeaderName,
            row.LeaderPosition, row.LeaderPhone, row.OperatorName, row.OperatorPhone, row.Hotline, row.Hotline24h,
            DateTime.SpecifyKind(row.SubmittedAt, DateTimeKind.Utc), row.SubmittedBy);
    }

    /// <summary>The message of a roster problem in the reader's language: Text.resx's <c>Duty.Issue.{code}</c> with its args.</summary>
    public static string Message(IStringLocalizer<Text> text, Issue issue)
    {
        var template = text["Duty.Issue." + issue.Code];
        if (template.ResourceNotFound)
            return issue.Code;
        var message = template.Value;
        foreach (var (name, value) in issue.Args)
            message = message.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return message;
    }
}
