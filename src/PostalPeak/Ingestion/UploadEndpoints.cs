using System.Security.Claims;
using System.Threading.RateLimiting;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Ingestion;

public static class UploadEndpoints
{
    public const string RateLimitPolicy = "uploads";

    public sealed record UploadIssue(int? Line, string? Column, string Severity, string Code, string Message);
    public sealed record UploadDetail(Upload Upload, IReadOnlyList<UploadIssue> Issues, int IssuesShown);

    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddTransient<UploadProcessor>();
        builder.Services.AddTransient<DropFolderJob>();
        builder.Services.AddTransient<ResumeUploadsJob>();
        builder.Services.AddSingleton<UploadJobs>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value.UploadsPerMinute;
                // One budget per token or person: a runaway script cannot starve the other carriers.
                var key = context.User.TokenId() is { } token ? $"token:{token}" : $"user:{context.User.Identity?.Name}";
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many uploads in a minute; wait a little and send again.",
                    extensions: new Dictionary<string, object?> { ["code"] = "rate_limited" }).ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    public static WebApplication MapIngestion(this WebApplication app)
    {
        app.UseRateLimiter();
        var uploads = app.MapGroup("/api/v1/uploads").WithTags("Uploads");

        uploads.MapPost("/", ReceiveAsync)
            .RequireRateLimiting(RateLimitPolicy)
            // Tokens carry no anti-forgery token; cookie callers are checked inside (see ReceiveAsync).
            .DisableAntiforgery();

        uploads.MapGet("/", async (string? carrier, int? limit, ClaimsPrincipal user, UploadStore store) =>
        {
            var only = user.IsDepartment() ? carrier : user.CarrierCode();
            if (carrier is not null && !user.MayActFor(carrier))
                return Results.Problem(statusCode: 403, title: $"Your account may not see carrier '{carrier}'.", extensions: Code("carrier_forbidden"));
            return Results.Ok(await store.ListAsync(only?.ToUpperInvariant(), Math.Clamp(limit ?? 50, 1, 500)));
        });

        uploads.MapGet("/{id:long}", async Task<IResult> (long id, ClaimsPrincipal user, UploadStore store) =>
        {
            var upload = await store.FindForAsync(id, user);
            if (upload is null)
                return NotFound(id);
            var language = IssueMessages.CurrentLanguage();
            var issues = (await store.IssuesAsync(id)).Select(i => new UploadIssue(i.Line, i.ColumnName, i.Severity, i.Code, i.Message(language))).ToList();
            return Results.Ok(new UploadDetail(upload, issues, issues.Count));
        });

        uploads.MapGet("/{id:long}/errors.csv", async Task<IResult> (long id, ClaimsPrincipal user, UploadStore store, HttpContext http) =>
        {
            var upload = await store.FindForAsync(id, user);
            if (upload is null)
                return NotFound(id);
            var issues = await store.IssuesAsync(id);
            return Results.Stream(stream => ErrorReport.WriteAsync(stream, issues, IssueMessages.CurrentLanguage(), http.RequestAborted),
                "text/csv; charset=utf-8", $"upload-{id}-errors.csv");
        });

        uploads.MapGet("/{id:long}/original", async Task<IResult> (long id, ClaimsPrincipal user, UploadStore store, HttpContext http) =>
        {
            var upload = await store.FindForAsync(id, user);
            if (upload is null)
                return NotFound(id);
            return Results.Stream(stream => store.WriteContentAsync(id, stream, http.RequestAborted), "text/csv", upload.OriginalName);
        });

        // A failed upload is the server's fault, not the file's: an administrator sends it through again once the cause is fixed.
        uploads.MapPost("/{id:long}/retry", async Task<IResult> (long id, HttpContext http, UploadStore store, UploadJobs jobs) =>
        {
            if (await store.FindAsync(id) is null)
                return NotFound(id);
            if (!await store.RetryAsync(id, Actor.From(http), http.RequestAborted))
                throw new InputException("not_failed", $"Only an upload that failed can be processed again (upload {id} is in another state).",
                    StatusCodes.Status409Conflict) { Args = [id] };
            await jobs.QueueAsync(id, http.RequestAborted);
            return Results.Accepted($"/api/v1/uploads/{id}", await store.FindAsync(id));
        }).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };

    /// <summary>Missing and another carrier's answer alike (<see cref="UploadStore.FindForAsync"/>).</summary>
    private static IResult NotFound(long id) =>
        Results.Problem(statusCode: 404, title: $"No upload {id} that your account may see.", extensions: Code("not_found"));

    /// <summary>
    /// Stores the file (multipart field "file", or the raw body with its name in X-File-Name) and queues it.
    /// 202 with the upload's address; the result follows at GET /api/v1/uploads/{id}.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(HttpContext http, string? carrier, UploadStore store, UploadJobs jobs)
    {
        // A person's browser also sends the anti-forgery header; Shell checks it for every API change made with a cookie.
        var user = http.User;
        var carrierCode = user.IsDepartment() ? carrier : user.CarrierCode() ?? carrier;
        if (string.IsNullOrWhiteSpace(carrierCode))
            return Results.Problem(statusCode: 400, title: "Say which carrier the file is for: ?carrier=CODE.", extensions: Code("carrier_required"));
        if (!user.MayActFor(carrierCode))
            return Results.Problem(statusCode: 403, title: $"Your account may not upload for carrier '{carrierCode}'.", extensions: Code("carrier_forbidden"));

        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
            sizeLimit.MaxRequestBodySize = store.MaxBytes + 64 * 1024; // multipart framing
        if (http.Request.ContentLength > store.MaxBytes + 64 * 1024)
            throw store.TooLarge(http.Request.ContentLength.Value);

        Upload upload;
        var language = IssueMessages.CurrentLanguage();
        var channel = user.IsInRole(Roles.CarrierToken) ? "api" : "web";
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var file = form.Files.GetFile("file");
            if (file is null)
                return Results.Problem(statusCode: 400, title: "The form has no field named 'file'.", extensions: Code("file_required"));
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
        await jobs.QueueAsync(upload.Id, http.RequestAborted);
        return Results.Accepted($"/api/v1/uploads/{upload.Id}", upload);
    }
}
