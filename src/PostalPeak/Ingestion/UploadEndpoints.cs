using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Ingestion;

public static class UploadEndpoints
{
    /// <param name="Column">The canonical column, or the file's header when it names none.</param>
    /// <param name="ColumnHeader">What the file called <paramref name="Column"/>, when it had such a header.</param>
    public sealed record UploadIssue(int? Line, string? Column, string Severity, string Code, string Message, string? ColumnHeader);
    public sealed record UploadDetail(Upload Upload, IReadOnlyList<UploadIssue> Issues, int IssuesShown);

    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddTransient<UploadProcessor>();
        builder.Services.AddTransient<DropFolderJob>();
        builder.Services.AddTransient<ResumeUploadsJob>();
        builder.Services.AddTransient<UploadPipeline>();
        builder.Services.AddSingleton<UploadRateLimit>();
        return builder;
    }

    public static WebApplication MapIngestion(this WebApplication app)
    {
        var uploads = app.MapGroup("/api/v1/uploads").WithTags("Uploads").RequireCarrierAccess();

        uploads.MapPost("/", ReceiveAsync)
            // Tokens carry no anti-forgery token; cookie callers are checked inside (see ReceiveAsync).
            .DisableAntiforgery();

        uploads.MapGet("/", async (string? carrier, int? limit, CarrierScope scope, UploadStore store) =>
            Results.Ok(await store.ListAsync(scope.Filter(carrier), Math.Clamp(limit ?? 50, 1, 500))));

        uploads.MapGet("/{id:long}", async Task<IResult> (long id, CarrierScope scope, UploadStore store, HttpContext http, IStringLocalizer<Text> text) =>
        {
            var upload = await store.FindForAsync(id, scope);
            if (upload is null)
                return NotFound(http, id);
            var issues = (await store.IssuesAsync(id)).Select(i => new UploadIssue(i.Line, i.ColumnName, i.Severity, i.Code, i.Message(text), i.ColumnHeader)).ToList();
            return Results.Ok(new UploadDetail(upload, issues, issues.Count));
        });

        // A file to fill in rather than a layout to copy from a guide.
        uploads.MapGet("/template.csv", () => Results.Text(string.Join(',', ReportColumns.TemplateHeader) + "\r\n",
                "text/csv; charset=utf-8"))
            .WithName("UploadTemplate");

        uploads.MapGet("/{id:long}/errors.csv", async Task<IResult> (long id, CarrierScope scope, UploadStore store, HttpContext http) =>
        {
            var upload = await store.FindForAsync(id, scope);
            if (upload is null)
                return NotFound(http, id);
            var issues = await store.IssuesAsync(id);
            // The uploader's language (what the file was sent in), unless the reader chose one.
            var text = Translations.In(ShellExtensions.ChosenCulture(http) ?? Translations.Culture(upload.Language));
            return Results.Stream(stream => ErrorReport.WriteAsync(stream, issues, text, http.RequestAborted),
                "text/csv; charset=utf-8", $"upload-{id}-errors.csv");
        });

        uploads.MapGet("/{id:long}/original", async Task<IResult> (long id, CarrierScope scope, UploadStore store, HttpContext http) =>
        {
            var upload = await store.FindForAsync(id, scope);
            if (upload is null)
                return NotFound(http, id);
            return Results.Stream(stream => store.WriteContentAsync(id, stream, http.RequestAborted), "text/csv", upload.OriginalName);
        });

        // A failed upload is the server's fault, not the file's: an administrator sends it through again once the cause is fixed.
        uploads.MapPost("/{id:long}/retry", async Task<IResult> (long id, HttpContext http, UploadStore store, UploadPipeline pipeline) =>
        {
            if (await store.FindAsync(id) is null)
                return NotFound(http, id);
            if (!await store.RetryAsync(id, Actor.From(http), http.RequestAborted))
                throw new InputException("not_failed", $"Only an upload that failed can be processed again (upload {id} is in another state).",
                    StatusCodes.Status409Conflict) { Args = [id] };
            await pipeline.QueueAsync(id, http.RequestAborted);
            return Results.Accepted($"/api/v1/uploads/{id}", await store.FindAsync(id));
        }).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };

    /// <summary>The text of a problem's detail, in the reader's language (<see cref="ShellExtensions.ReaderCulture"/>).</summary>
    private static string Detail(HttpContext http, string key, params object[] args) => Translations.In(ShellExtensions.ReaderCulture(http))[key, args];

    /// <summary>Missing and another carrier's answer alike (<see cref="UploadStore.FindForAsync"/>).</summary>
    private static IResult NotFound(HttpContext http, long id) =>
        Results.Problem(statusCode: 404, title: $"No upload {id} that your account may see.", detail: Detail(http, "Upload.NotFound", id), extensions: Code("not_found"));

    /// <summary>
    /// Stores the file (multipart field "file", or the raw body with its name in X-File-Name) and queues it.
    /// 202 with the upload's address; the result follows at GET /api/v1/uploads/{id}.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(HttpContext http, string? carrier, UploadStore store, UploadRateLimit rateLimit,
        IOptions<IngestionOptions> options, UploadPipeline pipeline)
    {
        // A person's browser also sends the anti-forgery header; Shell checks it for every API change made with a cookie.
        var user = http.User;
        // A token or carrier manager naming another carrier is refused, not quietly filed under its own.
        var carrierCode = CarrierScope.Of(user).Filter(carrier);
        if (carrierCode is null)
            return Results.Problem(statusCode: 400, title: "Say which carrier the file is for: ?carrier=CODE.", detail: Detail(http, "Upload.CarrierRequired"),
                extensions: Code("carrier_required"));
        // Counted before the body is read: a flood costs one small statement per request, not a stored file.
        if (await rateLimit.TakeAsync(carrierCode, http.RequestAborted) is { } retryAfter)
        {
            var seconds = (int)retryAfter.TotalSeconds;
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                title: $"Carrier '{carrierCode}' has sent {options.Value.UploadsPerMinute} uploads within a minute, the most allowed for all its tokens and people together; send again in {seconds} s.",
                detail: Detail(http, "Error.rate_limited", options.Value.UploadsPerMinute, seconds),
                extensions: new Dictionary<string, object?> { ["code"] = "rate_limited", ["retry_after"] = seconds });
        }

        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
            sizeLimit.MaxRequestBodySize = store.MaxBytes + 64 * 1024; // multipart framing
        if (http.Request.ContentLength > store.MaxBytes + 64 * 1024)
            throw store.TooLarge(http.Request.ContentLength.Value);

        Upload upload;
        // The language the uploader chose, kept with the upload: its errors.csv and the drop folder's report speak it.
        var language = ShellExtensions.ChosenCulture(http)?.TwoLetterISOLanguageName == "en" ? "en" : "vi";
        var channel = user.IsInRole(Roles.CarrierToken) ? "api" : "web";
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var file = form.Files.GetFile("file");
            if (file is null)
                return Results.Problem(statusCode: 400, title: "The form has no field named 'file'.", detail: Detail(http, "Upload.FileRequired"),
                    extensions: Code("file_required"));
            if (file.Length > store.MaxBytes)
                throw store.TooLarge(file.Length);
            await using var content = file.OpenReadStream();
            upload = await store.ReceiveAsync(content, file.FileName, channel, carrierCode, Actor.From(http), language, http.RequestAborted);
        }
        else
        {
            var name = http.Request.Headers["X-File-Name"].ToString();
            upload = await store.ReceiveAsync(http.Request.Body, string.IsNullOrWhiteSpace(name) ? "upload.csv" : Uri.UnescapeDataString(name),
                channel, carrierCode, Actor.From(http), language, http.RequestAborted);
        }
        await pipeline.QueueAsync(upload.Id, http.RequestAborted);
        return Results.Accepted($"/api/v1/uploads/{upload.Id}", upload);
    }
}
