using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Indicators;

namespace PostalPeak.Dashboard;

/// <summary>
/// How much of a day's reports are in: carrier × unit pairs expected (service units, see report_coverage), reporting,
/// and not in yet but carried (their stocks stand in from an earlier day); and the same as distinct units.
/// </summary>
public sealed record DayCoverage(DateOnly Day, long Expected, long Reporting, long Carried, int UnitsExpected, int UnitsReporting, int UnitsCarried)
{
    /// <summary>The share of the expected reports that are in; a day nobody was expected on is complete by what it has.</summary>
    public double Share => Expected == 0 ? 1 : (double)Reporting / Expected;
}

/// <summary>
/// The headline day: the latest day whose reports in scope cover at least <see cref="DashboardOptions.CompleteShare"/>
/// of the expected pairs. A later day is arriving: shown as such, never as the headline.
/// </summary>
public sealed record Headline(DateOnly? ReportDay, DateOnly? LatestDay, IReadOnlyList<DayCoverage> Days)
{
    public DayCoverage? On(DateOnly? day) => day is null ? null : Days.FirstOrDefault(d => d.Day == day);

    /// <summary>The latest day when it is not the headline: its reports are still coming in.</summary>
    public DayCoverage? Arriving => LatestDay is { } latest && latest != ReportDay ? On(latest) : null;

    /// <summary>Days after the headline, drawn as partial on charts.</summary>
    public bool IsPartial(DateOnly day) => ReportDay is { } headline ? day > headline : LatestDay is not null;
}

public sealed class Overview(NpgsqlDataSource db, IndicatorQuery query, IOptions<DashboardOptions> options, IOptions<IndicatorsOptions> indicators)
{
    public double CompleteShare => options.Value.CompleteShare;

    /// <summary>Every day of the season someone in scope reported, with its coverage.</summary>
    public async Task<IReadOnlyList<DayCoverage>> CoverageAsync(int season, string? carrierCode, CancellationToken cancellationToken)
    {
        const string sql = """
            with reported_days as (
                select distinct i.report_date
                from daily_indicator i
                join carrier c on c.id = i.carrier_id
                where i.report_date in (select report_date from season_day where season = @season)
                  and (@carrier::text is null or c.code = @carrier)
            ),
            pairs as (
                select p.report_date, p.unit_code, p.reported, not p.reported and p.carried_from is not null as carried
                from report_coverage((select array_agg(report_date) from reported_days), @carrier, null, @carryDays) p
            ),
            units as (
                select report_date, unit_code, bool_or(reported) as reporting, bool_or(carried) as carried
                from pairs group by report_date, unit_code
            )
            select p.report_date as day, p.expected, p.reporting, p.carried, u.units_expected, u.units_reporting, u.units_carried
            from (select report_date, count(*) as expected, count(*) filter (where reported) as reporting, count(*) filter (where carried) as carried
                  from pairs group by report_date) p
            join (select report_date, count(*)::int as units_expected, count(*) filter (where reporting)::int as units_reporting,
                         count(*) filter (where carried and not reporting)::int as units_carried
                  from units group by report_date) u using (report_date)
            order by p.report_date
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DayCoverage>(new CommandDefinition(sql,
            new { season, carrier = Carriers.CarrierCodes.NormalizeOrNull(carrierCode), carryDays = indicators.Value.CarryDays },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The overview as data, in the page's scope rules: the headline day's tiles and both days' coverage.</summary>
    public async Task<OverviewData> ReadAsync(int season, string? carrierCode, CancellationToken cancellationToken)
    {
        var headline = await HeadlineAsync(season, carrierCode, cancellationToken);
        var tiles = headline.ReportDay is { } day
            ? await query.RollUpAsync(new IndicatorFilter([season], carrierCode, null, day, day, "day", "carrier"), cancellationToken)
            : [];
        return new OverviewData(season, headline.ReportDay, headline.LatestDay, CompleteShare,
            new OverviewCoverage(headline.On(headline.ReportDay), headline.On(headline.LatestDay)), [.. tiles.Select(OverviewCarrier.Of)]);
    }

    public async Task<Headline> HeadlineAsync(int season, string? carrierCode, CancellationToken cancellationToken)
    {
        var days = await CoverageAsync(season, carrierCode, cancellationToken);
        return Choose(days, CompleteShare);
    }

    /// <summary>
    /// The latest complete day is the headline; when no day is complete yet (the season's first morning), there is no
    /// headline and the latest day is shown as arriving.
    /// </summary>
    public static Headline Choose(IReadOnlyList<DayCoverage> days, double completeShare)
    {
        var latest = days.Count == 0 ? (DateOnly?)null : days.Max(d => d.Day);
        var complete = days.Where(d => d.Share >= completeShare - 1e-9).Select(d => (DateOnly?)d.Day).Max();
        return new Headline(complete, latest, days);
    }
}

/// <summary>One carrier's tile on the headline day: the overview's figures with the coverage they rest on.</summary>
public sealed record OverviewCarrier(string CarrierCode, DateOnly ReportDate, int UnitsExpected, int UnitsReporting, int UnitsCarried,
    long? Closing, long? ClosingReported, double? DaysToClear, double? ThroughputRatio,
    [property: System.Text.Json.Serialization.JsonPropertyName("loss_per_10k")] double? LossPer10k,
    [property: System.Text.Json.Serialization.JsonPropertyName("complaints_per_10k")] double? ComplaintsPer10k)
{
    public static OverviewCarrier Of(IndicatorRow row) => new(row.CarrierCode!, row.ReportDate!.Value, row.UnitsExpected, row.UnitsReporting,
        row.UnitsCarried, row.Closing, row.ClosingReported, row.DaysToClear, row.ThroughputRatio, row.LossPer10k, row.ComplaintsPer10k);
}

/// <summary>The coverage of the two days the overview speaks of.</summary>
public sealed record OverviewCoverage(DayCoverage? ReportDay, DayCoverage? LatestDay);

/// <summary>GET /api/v1/overview: what the overview page shows, as data.</summary>
public sealed record OverviewData(int Season, DateOnly? ReportDay, DateOnly? LatestDay, double CompleteShare, OverviewCoverage Coverage,
    IReadOnlyList<OverviewCarrier> Carriers);
