namespace PostalPeak.Shell;

/// <summary>
/// The site's icon, embedded like site.css: browsers ask for /favicon.ico on every page whether or not the layout
/// names an icon, and a 404 there fills the log and the browser console.
/// </summary>
public static class Favicon
{
    public static WebApplication MapFavicon(this WebApplication app)
    {
        var svg = Read("PostalPeak.Shell.favicon.svg");
        var ico = Read("PostalPeak.Shell.favicon.ico");
        app.MapGet("/favicon.svg", () => Results.Bytes(svg, "image/svg+xml")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/favicon.ico", () => Results.Bytes(ico, "image/x-icon")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(Favicon).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The icon {resource} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
