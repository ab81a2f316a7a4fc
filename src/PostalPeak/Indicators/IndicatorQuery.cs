using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using PostalPeak.Shell;

namespace PostalPeak.Indicators;

/// <summary>What to roll up: the filters and the two groupings of GET /api/v1/indicators.</summary>
public sealed record IndicatorFilter(int[]? Seasons, string? CarrierCode, string? UnitCode, DateOnly? From, DateOnly? To,
    string GroupBy = "day", string By = "carrier")
{
    public static readonly string[] GroupBys = ["day", "phase", "season", "tet_offset"];
    public static readonly string[] Bys = ["carrier", "unit", "province"];

    public bool PerDay => GroupBy is "day" or "tet_offset";
}

/// <summary>
/// One roll-up row: the members' counts summed first, ratios derived from those sums (never averaged).
/// Day rows carry report_date and tet_offset; phase and season rows carry first_date and last_date, with
/// flows summed over the period and stocks (opening at the start; closing, backlog, open complaints at the end).
/// </summary>
public sealed record IndicatorRow
{
    public int? Season { get; init; }
    public string? Phase { get; init; }
    public DateOnly? ReportDate { get; init; }
    public int? TetOffset { get; init; }
    public DateOnly FirstDate { get; init; }
    public DateOnly LastDate { get; init; }
    public string? CarrierCode { get; init; }
    public string? UnitCode { get; init; }
    public string? UnitName { get; init; }
    public string? ProvinceCode { get; init; }
    /// <summary>True when units on the other side of the 2025 reform stand in for the unit asked for, through the crosswalk.</summary>
    public bool Approximate { get; init; }
    public int DaysReported { get; init; }
    public int Reports { get; init; }
    public int CarriersReporting { get; init; }
    public int UnitsReporting { get; init; }
    public int ClosingKnown { get; init; }
    public long Received { get; init; }
    public long Delivered { get; init; }
    public long? Returned { get; init; }
    public long? Lost { get; init; }
    public long? Damaged { get; init; }
    public long? Backlog { get; init; }
    public long? ComplaintsReceived { get; init; }
    public long? ComplaintsResolved { get; init; }
    public long? Opening { get; init; }
    public long? Closing { get; init; }
    public long? FlowBacklog { get; init; }
    public long? Unaccounted { get; init; }
    public long? BacklogGrowth { get; init; }
    public long? OpenComplaints { get; init; }
    public double? ThroughputRatio { get; init; }
    public double? ClearanceRate { get; init; }
    public double? DaysToClear { get; init; }
    [JsonPropertyName("loss_per_10k")] public double? LossPer10k { get; init; }
    [JsonPropertyName("damage_per_10k")] public double? DamagePer10k { get; init; }
    [JsonPropertyName("complaints_per_10k")] public double? ComplaintsPer10k { get; init; }
}

public sealed class IndicatorQuery(NpgsqlDataSource db)
{
    /// <summary>
    /// The indicator rows in scope, keyed by the chosen grouping and placed on the Tết axis. Season days
    /// are looked up once per date (not per row), and every aggregate is a plain sum so that PostgreSQL can
    /// hash instead of sorting millions of rows; distinct units and carriers are counted separately.
    /// </summary>
    private const string Members = """
        with wanted as (
            -- The unit asked for, and its counterparts across the 2025 reform (approximate).
            select unit_code, bool_and(approximate) as approximate
            from (select @unit::text as unit_code, false as approximate where @unit::text is not null
                  union all select district_code, true from unit_crosswalk where commune_code = @unit
                  union all select commune_code, true from unit_crosswalk where district_code = @unit) w
            group by unit_code
        ),
        days as (
            select season, report_date, tet_offset, phase from season_day
            where @seasons::int[] is null or season = any(@seasons)
        ),
        base as not materialized (
            select i.carrier_id, i.unit_code, i.report_date, i.received, i.delivered, i.returned, i.lost, i.damaged, i.backlog,
                   i.complaints_received, i.complaints_resolved, i.opening, i.closing, i.flow_backlog, i.unaccounted,
                   i.backlog_growth, i.open_complaints, i.window_days, i.window_received, i.window_delivered,
                   i.window_complaints, i.window_complaint_base,
                   days.season, days.tet_offset, days.phase,
                   coalesce(w.approximate, false) as approximate,
                   case @by when 'carrier' then c.code when 'unit' then coalesce(@unit::text, i.unit_code) else u.province_code end as group_key
            from daily_indicator i
            join carrier c on c.id = i.carrier_id
            join admin_unit u on u.code = i.unit_code and u.valid_from <= i.report_date and (u.valid_to is null or u.valid_to >= i.report_date)
            left join days on days.report_date = i.report_date
            left join wanted w on w.unit_code = i.unit_code
            where (@carrier::text is null or c.code = @carrier)
              and (@unit::text is null or w.unit_code is not null)
              and (@seasons::int[] is null or (days.season is not null
                   and i.report_date between (select min(report_date) from days) and (select max(report_date) from days)))
              and (@from::date is null or i.report_date >= @from)
              and (@to::date is null or i.report_date <= @to)
        ),
        -- A carrier has one row per unit and day, and a unit one per carrier: only a province, or units
        -- merged through the crosswalk, need the distinct counts (and another pass over the rows).
        day_units as (
            select group_key, report_date, count(*) as units_reporting
            from (select distinct group_key, report_date, unit_code from base where @by = 'province' or @unit::text is not null) x
            group by group_key, report_date
        ),
        day_carriers as (
            select group_key, report_date, count(*) as carriers_reporting
            from (select distinct group_key, report_date, carrier_id from base where @by = 'province' or @unit::text is not null) x
            group by group_key, report_date
        ),
        sums as (
            select group_key, report_date, min(season) as season, min(tet_offset) as tet_offset, min(phase) as phase,
                   bool_or(approximate) as approximate,
                   count(*) as reports, count(closing) as closing_known,
                   sum(received) as received, sum(delivered) as delivered, sum(returned) as returned, sum(lost) as lost,
                   sum(damaged) as damaged, sum(backlog) as backlog,
                   sum(complaints_received) as complaints_received, sum(complaints_resolved) as complaints_resolved,
                   sum(opening) as opening, sum(closing) as closing, sum(flow_backlog) as flow_backlog,
                   sum(unaccounted) as unaccounted, sum(backlog_growth) as backlog_growth, sum(open_complaints) as open_complaints,
                   sum(window_received) as window_received, sum(window_delivered) as window_delivered,
                   sum(window_delivered::float8 / window_days) filter (where closing is not null) as delivery_rate,
                   sum(delivered) filter (where opening is not null) as cleared,
                   sum(opening + received) as clearance_base,
                   sum(delivered + coalesce(returned, 0) + lost) as loss_base,
                   sum(delivered + coalesce(returned, 0) + coalesce(lost, 0)) filter (where damaged is not null) as damage_base,
                   sum(received) filter (where complaints_received is not null) as complaint_base,
                   sum(window_complaints) as window_complaints, sum(window_complaint_base) as window_complaint_base
            from base
            group by group_key, report_date
        ),
        daily as (
            select sums.*,
                   coalesce(day_units.units_reporting, case when @by = 'carrier' then sums.reports else 1 end) as units_reporting,
                   coalesce(day_carriers.carriers_reporting, case when @by = 'carrier' then 1 else sums.reports end) as carriers_reporting
            from sums
            left join day_units using (group_key, report_date)
            left join day_carriers using (group_key, report_date)
        )
        """;

    private const string KeyColumns = """
        case when @by = 'carrier' then k.group_key end as carrier_code,
        case when @by = 'unit' then k.group_key end as unit_code,
        case when @by = 'unit' then unit_name(k.group_key) end as unit_name,
        case when @by = 'province' then k.group_key end as province_code
        """;

    private const string DaySql = $"""
        {Members}
        select k.season, k.phase, k.report_date, k.tet_offset, k.report_date as first_date, k.report_date as last_date,
               {KeyColumns},
               k.approximate, 1 as days_reported, k.reports, k.carriers_reporting, k.units_reporting, k.closing_known,
               k.received, k.delivered, k.returned, k.lost, k.damaged, k.backlog, k.complaints_received, k.complaints_resolved,
               k.opening, k.closing, k.flow_backlog, k.unaccounted, k.backlog_growth, k.open_complaints,
               k.window_delivered::float8 / nullif(k.window_received, 0) as throughput_ratio,
               k.cleared::float8 / nullif(k.clearance_base, 0) as clearance_rate,
               k.closing / nullif(k.delivery_rate, 0) as days_to_clear,
               10000.0 * k.lost / nullif(k.loss_base, 0) as loss_per_10k,
               10000.0 * k.damaged / nullif(k.damage_base, 0) as damage_per_10k,
               10000.0 * k.window_complaints / nullif(k.window_complaint_base, 0) as complaints_per_10k
        from daily k
        -- A date range read across seasons also holds days outside every season (season null): by group and day
        -- it reads in calendar order instead of pushing those days to the end.
        order by case when @groupBy = 'tet_offset' then k.tet_offset end, case when @seasons::int[] is not null then k.season end,
                 k.group_key, k.report_date
        """;

    private const string PeriodSql = $"""
        {Members},
        -- One pass reduces the rows to the (unit, carrier) pairs of each period; distinct counts come from those.
        pairs as (
            select distinct group_key, season, case when @groupBy = 'phase' then phase end as phase, unit_code, carrier_id
            from base
            where season is not null
        ),
        coverage as (
            select group_key, season, phase, count(distinct unit_code) as units_reporting, count(distinct carrier_id) as carriers_reporting
            from pairs
            group by 1, 2, 3
        ),
        periods as (
            select group_key, season, case when @groupBy = 'phase' then phase end as phase,
                   min(report_date) as first_date, max(report_date) as last_date, bool_or(approximate) as approximate,
                   count(*) as days_reported, sum(reports) as reports,
                   sum(received) as received, sum(delivered) as delivered, sum(returned) as returned, sum(lost) as lost,
                   sum(damaged) as damaged, sum(complaints_received) as complaints_received, sum(complaints_resolved) as complaints_resolved,
                   sum(unaccounted) as unaccounted, sum(backlog_growth) as backlog_growth,
                   (array_agg(opening order by report_date))[1] as opening,
                   (array_agg(closing order by report_date desc))[1] as closing,
                   (array_agg(closing_known order by report_date desc))[1] as closing_known,
                   (array_agg(backlog order by report_date desc))[1] as backlog,
                   (array_agg(flow_backlog order by report_date desc))[1] as flow_backlog,
                   (array_agg(open_complaints order by report_date desc))[1] as open_complaints,
                   sum(cleared) as cleared, sum(clearance_base) as clearance_base,
                   sum(loss_base) as loss_base, sum(damage_base) as damage_base,
                   sum(complaints_received) filter (where complaint_base is not null) as period_complaints,
                   sum(complaint_base) as complaint_base
            from daily
            where season is not null
            group by 1, 2, 3
        )
        select k.season, k.phase, null::date as report_date, null::int as tet_offset, k.first_date, k.last_date,
               {KeyColumns},
               k.approximate, k.days_reported, k.reports, c.carriers_reporting, c.units_reporting, k.closing_known,
               k.received, k.delivered, k.returned, k.lost, k.damaged, k.backlog, k.complaints_received, k.complaints_resolved,
               k.opening, k.closing, k.flow_backlog, k.unaccounted, k.backlog_growth, k.open_complaints,
               k.delivered::float8 / nullif(k.received, 0) as throughput_ratio,
               k.cleared::float8 / nullif(k.clearance_base, 0) as clearance_rate,
               k.closing / nullif(k.delivered::float8 / k.days_reported, 0) as days_to_clear,
               10000.0 * k.lost / nullif(k.loss_base, 0) as loss_per_10k,
               10000.0 * k.damaged / nullif(k.damage_base, 0) as damage_per_10k,
               10000.0 * k.period_complaints / nullif(k.complaint_base, 0) as complaints_per_10k
        from periods k
        join coverage c on c.group_key = k.group_key and c.season = k.season and c.phase is not distinct from k.phase
        left join season_phase sp on sp.season_year = k.season and sp.code = k.phase
        order by k.season, k.group_key, sp.from_offset
        """;

    public async Task<IReadOnlyList<IndicatorRow>> RollUpAsync(IndicatorFilter filter, CancellationToken cancellationToken)
    {
        if (!IndicatorFilter.GroupBys.Contains(filter.GroupBy))
            throw new InputException("invalid_group_by", $"groupBy must be one of {string.Join(", ", IndicatorFilter.GroupBys)}.") { Args = [string.Join(", ", IndicatorFilter.GroupBys)] };
        if (!IndicatorFilter.Bys.Contains(filter.By))
            throw new InputException("invalid_by", $"by must be one of {string.Join(", ", IndicatorFilter.Bys)}.") { Args = [string.Join(", ", IndicatorFilter.Bys)] };
        if (filter.From is { } from && filter.To is { } to && from > to)
            throw new InputException("invalid_range", "from must not be after to.");
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Enough memory to aggregate a season's rows in hash tables rather than sorting them on disk.
        await connection.ExecuteAsync(new CommandDefinition("set local work_mem = '64MB'", transaction: transaction, cancellationToken: cancellationToken));
        var parameters = new
        {
            seasons = filter.Seasons is { Length: > 0 } ? filter.Seasons : null,
            carrier = Carriers.CarrierCodes.NormalizeOrNull(filter.CarrierCode),
            unit = string.IsNullOrWhiteSpace(filter.UnitCode) ? null : filter.UnitCode.Trim(),
            from = filter.From,
            to = filter.To,
            groupBy = filter.GroupBy,
            by = filter.By,
        };
        return (await connection.QueryAsync<IndicatorRow>(new CommandDefinition(filter.PerDay ? DaySql : PeriodSql, parameters, transaction,
            commandTimeout: 120, cancellationToken: cancellationToken))).AsList();
    }
}
