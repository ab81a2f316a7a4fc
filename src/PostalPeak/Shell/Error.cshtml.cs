using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace PostalPeak.Shell;

[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(IStringLocalizer<Text> text) : PageModel
{
    public string RequestId { get; private set; } = "";

    /// <summary>What was wrong with the request, when it was the request (a refused input), in the reader's language.</summary>
    public string? Refusal { get; private set; }

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    private void Describe()
    {
        RequestId = HttpContext.TraceIdentifier;
        var error = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is InputException refused)
            Refusal = text.Explain(refused);
        else if (error is not null && Storage.DatabaseFaults.IsUnavailable(error))
            Refusal = text["Error.database_unavailable"];
        else if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null && Response.StatusCode is >= 400 and < 500)
            Refusal = text[Response.StatusCode is 403 or 404 ? $"Error.Status{Response.StatusCode}" : "Error.StatusOther"];
    }
}
