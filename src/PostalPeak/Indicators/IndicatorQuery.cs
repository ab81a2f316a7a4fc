using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Extensions.Options;
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
    /// <summary>Carrier × unit reports the day's (or period's) figures rest on; with <see cref="ReportsExpected"/> the share in.</summary>
    public long ReportsExpected { get; init; }
    /// <summary>Expected reports not in yet whose stocks are carried from an earlier day.</summary>
    public long ReportsCarried { get; init; }
    /// <summary>The service units in scope: declared by the department, or those reported in the previous 7 days.</summary>
    public int UnitsExpected { get; init; }
    public int UnitsReporting { get; init; }
    /// <summary>Expected units without a report that day whose stocks (closing, backlog, open complaints) are carried.</summary>
    public int UnitsCarried { get; init; }
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
    /// <summary>The closing summed over the reporting units only (<see cref="Closing"/> adds the carried ones).</summary>
    public long? ClosingReported { get; init; }
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

public sealed class IndicatorQuery(NpgsqlDataSource db, IOptions<IndicatorsOptions> options)
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
        -- Every carrier × unit pair expected or reporting on the days reported in scope, with the latest stocks of
        -- the expected pairs that have not reported (report_coverage, design section 4).
        coverage_pairs as (
            select p.carrier_id, p.unit_code, p.report_date, p.reported, p.carried_from is not null and not p.reported as carried,
                   p.closing, p.backlog, p.open_complaints,
                   case @by when 'carrier' then c.code when 'unit' then coalesce(@unit::text, p.unit_code) else u.province_code end as group_key
            from report_coverage((select array_agg(distinct report_date) from base), @carrier,
                                 (select array_agg(unit_code) from wanted), @carryDays) p
            join carrier c on c.id = p.carrier_id
            join admin_unit u on u.code = p.unit_code and u.valid_from <= p.report_date and (u.valid_to is null or u.valid_to >= p.report_date)
        ),
        pair_units as (
            select group_key, report_date, unit_code, count(*) as pairs, count(*) filter (where carried) as pairs_carried,
                   count(distinct carrier_id) filter (where reported) as carriers_reporting,
                   bool_or(reported) as reporting, bool_or(carried) as carried,
                   sum(closing) filter (where carried) as closing, sum(backlog) filter (where carried) as backlog,
                   sum(open_complaints) filter (where carried) as open_complaints
            from coverage_pairs
            group by group_key, report_date, unit_code
        ),
        day_coverage as (
            select group_key, report_date,
                   sum(pairs) as reports_expected, sum(pairs_carried) as reports_carried,
                   count(*) as units_expected, count(*) filter (where reporting) as units_reporting,
                   count(*) filter (where carried and not reporting) as units_carried,
                   sum(closing) as carried_closing, sum(backlog) as carried_backlog, sum(open_complaints) as carried_open_complaints
            from pair_units
            group by group_key, report_date
        ),
        day_carriers as (
            select group_key, report_date, count(*) as carriers_reporting
            from (select distinct group_key, report_date, carrier_id from coverage_pairs where reported) x
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
        -- Stocks are as of the day: the reporting units' values plus the carried ones. Flows and the ratios derived
        -- from them stay over the reporting units only, so that each ratio compares like with like.
        daily as (
            select sums.group_key, sums.report_date, sums.season, sums.tet_offset, sums.phase, sums.approximate,
                   sums.reports, sums.closing_known,
                   sums.received, sums.delivered, sums.returned, sums.lost, sums.damaged,
                   sum_known(sums.backlog, v.carried_backlog) as backlog,
                   sums.complaints_received, sums.complaints_resolved, sums.opening,
                   sum_known(sums.closing, v.carried_closing) as closing, sums.closing as closing_reported,
                   sums.flow_backlog, sums.unaccounted, sums.backlog_growth,
                   sum_known(sums.open_complaints, v.carried_open_complaints) as open_complaints,
                   sums.window_received, sums.window_delivered, sums.delivery_rate, sums.cleared, sums.clearance_base,
                   sums.loss_base, sums.damage_base, sums.complaint_base, sums.window_complaints, sums.window_complaint_base,
                   v.units_expected, v.units_reporting, v.units_carried, v.reports_expected, v.reports_carried,
                   coalesce(day_carriers.carriers_reporting, 0) as carriers_reporting
            from sums
            join day_coverage v using (group_key, report_date)
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
               k.approximate, 1 as days_reported, k.reports, k.reports_expected, k.reports_carried, k.carriers_reporting,
               k.units_expected, k.units_reporting, k.units_carried, k.closing_known,
               k.received, k.delivered, k.returned, k.lost, k.damaged, k.backlog, k.complaints_received, k.complaints_resolved,
               k.opening, k.closing, k.closing_reported, k.flow_backlog, k.unaccounted, k.backlog_growth, k.open_complaints,
               k.window_delivered::float8 / nullif(k.window_received, 0) as throughput_ratio,
               k.cleared::float8 / nullif(k.clearance_base, 0) as clearance_rate,
               k.closing_reported / nullif(k.delivery_rate, 0) as days_to_clear,
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
        -- Over every day someone in scope reported, so that a day the group missed counts against its coverage.
        expected_units as (
            select cp.group_key, d.season, case when @groupBy = 'phase' then d.phase end as phase, count(distinct cp.unit_code) as units_expected
            from coverage_pairs cp join days d on d.report_date = cp.report_date
            group by 1, 2, 3
        ),
        expected_reports as (
            select v.group_key, d.season, case when @groupBy = 'phase' then d.phase end as phase, sum(v.reports_expected) as reports_expected
            from day_coverage v join days d on d.report_date = v.report_date
            group by 1, 2, 3
        ),
        periods as (
            select group_key, season, case when @groupBy = 'phase' then phase end as phase,
                   min(report_date) as first_date, max(report_date) as last_date, bool_or(approximate) as approximate,
                   count(*) as days_reported, sum(reports) as reports,
                   (array_agg(reports_carried order by report_date desc))[1] as reports_carried,
                   (array_agg(units_carried order by report_date desc))[1] as units_carried,
                   (array_agg(closing_reported order by report_date desc))[1] as closing_reported,
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
               k.approximate, k.days_reported, k.reports, coalesce(x.reports_expected, k.reports) as reports_expected, k.reports_carried, c.carriers_reporting,
               coalesce(e.units_expected, c.units_reporting) as units_expected, c.units_reporting, k.units_carried, k.closing_known,
               k.received, k.delivered, k.returned, k.lost, k.damaged, k.backlog, k.complaints_received, k.complaints_resolved,
               k.opening, k.closing, k.closing_reported, k.flow_backlog, k.unaccounted, k.backlog_growth, k.open_complaints,
               k.delivered::float8 / nullif(k.received, 0) as throughput_ratio,
               k.cleared::float8 / nullif(k.clearance_base, 0) as clearance_rate,
               k.closing / nullif(k.delivered::float8 / k.days_reported, 0) as days_to_clear,
               10000.0 * k.lost / nullif(k.loss_base, 0) as loss_per_10k,
               10000.0 * k.damaged / nullif(k.damage_base, 0) as damage_per_10k,
               10000.0 * k.period_complaints / nullif(k.complaint_base, 0) as complaints_per_10k
        from periods k
        join coverage c on c.group_key = k.group_key and c.season = k.season and c.phase is not distinct from k.phase
        left join expected_units e on e.group_key = k.group_key and e.season = k.season and e.phase is not distinct from k.phase
        left join expected_reports x on x.group_key = k.group_key and x.season = k.season and x.phase is not distinct from k.phase
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
            carryDays = options.Value.CarryDays,
        };
        return (await connection.QueryAsync<IndicatorRow>(new CommandDefinition(filter.PerDay ? DaySql : PeriodSql, parameters, transaction,
            commandTimeout: 120, cancellationToken: cancellationToken))).AsList();
    }
}
