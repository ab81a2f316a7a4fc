using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Calendar;
using PostalPeak.Shell;

namespace PostalPeak.Duty;

public static class DutyEndpoints
{
    /// <summary>A problem of a rejected roster file, with its message in the reader's language.</summary>
    public sealed record RosterIssue(int? Line, string? Column, string Code, string Message);

    /// <summary>A problem of a refused JSON roster: the entry (from 1) and its field.</summary>
    public sealed record RosterEntryIssue(int? Entry, string? Field, string Code, string Message);

    /// <summary>An accepted JSON roster: the counts a roster file's answer has, under the same names.</summary>
    public sealed record RosterSaved(long UploadId, string CarrierCode, string Status, int Rows,
        [property: System.Text.Json.Serialization.JsonPropertyName("rows_new")] int Added,
        [property: System.Text.Json.Serialization.JsonPropertyName("rows_replaced")] int Replaced,
        [property: System.Text.Json.Serialization.JsonPropertyName("rows_unchanged")] int Unchanged);

    public sealed record RosterAnswer(int Season, DateOnly From, DateOnly To, IReadOnlyList<RosterEntry> Entries);

    public sealed record OnDutyAnswer(DateTimeOffset At, IReadOnlyList<CarrierOnDuty> Carriers);

    /// <summary>A roster row in the CSV export: the columns a roster file is read with, phones as written in Vietnam, so it can be sent back.</summary>
    public sealed record RosterCsvRow(string CarrierCode, DateOnly Date, string Shift, string LeaderName, string LeaderPosition, string LeaderPhone,
        string OperatorName, string OperatorPhone, string Hotline, string UnitCode, [property: System.Text.Json.Serialization.JsonPropertyName("hotline_24h")] bool? Hotline24h);

    public static IHostApplicationBuilder AddDuty(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DutyOptions>().BindConfiguration(DutyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DutyRosters>();
        return builder;
    }

    public static WebApplication MapDuty(this WebApplication app)
    {
        var duty = app.MapGroup("/api/v1/duty").WithTags("Duty").RequireCarrierAccess();

        // Who is on duty at a moment (ISO 8601; without an offset it is Vietnam time), per carrier the caller may see.
        duty.MapGet("/", async (string? at, string? carrier, CarrierScope scope, DutyRosters rosters, TimeProvider clock, HttpContext http) =>
        {
            var moment = ParseMoment(at, clock, rosters.Zone);
            var carriers = await rosters.OnDutyAsync(scope.Filter(carrier), moment, http.RequestAborted);
            return Results.Ok(new OnDutyAnswer(TimeZoneInfo.ConvertTime(moment, rosters.Zone), carriers));
        });

        duty.MapGet("/roster", async Task<IResult> (int? season, string? carrier, string? format, CarrierScope scope, DutyRosters rosters, Seasons seasons,
            HttpContext http) =>
        {
            var csv = CsvResults.WantsCsv(format);
            var filter = scope.Filter(carrier);
            var window = await seasons.GetAsync(season ?? Seasons.ComingYear(DateTime.UtcNow));
            var entries = await rosters.ListAsync(filter, window.From, window.To, http.RequestAborted);
            if (csv)
                return CsvResults.Write(entries.Select(e => new RosterCsvRow(e.CarrierCode, e.Date, e.Shift, e.LeaderName, e.LeaderPosition,
                        VietnamesePhone.DisplayOf(e.LeaderPhone), e.OperatorName, VietnamesePhone.DisplayOf(e.OperatorPhone),
                        VietnamesePhone.DisplayOf(e.Hotline), e.UnitCode, e.Hotline24h)).ToList(),
                    string.Create(CultureInfo.InvariantCulture, $"duty-roster-{window.Year}{(filter is null ? "" : "-" + filter)}.csv"));
            return Results.Ok(new RosterAnswer(window.Year, window.From, window.To, entries));
        });

        duty.MapPost("/roster", ReceiveAsync)
            // Tokens carry no anti-forgery token; Shell checks the header for every API change made with a cookie.
            .DisableAntiforgery();

        duty.MapPut("/roster/days", SaveDaysAsync)
            .Accepts<RosterEntriesInput>("application/json")
            .Produces<RosterSaved>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .DisableAntiforgery();
        return app;
    }

    /// <summary>The moment asked for: ISO 8601 with its offset, or a Vietnam wall-clock time; now when blank.</summary>
    private static DateTimeOffset ParseMoment(string? at, TimeProvider clock, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(at))
            return clock.GetUtcNow();
        var text = at.Trim();
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
        {
            if (time.Kind == DateTimeKind.Unspecified)
                return new DateTimeOffset(time, zone.GetUtcOffset(time));
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
                return withOffset;
        }
        throw new InputException("invalid_time", $"at must be a time in ISO 8601, such as 2027-02-06T23:30:00+07:00, not '{text}'.")
        {
            Args = [text],
            Parameter = "at",
        };
    }

    /// <summary>
    /// Receives a roster file (multipart field "file", or the raw body with its name in X-File-Name) for the caller's carrier, or the one a
    /// department user names. All or nothing: 200 with the counts, or 400 with every problem and its line; the file is kept either way.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(HttpContext http, string? carrier, CarrierScope scope, DutyRosters rosters)
    {
        var carrierCode = scope.Filter(carrier)
            ?? throw new InputException("carrier_required", "Say which carrier the roster is for: ?carrier=CODE.") { Key = "Upload.CarrierRequired", Parameter = "carrier" };
        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
            sizeLimit.MaxRequestBodySize = rosters.MaxBytes + 64 * 1024;
        if (http.Request.ContentLength > rosters.MaxBytes + 64 * 1024)
            throw rosters.TooLarge(http.Request.ContentLength.Value);

        byte[] content;
        string name;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var file = form.Files.GetFile("file")
                ?? throw new InputException("file_required", "The form has no field named 'file'.") { Key = "Upload.FileRequired", Parameter = "file" };
            if (file.Length > rosters.MaxBytes)
                throw rosters.TooLarge(file.Length);
            await using var stream = file.OpenReadStream();
            content = await rosters.ReadBodyAsync(stream, http.RequestAborted);
            name = file.FileName;
        }
        else
        {
            content = await rosters.ReadBodyAsync(http.Request.Body, http.RequestAborted);
            var header = http.Request.Headers["X-File-Name"].ToString();
            name = string.IsNullOrWhiteSpace(header) ? "roster.csv" : Uri.UnescapeDataString(header);
        }
        var channel = http.User.IsInRole(Roles.CarrierToken) ? "api" : "web";
        var result = await rosters.SubmitAsync(content, name, channel, carrierCode, Actor.From(http), http.RequestAborted);
        if (result.Status == "accepted")
            return Results.Ok(new { upload_id = result.UploadId, carrier_code = result.CarrierCode, status = result.Status, rows = result.Rows,
                rows_new = result.New, rows_replaced = result.Replaced, rows_unchanged = result.Unchanged });
        var text = Translations.In(ShellExtensions.ReaderCulture(http));
        return Results.Problem(statusCode: 400,
            title: string.Create(CultureInfo.InvariantCulture, $"The roster file has {result.ErrorCount} error(s); nothing of it was stored. Fix the lines listed and send the whole file again."),
            detail: text["Duty.Rejected", result.ErrorCount],
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "roster_rejected",
                ["upload_id"] = result.UploadId,
                ["error_count"] = result.ErrorCount,
                ["errors"] = Issues(text, result),
            });
    }

    /// <summary>
    /// Receives roster entries as JSON for the caller's carrier, or the one a department user names: checked as a
    /// file's rows are, all or nothing. 200 with the counts, or 400 with every problem and its entry (numbered from 1).
    /// </summary>
    private static async Task<IResult> SaveDaysAsync(HttpContext http, string? carrier, CarrierScope scope, DutyRosters rosters)
    {
        var carrierCode = scope.Filter(carrier)
            ?? throw new InputException("carrier_required", "Say which carrier the roster is for: ?carrier=CODE.") { Key = "Upload.CarrierRequired", Parameter = "carrier" };
        if (http.Request.ContentLength > rosters.MaxBytes)
            throw rosters.TooLarge(http.Request.ContentLength.Value);
        var entries = RosterEntries.Read(await rosters.ReadBodyAsync(http.Request.Body, http.RequestAborted));
        var channel = http.User.IsInRole(Roles.CarrierToken) ? "api" : "web";
        var result = await rosters.SaveAsync(entries, channel, carrierCode, Actor.From(http), null, http.RequestAborted);
        if (result.Status == "accepted")
            return Results.Ok(new RosterSaved(result.UploadId, result.CarrierCode, result.Status, result.Rows, result.New, result.Replaced, result.Unchanged));
        var text = Translations.In(ShellExtensions.ReaderCulture(http));
        return Results.Problem(statusCode: 400,
            title: string.Create(CultureInfo.InvariantCulture, $"The roster has {result.ErrorCount} error(s); nothing of it was stored. Fix the entries listed and send them again."),
            detail: text["Duty.EntriesRejected", result.ErrorCount],
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "roster_rejected",
                ["error_count"] = result.ErrorCount,
                ["errors"] = result.Issues.Select(i => new RosterEntryIssue(i.Line, i.Column, i.Code, DutyRosters.Message(text, i))).ToList(),
            });
    }

    public static IReadOnlyList<RosterIssue> Issues(IStringLocalizer<Text> text, RosterSubmission result) =>
        result.Issues.Select(i => new RosterIssue(i.Line, i.Column, i.Code, DutyRosters.Message(text, i))).ToList();
}
