using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Jobs;

namespace PostalPeak.Shell;

/// <summary>The landing page: where things stand (alerts firing, the latest report) and where to go next.</summary>
public sealed class IndexModel(NpgsqlDataSource db, TimeProvider clock, IOptions<JobsOptions> jobs, IConfiguration configuration) : PageModel
{
    public DateOnly Today { get; private set; }
    public long Carriers { get; private set; }
    public long UnitsInForce { get; private set; }
    public long AlertsFiring { get; private set; }
    public DateOnly? LatestReport { get; private set; }

    /// <summary>Started by the `demo` command: the page says what the data is and what to look at.</summary>
    public bool Demo => configuration.GetValue<bool>("Demo:Enabled");

    public async Task OnGetAsync()
    {
        Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), jobs.Value.Zone()).DateTime);
        // Carrier managers count their own carrier only, like everywhere else.
        const string sql = """
            select (select count(*) from carrier where @carrier::text is null or code = @carrier),
                   (select count(*) from admin_unit where valid_from <= @today and (valid_to is null or valid_to >= @today)),
                   (select count(*) from alert a join carrier c on c.id = a.carrier_id
                    where a.state = 'firing' and (@carrier::text is null or c.code = @carrier)),
                   (select max(r.report_date) from daily_report r join carrier c on c.id = r.carrier_id
                    where @carrier::text is null or c.code = @carrier)
            """;
        await using var connection = await db.OpenConnectionAsync();
        (Carriers, UnitsInForce, AlertsFiring, LatestReport) = await connection.QuerySingleAsync<(long, long, long, DateOnly?)>(sql,
            new { carrier = CarrierScope.Of(User).Filter(), today = Today });
    }
}
