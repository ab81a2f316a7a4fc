namespace PostalPeak.Shell;

/// <summary>
/// The browser-side defences on every response (pages, API, charts, errors, the stylesheet and scripts): a Content
/// Security Policy, no framing, no content sniffing, no address leaking to other sites, and HSTS once the request
/// came over HTTPS (directly or, with forwarded headers on, through the proxy).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The pages load their stylesheet and scripts from this site only, with no inline script or style: an injected
    /// &lt;script&gt; or style attribute does nothing.
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Hangfire's dashboard (administrators only) is a third party's markup, full of style attributes; its scripts are
    /// files, so inline script stays forbidden and only inline style is let through.
    /// </summary>
    public const string JobsPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>An SVG chart opened on its own is a document that could hold script: it may only style itself.</summary>
    public const string SvgPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    /// <summary>JSON, CSV, PNG, the stylesheet and scripts are never a document that loads anything.</summary>
    public const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";

    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>First in the pipeline, and at response start: an error page or problem clears the headers set before it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // The address asked for, before an error page is run in its place.
        var jobs = context.Request.Path.StartsWithSegments("/hangfire");
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // A 304's headers would replace those of the page the browser keeps.
            if (context.Response.StatusCode != StatusCodes.Status304NotModified)
                headers.ContentSecurityPolicy = PolicyFor(context.Response.ContentType, jobs);
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (context.Request.IsHttps)
                headers.StrictTransportSecurity = StrictTransportSecurity;
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>By what the answer is, not its address: a misspelt chart's error page is a page like any other.</summary>
    private static string PolicyFor(string? contentType, bool jobs) =>
        contentType?.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase) == true ? SvgPolicy
        : contentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true ? jobs ? JobsPolicy : PagePolicy
        // A bare status (a redirect, 204) has no content type: the strictest.
        : DataPolicy;
}
