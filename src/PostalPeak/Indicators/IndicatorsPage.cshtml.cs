using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Calendar;

namespace PostalPeak.Indicators;

/// <summary>A season's figures per carrier and phase; administrators can rebuild every indicator from here.</summary>
public sealed class IndicatorsPageModel(IndicatorQuery query, Seasons seasons, NpgsqlDataSource db, Ingestion.UploadPipeline pipeline) : PageModel
{
    /// <summary>The figures the season tables show (here, on the series and on the summary), for their glossary.</summary>
    public static readonly IReadOnlyList<Metric> Shown =
    [
        MetricCatalogue.Received, MetricCatalogue.Delivered, MetricCatalogue.ThroughputRatio, MetricCatalogue.Closing, MetricCatalogue.DaysToClear,
        MetricCatalogue.Lost, MetricCatalogue.LossPer10k, MetricCatalogue.ComplaintsReceived, MetricCatalogue.ComplaintsPer10k,
    ];

    [BindProperty(SupportsGet = true)] public int? Season { get; set; }

    public IReadOnlyList<IndicatorRow> Rows { get; private set; } = [];
    public string? QueuedJob { get; private set; }
    public IReadOnlyDictionary<string, Phase> Phases { get; private set; } = new Dictionary<string, Phase>();

    public string PhaseName(string? code) => code is not null && Phases.TryGetValue(code, out var phase) ? phase.Name : code ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var shown = Seasons.Shown(await seasons.ListAsync(), Season,
            await Seasons.DefaultYearAsync(db, DateTime.UtcNow, CarrierScope.Of(User).Filter(), cancellationToken));
        Season = shown.Year;
        Phases = shown.Phases.ToDictionary(p => p.Code);
        Rows = await query.RollUpAsync(new IndicatorFilter([Season.Value], CarrierScope.Of(User).Filter(),
            null, null, null, GroupBy: "phase", By: "carrier"), cancellationToken);
    }

    public async Task<IActionResult> OnPostRecomputeAsync(CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
            return Forbid();
        QueuedJob = await pipeline.QueueRecomputeAllAsync(Actor.From(HttpContext));
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
