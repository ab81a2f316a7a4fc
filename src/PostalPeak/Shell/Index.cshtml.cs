using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Jobs;

namespace PostalPeak.Shell;

public sealed class IndexModel(NpgsqlDataSource db, TimeProvider clock, IOptions<JobsOptions> jobs) : PageModel
{
    public DateOnly Today { get; private set; }
    public long Carriers { get; private set; }
    public long UnitsInForce { get; private set; }

    public async Task OnGetAsync()
    {
        Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), jobs.Value.Zone()).DateTime);
        const string sql = """
            select (select count(*) from carrier where @carrier::text is null or code = @carrier),
                   (select count(*) from admin_unit where valid_from <= @today and (valid_to is null or valid_to >= @today))
            """;
        await using var connection = await db.OpenConnectionAsync();
        (Carriers, UnitsInForce) = await connection.QuerySingleAsync<(long, long)>(sql, new { carrier = User.CarrierCode(), today = Today });
    }
}
