using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;

namespace PostalPeak.Duty;

/// <summary>"Ai đang trực": who is on duty now at each carrier the reader may see, in Vietnam time, with numbers to call.</summary>
[Authorize(Policy = Policies.Person)]
public sealed class DutyPageModel(DutyRosters rosters, TimeProvider clock) : PageModel
{
    public DateTimeOffset At { get; private set; }
    public IReadOnlyList<CarrierOnDuty> Carriers { get; private set; } = [];

    public async Task OnGetAsync()
    {
        At = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), rosters.Zone);
        Carriers = await rosters.OnDutyAsync(CarrierScope.Of(User).Filter(), At, HttpContext.RequestAborted);
    }
}
