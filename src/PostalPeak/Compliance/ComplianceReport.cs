using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Jobs;

namespace PostalPeak.Compliance;

public sealed record ComplianceDay(string CarrierCode, string UnitCode, DateOnly ReportDate, int TetOffset, string Status, DateTime? FirstReportedAt);

public sealed record ComplianceSummary(string CarrierCode, int Due, int OnTime, int Late, int Missing);

/// <summary>
/// Who reported what, and when: for each carrier, service unit and day of a season, the day is on time
/// (first reported by the deadline hour of the next day, local time), late, missing, or not yet due.
/// A correction does not make a day late: the first report counts. A missing day is never read as zeros.
/// </summary>
public sealed class ComplianceReport(NpgsqlDataSource db, IOptions<ComplianceOptions> options, IOptions<JobsOptions> jobs)
{
    public async Task<IReadOnlyList<ComplianceDay>> DaysAsync(int season, string? carrierCode, string? unitCode, DateOnly? from, DateOnly? to)
    {
        const string sql = """
            with days as (
                select report_date, tet_offset from season_day
                where season = @season and (@from::date is null or report_date >= @from) and (@to::date is null or report_date <= @to)
            ),
            -- A carrier's service units (declared, or reported in the previous 7 days), not every unit of the province.
            expected as (
                select p.carrier_id, c.code as carrier_code, p.unit_code, p.report_date, days.tet_offset
                from report_coverage((select array_agg(report_date) from days), @carrierCode, null, 0) p
                join days on days.report_date = p.report_date
                join carrier c on c.id = p.carrier_id
                where (p.expected or p.reported) and (@unitCode::text is null or p.unit_code = @unitCode)
            ),
            reports as (
                select r.carrier_id, r.unit_code, r.report_date, min(up.received_at) as first_at
                from (select carrier_id, unit_code, report_date, upload_id from daily_report
                      union all
                      select carrier_id, unit_code, report_date, upload_id from daily_report_history) r
                join upload up on up.id = r.upload_id
                where r.report_date in (select report_date from days)
                group by r.carrier_id, r.unit_code, r.report_date
            )
            select e.carrier_code, e.unit_code, e.report_date, e.tet_offset,
                   case
                       when r.first_at is not null and r.first_at <= ((e.report_date + 1) + make_interval(hours => @deadlineHour)) at time zone @zone then 'on_time'
                       when r.first_at is not null then 'late'
                       when now() < ((e.report_date + 1) + make_interval(hours => @deadlineHour)) at time zone @zone then 'not_due'
                       else 'missing'
                   end as status,
                   r.first_at as first_reported_at
            from expected e
            left join reports r on r.carrier_id = e.carrier_id and r.unit_code = e.unit_code and r.report_date = e.report_date
            order by e.carrier_code, e.report_date, e.unit_code
            """;
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<ComplianceDay>(sql, new
        {
            season, carrierCode = Carriers.CarrierCodes.NormalizeOrNull(carrierCode), unitCode, from, to,
            deadlineHour = options.Value.DeadlineHour, zone = jobs.Value.TimeZone,
        })).AsList();
    }

    public static IReadOnlyList<ComplianceSummary> Summarise(IEnumerable<ComplianceDay> days) =>
        days.GroupBy(d => d.CarrierCode).Select(g => new ComplianceSummary(g.Key,
            g.Count(d => d.Status != "not_due"), g.Count(d => d.Status == "on_time"), g.Count(d => d.Status == "late"), g.Count(d => d.Status == "missing")))
            .ToList();
}
