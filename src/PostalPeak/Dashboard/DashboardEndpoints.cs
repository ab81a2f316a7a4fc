using System.Globalization;
using System.Security.Claims;
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
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache(options => options.SizeLimit = 64L * 1024 * 1024);
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        // /charts/backlog.png, /charts/heatmap.svg, /charts/intake.csv (the table behind the chart), with the indicator filters.
        app.MapGet("/charts/{kind}.{format}", async (string kind, string format, [FromQuery] int[]? season, string? carrier, string? unit,
            string? by, string? metric, int? width, int? height, ClaimsPrincipal user, IndicatorQuery query, Seasons seasons, IMemoryCache cache,
            NpgsqlDataSource db, CancellationToken cancellationToken) =>
        {
            if (!ChartRequest.Kinds.Contains(kind))
                throw new InputException("invalid_chart", $"The chart must be one of {string.Join(", ", ChartRequest.Kinds)}.", StatusCodes.Status404NotFound);
            if (format is not ("png" or "svg" or "csv"))
                throw new InputException("invalid_format", "The format is png, svg or csv.", StatusCodes.Status404NotFound);
            if (carrier is not null && !user.MayActFor(carrier))
                return Results.Problem(statusCode: 403, title: $"Your account may not see carrier '{carrier}'.",
                    extensions: new Dictionary<string, object?> { ["code"] = "carrier_forbidden" });
            var today = DateTime.UtcNow;
            var years = season is { Length: > 0 } ? season : [today.Month >= 4 ? today.Year + 1 : today.Year];
            var request = new ChartRequest(kind, years, user.IsDepartment() ? carrier : user.CarrierCode(), unit,
                kind == "heatmap" ? "unit" : (by ?? "province").ToLowerInvariant(), (metric ?? "days_to_clear").ToLowerInvariant(),
                Math.Clamp(width ?? 900, 300, 2000), Math.Clamp(height ?? 450, 200, 1200),
                CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en");
            var filter = new IndicatorFilter(request.Seasons, request.CarrierCode, request.UnitCode, null, null, kind == "overlay" ? "tet_offset" : "day", request.By);
            if (format == "csv")
                return CsvResults.Write(await query.RollUpAsync(filter, cancellationToken), $"{kind}.csv");

            // Repeat views are cheap: the image is kept until the figures change (a refresh bumps the version).
            var version = await IndicatorRefresh.DataVersionAsync(db, cancellationToken);
            var key = $"chart:{version}:{format}:{request with { Seasons = [] }}:{string.Join(',', request.Seasons)}";
            var bytes = await cache.GetOrCreateAsync(key, async entry =>
            {
                var rows = await query.RollUpAsync(filter, cancellationToken);
                var current = (await seasons.ListAsync()).FirstOrDefault(s => s.Year == request.Seasons[0]);
                using var plot = Charts.Draw(request, rows, current);
                var image = format == "svg"
                    ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(request.Width, request.Height))
                    : plot.GetImageBytes(request.Width, request.Height, ImageFormat.Png);
                entry.Size = image.Length;
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(30);
                return image;
            });
            return Results.File(bytes!, format == "svg" ? "image/svg+xml" : "image/png");
        }).WithTags("Charts");
        return app;
    }
}
