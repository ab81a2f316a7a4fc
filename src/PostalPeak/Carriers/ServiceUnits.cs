using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Carriers;

/// <summary>One administrative unit of a carrier's service list, with its name.</summary>
public sealed record ServiceUnit
{
    public string UnitCode { get; init; } = "";
    /// <summary>The unit's latest name (<c>unit_name()</c>); null for a code the reference data does not hold.</summary>
    public string? UnitName { get; init; }
    /// <summary>Whether the unit is in force today (a declared unit may have ended since, or start later).</summary>
    public bool InForce { get; init; }
    /// <summary>When and by whom a declared unit was added; null for a derived one.</summary>
    public DateTime? DeclaredAt { get; init; }
    public string? DeclaredBy { get; init; }
}

/// <summary>
/// A carrier's service units as the API and the page show them. <see cref="Source"/> is <c>declared</c> when the
/// department declared a list (<see cref="Declared"/>), else <c>derived</c>. <see cref="Units"/> is the list in effect:
/// the declared units in force today, or the units in force the carrier reported in the 7 days up to its latest
/// report (<see cref="ReportsFrom"/> … <see cref="ReportsThrough"/>), which is what <c>report_coverage()</c> expects
/// of it on the day after that report.
/// </summary>
public sealed record CarrierServiceUnits(
    string CarrierCode,
    string Source,
    IReadOnlyList<ServiceUnit> Declared,
    IReadOnlyList<ServiceUnit> Units,
    DateOnly? ReportsFrom,
    DateOnly? ReportsThrough)
{
    public const string DeclaredSource = "declared";
    public const string DerivedSource = "derived";
    public bool IsDeclared => Source == DeclaredSource;
}

/// <summary>
/// The units a carrier reports for (issue 14, design section 4). The department declares the whole list at once; an
/// empty list means "derive it from the reports". Compliance, coverage and the missing-report rule read the list
/// through the SQL function <c>report_coverage()</c>; this class only reads and replaces it, and shows the derived one.
/// </summary>
public sealed class ServiceUnits(NpgsqlDataSource db, TimeProvider clock, IOptions<JobsOptions> jobs)
{
    /// <summary>More than the province has units in force: a longer list is a mistake, not a declaration.</summary>
    public const int MaxUnits = 500;

    /// <summary>The days before and including a carrier's latest report that make its derived list.</summary>
    public const int DerivedDays = 7;

    private DateOnly Today => clock.TodayIn(jobs.Value.TimeZone);

    public async Task<CarrierServiceUnits> GetAsync(string carrierCode)
    {
        var code = CarrierCodes.Normalize(carrierCode);
        await using var connection = await db.OpenConnectionAsync();
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @code", new { code })
            ?? throw InputException.NotFound("carrier", code);
        return await ReadAsync(connection, null, carrierId, code);
    }

    /// <summary>
    /// Replaces the carrier's declared list by <paramref name="unitCodes"/> (blanks dropped, duplicates folded). Every
    /// code must name an administrative unit in force today or later; an empty list clears the declaration, so the
    /// list is derived from the reports again. Units kept from the previous list keep when and by whom they were added.
    /// </summary>
    public async Task<CarrierServiceUnits> ReplaceAsync(string carrierCode, IReadOnlyList<string?>? unitCodes, Actor actor)
    {
        if (unitCodes is null)
            throw new InputException("units_required",
                "Send the whole list as \"units\": an array of unit codes; an empty array means the list is derived from the reports.")
            { Parameter = "units" };
        var codes = unitCodes.Select(c => c?.Trim() ?? "").Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (codes.Length > MaxUnits)
            throw new InputException("too_many_units", $"A carrier serves at most {MaxUnits} units; {codes.Length} were sent.") { Args = [MaxUnits, codes.Length], Parameter = "units" };

        var code = CarrierCodes.Normalize(carrierCode);
        var today = Today;
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The carrier row's lock orders two declarations for the same carrier: the later one wins whole.
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @code for update", new { code }, transaction)
            ?? throw InputException.NotFound("carrier", code);

        const string check = """
            select c.code,
                   exists (select 1 from admin_unit u where u.code = c.code) as known,
                   exists (select 1 from admin_unit u where u.code = c.code and (u.valid_to is null or u.valid_to >= @today)) as current,
                   unit_name(c.code) as name
            from unnest(@codes::text[]) as c(code)
            order by c.code
            """;
        var checkedCodes = (await connection.QueryAsync<(string Code, bool Known, bool Current, string? Name)>(
            check, new { codes, today }, transaction)).AsList();
        var unknown = checkedCodes.Where(c => !c.Known).Select(c => c.Code).ToList();
        if (unknown.Count > 0)
        {
            var list = string.Join(", ", unknown);
            throw new InputException("unknown_units", $"No administrative unit has the code {list}; check the codes against the unit list.")
            { Args = [list, unknown.Count], Parameter = "units" };
        }
        var ended = checkedCodes.Where(c => !c.Current).ToList();
        if (ended.Count > 0)
        {
            var list = string.Join(", ", ended.Select(c => $"{c.Name} ({c.Code})"));
            throw new InputException("units_ended", $"These units are no longer in force, so no carrier serves them: {list}. Declare the units in force instead.")
            { Args = [list, ended.Count], Parameter = "units" };
        }

        const string replace = """
            with removed as (
                delete from carrier_service_unit
                where carrier_id = @carrierId and unit_code <> all(@codes::text[])
                returning unit_code
            ), added as (
                insert into carrier_service_unit (carrier_id, unit_code, declared_by)
                select @carrierId, c.code, @declaredBy from unnest(@codes::text[]) as c(code)
                on conflict (carrier_id, unit_code) do nothing
                returning unit_code
            )
            select (select coalesce(array_agg(unit_code order by unit_code), '{}') from added) as added,
                   (select coalesce(array_agg(unit_code order by unit_code), '{}') from removed) as removed
            """;
        var change = await connection.QuerySingleAsync<Change>(replace, new { carrierId, codes, declaredBy = actor.Name }, transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "carrier.service_units", "carrier", code, carrierId,
            new { units = codes, added = change.Added, removed = change.Removed });
        var result = await ReadAsync(connection, transaction, carrierId, code);
        await transaction.CommitAsync();
        return result;
    }

    /// <summary>The units in force today, by name, to choose from.</summary>
    public async Task<IReadOnlyList<ServiceUnit>> InForceAsync()
    {
        const string sql = """
            select code as unit_code, name as unit_name, true as in_force from admin_unit
            where valid_from <= @today and (valid_to is null or valid_to >= @today)
            order by name, code
            """;
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<ServiceUnit>(sql, new { today = Today })).AsList();
    }

    private sealed record Change
    {
        public string[] Added { get; init; } = [];
        public string[] Removed { get; init; } = [];
    }

    private async Task<CarrierServiceUnits> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int carrierId, string code)
    {
        const string declared = """
            select s.unit_code, unit_name(s.unit_code) as unit_name, s.declared_at, s.declared_by,
                   exists (select 1 from admin_unit u
                           where u.code = s.unit_code and u.valid_from <= @today and (u.valid_to is null or u.valid_to >= @today)) as in_force
            from carrier_service_unit s
            where s.carrier_id = @carrierId
            order by s.unit_code
            """;
        var list = (await connection.QueryAsync<ServiceUnit>(declared, new { carrierId, today = Today }, transaction)).AsList();
        if (list.Count > 0)
            return new CarrierServiceUnits(code, CarrierServiceUnits.DeclaredSource, list, list.Where(u => u.InForce).ToList(), null, null);

        // Derived: what report_coverage() expects of the carrier on the day after its latest report, so the page and
        // the coverage figures never disagree on what "derived" means.
        var latest = await connection.QuerySingleOrDefaultAsync<DateOnly?>(
            "select max(report_date) from daily_indicator where carrier_id = @carrierId", new { carrierId }, transaction);
        if (latest is not { } last)
            return new CarrierServiceUnits(code, CarrierServiceUnits.DerivedSource, [], [], null, null);
        const string derived = """
            select c.unit_code, unit_name(c.unit_code) as unit_name, true as in_force
            from report_coverage(array[@nextDay::date], @code, null, 0) c
            where c.carrier_id = @carrierId and c.expected
            order by c.unit_code
            """;
        var units = (await connection.QueryAsync<ServiceUnit>(derived, new { nextDay = last.AddDays(1), code, carrierId }, transaction)).AsList();
        return new CarrierServiceUnits(code, CarrierServiceUnits.DerivedSource, [], units, last.AddDays(1 - DerivedDays), last);
    }
}
