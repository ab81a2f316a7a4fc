namespace PostalPeak.Shell;

/// <summary>
/// The pages' scripts, embedded like site.css and served from this site: the Content Security Policy allows
/// script files from here and no inline script.
/// </summary>
public static class Scripts
{
    private static readonly Dictionary<string, string> Resources = new()
    {
        ["site.js"] = "PostalPeak.Shell.site.js",
        ["upload.js"] = "PostalPeak.Ingestion.upload.js",
        ["dashboard.js"] = "PostalPeak.Dashboard.dashboard.js",
        ["roster-edit.js"] = "PostalPeak.Duty.roster-edit.js",
    };

    public static WebApplication MapScripts(this WebApplication app)
    {
        foreach (var (name, resource) in Resources)
        {
            using var stream = typeof(Scripts).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The script {resource} is not embedded.");
            var text = new StreamReader(stream).ReadToEnd();
            app.MapGet("/js/" + name, () => Results.Text(text, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        }
        return app;
    }
}
