using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Indicators;

/// <summary>Ingests report rows through the real upload path and reads back what the database holds.</summary>
public static class IndicatorTestData
{
    public const string Header = "report_date,unit_code,received,delivered,returned,lost,damaged,backlog,complaints_received,complaints_resolved\n";

    public static string Csv(IEnumerable<RawRow> rows)
    {
        var text = new StringBuilder(Header);
        foreach (var r in rows)
            text.Append(CultureInfo.InvariantCulture,
                $"{r.ReportDate:yyyy-MM-dd},{r.UnitCode},{r.Received},{r.Delivered},{r.Returned},{r.Lost},{r.Damaged},{r.Backlog},{r.ComplaintsReceived},{r.ComplaintsResolved}\n");
        return text.ToString();
    }

    /// <summary>Stores and processes a file as the command line does, then refreshes what it changed.</summary>
    public static async Task<Upload> IngestAsync(TestApp app, string carrier, string csv, string name = "day.csv")
    {
        var store = app.Services.GetRequiredService<UploadStore>();
        var upload = await store.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), name, "cli", carrier, Actor.CommandLine(), "en", CancellationToken.None);
        var status = await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None);
        if (status == "accepted")
            await app.Services.GetRequiredService<IndicatorRefresh>().RefreshAfterUploadAsync(upload.Id, CancellationToken.None);
        return (await store.FindAsync(upload.Id))!;
    }

    public static async Task<List<RawRow>> ReportsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<RawRow>("""
            select carrier_id, unit_code, report_date, received, delivered, returned, lost, damaged, backlog,
                   complaints_received, complaints_resolved
            from daily_report
            """)).AsList();
    }

    /// <summary>The carriers (and which are inactive), units, crosswalk and declared service units as the database holds them: the input a roll-up reference needs.</summary>
    public static async Task<RollUpWorld> WorldAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var carriers = (await connection.QueryAsync<(int Id, string Code)>("select id, code from carrier")).ToDictionary(c => c.Id, c => c.Code);
        var units = (await connection.QueryAsync<(string, string, string, DateOnly, DateOnly?)>(
            "select code, name, province_code, valid_from, valid_to from admin_unit")).AsList();
        var crosswalk = (await connection.QueryAsync<(string, string)>("select commune_code, district_code from unit_crosswalk")).AsList();
        var inactive = (await connection.QueryAsync<int>("select id from carrier where not active")).ToHashSet();
        var serviceUnits = (await connection.QueryAsync<(int CarrierId, string UnitCode)>("select carrier_id, unit_code from carrier_service_unit"))
            .GroupBy(s => s.CarrierId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(s => s.UnitCode)]);
        return new RollUpWorld(carriers, units, crosswalk, inactive, serviceUnits);
    }

    public static async Task<List<IndicatorValues>> IndicatorsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<IndicatorValues>("select * from daily_indicator")).AsList();
    }
}
