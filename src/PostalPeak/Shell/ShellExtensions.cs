using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace PostalPeak.Shell;

/// <summary>What every page and endpoint shares: layout, languages, errors as problem details, health, OpenAPI.</summary>
public static class ShellExtensions
{
    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    public static IHostApplicationBuilder AddShell(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        // A parameter that cannot be read (season=abc, a date of 2026-13-01, broken JSON) throws, so the answer can name
        // it rather than be a bare "Bad Request".
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Vietnamese letters are written as themselves, not as &#x1EAD; entities.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddRazorPages(options => options.RootDirectory = "/").AddViewLocalization();
        builder.Services.AddProblemDetails();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "postalpeak.af";
            // Script on the upload page sends the token in this header.
            options.HeaderName = "X-CSRF-TOKEN";
        });
        builder.Services.AddOpenApi("v1");
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Vietnamese);
            options.SupportedCultures = options.SupportedUICultures = [Vietnamese, English];
            // Vietnamese unless the person chose English (cookie or ?culture=en-US); API clients may also ask with Accept-Language.
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new CustomRequestCultureProvider(context => context.Request.Path.StartsWithSegments("/api")
                    ? new AcceptLanguageHeaderRequestCultureProvider().DetermineProviderCultureResult(context)
                    : Task.FromResult<ProviderCultureResult?>(null)),
            ];
        });
        return builder;
    }

    public static WebApplication UseShell(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            // A refused input on a page or a chart (an unknown alert, a misspelt chart) is the reader's mistake, not the
            // server's: its own status, the error page says what, and the log stays for real failures.
            StatusCodeSelector = exception => exception switch
            {
                InputException input => input.Status,
                BadHttpRequestException bad => bad.StatusCode,
                _ when Storage.DatabaseFaults.IsUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            SuppressDiagnosticsCallback = context => context.Exception is InputException or BadHttpRequestException,
            AllowStatusCode404Response = true,
        });
        app.Use(ApiProblems);
        // A bare status (a page's NotFound(), a route that does not match): problem JSON for the API, the error page
        // in the reader's language for people.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/error", "?status={0}"));
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseInputCharacterCheck();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: who may not act at all hears 401 or 403, not a token complaint.
        app.Use(ApiAntiforgery);
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapShell(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapOpenApi("/api/v1/openapi.json").AllowAnonymous();
        app.MapGet("/site.css", () => Results.Text(SiteCss.Value, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapScripts();
        app.MapFavicon();

        // The language switch in the page header: a form post, so it carries the anti-forgery token like every form.
        app.MapPost("/culture", ([FromForm] string culture, [FromForm] string? returnUrl, HttpContext context) =>
        {
            // Checked before the cookie is set: a refused switch changes nothing.
            if (!string.IsNullOrEmpty(returnUrl) && !IsLocalUrl(returnUrl))
                throw new InputException("invalid_return_url", "'returnUrl' must be a page of this site, a path starting with one '/'.")
                    { Args = ["returnUrl"], Parameter = "returnUrl" };
            var chosen = culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Vietnamese;
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Url.IsLocalUrl's rule: a path with one leading '/'. "//host" and "/\host" are another site to a browser, and a
    /// browser drops tabs and line breaks, so "/\t/host" would become "//host".
    /// </summary>
    private static bool IsLocalUrl(string url) =>
        url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\' && !url.Any(char.IsControl)));

    private static readonly Lazy<string> SiteCss = new(() =>
    {
        using var stream = typeof(ShellExtensions).Assembly.GetManifestResourceStream("PostalPeak.Shell.site.css")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>
    /// API errors become RFC 9457 problems: fixable input as a 4xx with a stable code, anything else as a 500
    /// without internals. Pages keep the friendly /error page.
    /// </summary>
    /// <summary>
    /// A browser's cookie goes with every request to this site, including ones another page made it send; so
    /// any API call that changes something on a person's cookie must carry the anti-forgery token the pages
    /// hand out (header X-CSRF-TOKEN). Machines with bearer tokens send no cookie and need none.
    /// </summary>
    private static async Task ApiAntiforgery(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api")
            && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            && context.User.Identity?.IsAuthenticated == true
            && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !await context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().IsRequestValidAsync(context))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "The anti-forgery token is missing or invalid; reload the page and try again.",
                detail: Translations.In(ReaderCulture(context))["Error.antiforgery"],
                extensions: new Dictionary<string, object?> { ["code"] = "antiforgery" }).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>
    /// The language the reader of an API answer chose, or null when they chose none: a person chooses with the culture
    /// cookie (the language switch) or ?culture=, never with the browser's Accept-Language, which follows the computer
    /// rather than the page; a bearer-token client chooses with ?culture= or Accept-Language.
    /// </summary>
    public static CultureInfo? ChosenCulture(HttpContext context)
    {
        var chosen = context.Features.Get<IRequestCultureFeature>();
        return chosen?.Provider switch
        {
            QueryStringRequestCultureProvider or CookieRequestCultureProvider => chosen.RequestCulture.UICulture,
            not null when IsBearer(context) => chosen.RequestCulture.UICulture,
            _ => null,
        };
    }

    /// <summary>
    /// The language of a problem's <c>detail</c>: the reader's choice, else Vietnamese for a person (the pages' language)
    /// and English for a bearer-token client (what machines have always read in <c>title</c>).
    /// </summary>
    public static CultureInfo ReaderCulture(HttpContext context) => ChosenCulture(context) ?? (IsBearer(context) ? English : Vietnamese);

    private static bool IsBearer(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A refusal that asks the reader to wait and send again (a full queue, the database away) is said in the caller's
    /// language: the upload page shows it as it comes. Other problems keep their English title; pages translate by code.
    /// </summary>
    /// <remarks>
    /// The request's culture was set further down the pipeline and does not flow back up with the exception, so the
    /// text is read in it explicitly (its numbers too).
    /// </remarks>
    private static string Localized(HttpContext context, InputException refused) =>
        Translations.In(context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture ?? Vietnamese).Explain(refused);

    private static string Localized(HttpContext context, string code, string english) =>
        Localized(context, new InputException(code, english));

    /// <summary>
    /// The error page itself needs the database (sign-in, the layout), so while the database is away a page gets this
    /// plain one instead, in the reader's language.
    /// </summary>
    private static async Task UnavailablePageAsync(HttpContext context)
    {
        var text = System.Net.WebUtility.HtmlEncode(Localized(context, "database_unavailable", "The database cannot be reached for the moment."));
        var language = context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.TwoLetterISOLanguageName ?? "vi";
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PostalPeak.Pages")
            .LogWarning("The database is unavailable; {Path} answered 503", context.Request.Path);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "30";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!doctype html><html lang="{language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>PostalPeak</title><link rel="stylesheet" href="/site.css"></head>
            <body><main><h1>PostalPeak</h1><p class="error">{text}</p></main></body></html>
            """);
    }

    private static async Task ApiProblems(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            try
            {
                await next(context);
            }
            catch (Exception exception) when (!context.Response.HasStarted && Storage.DatabaseFaults.IsUnavailable(exception))
            {
                await UnavailablePageAsync(context);
            }
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && exception is not OperationCanceledException)
        {
            var reader = Translations.In(ReaderCulture(context));
            var (status, title, code) = exception switch
            {
                InputException { RetryAfterSeconds: not null } input => (input.Status, Localized(context, input), input.Code),
                InputException input => (input.Status, exception.Message, input.Code),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge,
                    "The file is larger than the upload limit. Split it into several files.", "too_large"),
                BadHttpRequestException bad => (bad.StatusCode,
                    "The request could not be read: " + bad.Message + (bad.InnerException is System.Text.Json.JsonException json ? " " + json.Message : ""),
                    "bad_request"),
                // Said plainly: an upload refused here was not stored, and waiting for it would lose the report.
                _ when Storage.DatabaseFaults.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable,
                    Localized(context, "database_unavailable", "The database cannot be reached for the moment. Nothing was done, and a file sent with the request was NOT received: send it again in a few minutes."),
                    "database_unavailable"),
                _ => (StatusCodes.Status500InternalServerError, "Something went wrong on the server. If you were sending a file, look for it in the upload list before sending it again; report the error if it persists.", "internal_error"),
            };
            // The same refusal in the reader's language, with numbers and sizes written their way; title keeps the
            // wording API clients have always had.
            var detail = exception switch
            {
                InputException input => reader.Explain(input),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    reader.Explain(context.RequestServices.GetRequiredService<Ingestion.UploadStore>().TooLarge(0)),
                BadHttpRequestException bad => reader["Error.bad_request", bad.Message].Value,
                _ when status == StatusCodes.Status503ServiceUnavailable => reader["Error.database_unavailable"].Value,
                _ => reader["Error.internal_error"].Value,
            };
            var retryAfter = exception switch
            {
                InputException { RetryAfterSeconds: { } seconds } => seconds,
                _ when status == StatusCodes.Status503ServiceUnavailable => 30,
                _ => (int?)null,
            };
            var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PostalPeak.Api");
            if (status == StatusCodes.Status503ServiceUnavailable)
                log.LogWarning("The database is unavailable; {Path} answered 503: {Reason}", context.Request.Path, exception.Message);
            else if (status >= 500)
                log.LogError(exception, "Unhandled error on {Path}", context.Request.Path);
            var problem = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Extensions = { ["code"] = code, ["trace_id"] = context.TraceIdentifier },
            };
            if (exception is InputException { Parameter: { } parameter })
                problem.Extensions["parameter"] = parameter;
            context.Response.Clear();
            context.Response.StatusCode = status;
            if (retryAfter is { } after)
                context.Response.Headers.RetryAfter = after.ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}
