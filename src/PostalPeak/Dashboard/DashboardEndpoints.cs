using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Calendar;
using PostalPeak.Indicators;
using PostalPeak.Shell;
using ScottPlot;

namespace PostalPeak.Dashboard;

public static class DashboardEndpoints
{
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache(options => options.SizeLimit = 64L * 1024 * 1024);
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Overview>();
        return builder;
    }

    /// <summary>
    /// For one carrier (and unit): the days its alerts began firing and the days it corrected figures; and the incidents
    /// over the season's days: a carrier's own, labelled with their first words, or on a province chart (no carrier) every
    /// carrier's, labelled with the carrier's name. A unit's chart shows the incidents that list the unit or list none.
    /// </summary>
    public static async Task<IReadOnlyList<ChartMark>> MarksAsync(NpgsqlDataSource db, ChartRequest request, Season season, string zone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(season);
        const string sql = """
            select a.firing_on as day, 'alert' as kind, r.code as label, null::date as "to"
            from alert a join alert_rule r on r.id = a.rule_id join carrier c on c.id = a.carrier_id
            where c.code = @carrier and (@unit::text is null or a.unit_code = @unit) and a.firing_on between @from and @to
              and not alert_withdrawn(a)
            union all
            select distinct h.report_date, 'correction', '', null::date
            from daily_report_history h join carrier c on c.id = h.carrier_id
            where c.code = @carrier and (@unit::text is null or h.unit_code = @unit) and h.report_date between @from and @to
            union all
            select lower(d.days), 'incident', case when @carrier::text is null then c.name else i.description end, upper(d.days) - 1
            from incident i join carrier c on c.id = i.carrier_id
            cross join lateral (select incident_days(i, @zone) as days) d
            where (@carrier::text is null or c.code = @carrier)
              and (@unit::text is null or cardinality(i.unit_codes) = 0 or @unit = any(i.unit_codes))
              and d.days && daterange(@from, @to, '[]')
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var marks = await connection.QueryAsync<ChartMark>(new CommandDefinition(sql,
            new { carrier = request.CarrierCode, unit = request.UnitCode, from = season.From, to = season.To, zone }, cancellationToken: cancellationToken));
        return [.. marks.Select(m => m.Kind == "incident" && request.CarrierCode is not null ? m with { Label = Incidents.IncidentMessages.ShortLabel(m.Label) } : m)];
    }

    /// <summary>Changes whenever an incident the chart may show is reported or changes state (both touch updated_at).</summary>
    private static async Task<string> IncidentStampAsync(NpgsqlDataSource db, string? carrier, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<string>(new CommandDefinition("""
            select count(*) || '/' || coalesce(max(i.id), 0) || '/' || coalesce(to_char(max(i.updated_at), 'YYYYMMDDHH24MISSUS'), '')
            from incident i join carrier c on c.id = i.carrier_id
            where @carrier::text is null or c.code = @carrier
            """, new { carrier }, cancellationToken: cancellationToken));
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        // The overview as data: the headline day, the latest day and their coverage, and each carrier's tile. A carrier
        // manager or token reads its own carrier only, as on the page.
        app.MapGet("/api/v1/overview", async (int? season, string? carrier, CarrierScope scope, Overview overview, NpgsqlDataSource db,
            TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var scoped = scope.Filter(carrier);
            var year = season ?? await Seasons.DefaultYearAsync(db, clock.GetUtcNow().UtcDateTime, scoped, cancellationToken);
            return Results.Ok(await overview.ReadAsync(year, scoped, cancellationToken));
        }).WithTags("Dashboard").Produces<OverviewData>(StatusCodes.Status200OK).RequireCarrierAccess()
            .WithDescription("The overview's headline day (the latest day whose reports cover Dashboard:CompleteShare of the expected carrier × unit pairs), "
                + "the latest day with any report, the coverage of both, and each carrier's figures on the headline day.");

        // /charts/backlog.png, /charts/heatmap.svg, /charts/intake.csv (the table behind the chart), with the indicator filters.
        app.MapGet("/charts/{kind}.{format}", async (string kind, string format, [FromQuery] int[]? season, string? carrier, string? unit,
            string? by, string? metric, int? width, int? height, CarrierScope scope, IndicatorQuery query, Seasons seasons, IMemoryCache cache,
            NpgsqlDataSource db, Alerts.AlertRules rules, Microsoft.Extensions.Options.IOptions<DashboardOptions> dashboard, Microsoft.Extensions.Options.IOptions<Jobs.JobsOptions> jobs,
            CancellationToken cancellationToken) =>
        {
            if (!ChartRequest.Kinds.Contains(kind))
                throw new InputException("invalid_chart", $"The chart must be one of {string.Join(", ", ChartRequest.Kinds)}.", StatusCodes.Status404NotFound)
                    { Args = [string.Join(", ", ChartRequest.Kinds)] };
            if (format is not ("png" or "svg" or "csv"))
                throw new InputException("invalid_format", "The format is png, svg or csv.", StatusCodes.Status404NotFound);
            var charted = metric is null ? MetricCatalogue.DaysToClear : MetricCatalogue.Find(metric);
            if (charted is null || !MetricCatalogue.Charted.Contains(charted))
            {
                var codes = string.Join(", ", MetricCatalogue.Charted.Select(m => m.Code));
                throw new InputException("invalid_metric", $"The metric must be one of {codes}.") { Args = [codes] };
            }
            var years = season is { Length: > 0 } ? season : [await Seasons.DefaultYearAsync(db, DateTime.UtcNow, scope.Filter(), cancellationToken)];
            var request = new ChartRequest(kind, years, scope.Filter(carrier), unit,
                kind == "heatmap" ? "unit" : (by ?? "province").ToLowerInvariant(), charted.Code,
                Math.Clamp(width ?? 900, 300, 2000), Math.Clamp(height ?? 450, 200, 1200),
                CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en");
            var filter = request.Filter();
            if (format == "csv")
                return CsvResults.Write(await query.RollUpAsync(filter, cancellationToken), $"{kind}.csv");

            // Repeat views are cheap: the image is kept until the figures change (a refresh bumps the version).
            var version = await IndicatorRefresh.DataVersionAsync(db, null, cancellationToken);
            // The heatmap's colours are the metric's alert thresholds: a rule's new threshold draws it anew.
            var scale = kind == "heatmap" ? ColourScale.For(charted, await rules.ListAsync(null, cancellationToken)) : null;
            // Charts also show incidents, which begin and end without a figure changing.
            var incidents = await IncidentStampAsync(db, request.CarrierCode, cancellationToken);
            var key = $"chart:{version}:{incidents}:{format}:{request with { Seasons = [] }}:{string.Join(',', request.Seasons)}:{scale?.Key}";
            var bytes = await cache.GetOrCreateAsync(key, async entry =>
            {
                var rows = await query.RollUpAsync(filter, cancellationToken);
                var current = (await seasons.ListAsync()).FirstOrDefault(s => s.Year == request.Seasons[0]);
                // Only the time charts point out days.
                var marks = current is null || request.Kind is not ("backlog" or "intake" or "rates")
                    ? [] : await MarksAsync(db, request, current, jobs.Value.TimeZone, cancellationToken);
                using var plot = Charts.Draw(request, rows, current, marks, dashboard.Value.CompleteShare, scale);
                var image = format == "svg"
                    ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(request.Width, request.Height))
                    : plot.GetImageBytes(request.Width, request.Height, ImageFormat.Png);
                entry.Size = image.Length;
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(30);
                return image;
            });
            return Results.File(bytes!, format == "svg" ? "image/svg+xml" : "image/png");
        }).WithTags("Charts").RequireCarrierAccess();
        return app;
    }
}
