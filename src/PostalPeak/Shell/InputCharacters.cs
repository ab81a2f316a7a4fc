using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace PostalPeak.Shell;

/// <summary>
/// PostgreSQL cannot store a NUL (U+0000) in text (22021), so a NUL in a query parameter, a form field, a JSON body,
/// an uploaded file's name or X-File-Name is refused here, once for every endpoint and page, as a 400 naming the parameter;
/// otherwise it would reach a query and come back as a 500. Kestrel already refuses a NUL in the path, so route
/// values cannot carry one.
/// </summary>
public static class InputCharacters
{
    public const string Code = "invalid_character";
    public const string FileNameHeader = "X-File-Name";

    /// <summary>After routing (an endpoint's own form limits are in place), before anything reads the form.</summary>
    public static IApplicationBuilder UseInputCharacterCheck(this IApplicationBuilder app) => app.Use(Check);

    private static async Task Check(HttpContext context, RequestDelegate next)
    {
        // The error page that reports a refusal runs through here again, with the same query string.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }
        var request = context.Request;
        foreach (var (name, values) in request.Query)
            Refuse(name, values);
        if (request.Headers.TryGetValue(FileNameHeader, out var header))
        {
            Refuse(FileNameHeader, header);
            // The upload reads the header percent-decoded: a %00 in it is a NUL too.
            foreach (var value in header)
                if (value is not null && Uri.UnescapeDataString(value).Contains('\0', StringComparison.Ordinal))
                    throw Refused(FileNameHeader);
        }
        if (request.HasFormContentType && context.Features.Get<IFormFeature>() is not CheckedForm)
        {
            var form = context.Features.Get<IFormFeature>()
                ?? new FormFeature(request, context.RequestServices.GetRequiredService<IOptions<FormOptions>>().Value);
            if (form.Form is { } read)
                CheckedForm.Check(read);
            else
            {
                // Checked when a page or endpoint reads it, not read here ahead of them: an upload raises its own body
                // size limit first. A small form is kept, so a refused one can be read again to name the field.
                if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
                    request.EnableBuffering();
                context.Features.Set<IFormFeature>(new CheckedForm(form, request));
            }
        }
        if (request.HasJsonContentType() && request.ContentLength is null or (> 0 and <= JsonBodyLimit))
            await CheckJsonAsync(request, context.RequestAborted);
        await next(context);
    }

    /// <summary>The API's JSON bodies are small; a larger one is left to the endpoint's own limits.</summary>
    private const int JsonBodyLimit = 1024 * 1024;

    /// <summary>Every string in a JSON body, named by the property it is the value of (or an element of).</summary>
    private static async Task CheckJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while (body.Length <= JsonBodyLimit && (read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            body.Write(buffer, 0, read);
        request.Body.Position = 0;
        if (body.Length > JsonBodyLimit)
            return;
        var reader = new System.Text.Json.Utf8JsonReader(body.GetBuffer().AsSpan(0, (int)body.Length));
        var property = "body";
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
                    property = reader.GetString()!;
                if (reader.TokenType is System.Text.Json.JsonTokenType.PropertyName or System.Text.Json.JsonTokenType.String
                    && reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                    throw Refused(property);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON after all: the endpoint says so in its own words.
        }
    }

    private static void Refuse(string name, StringValues values)
    {
        foreach (var value in values)
            if (value is not null && value.Contains('\0', StringComparison.Ordinal))
                throw Refused(name);
    }

    private static InputException Refused(string name) =>
        new(Code, $"'{name}' contains a NUL character (U+0000), which cannot be stored; remove it and send again.") { Args = [name], Parameter = name };

    private sealed class CheckedForm(IFormFeature inner, HttpRequest request) : IFormFeature
    {
        public bool HasFormContentType => inner.HasFormContentType;

        public IFormCollection? Form
        {
            get => inner.Form is { } form ? Check(form) : null;
            set => inner.Form = value;
        }

        public IFormCollection ReadForm() => Check(inner.ReadForm());

        public async Task<IFormCollection> ReadFormAsync(CancellationToken cancellationToken)
        {
            try
            {
                return Check(await inner.ReadFormAsync(cancellationToken));
            }
            catch (InvalidDataException) when (request.Body.CanSeek)
            {
                // The framework refuses a NUL in an encoded form without saying where (and anti-forgery turns that into a
                // bare 400): find the field.
                request.Body.Position = 0;
                using var reader = new StreamReader(request.Body, leaveOpen: true);
                foreach (var (name, values) in QueryHelpers.ParseQuery(await reader.ReadToEndAsync(cancellationToken)))
                    Refuse(name, values);
                throw;
            }
        }

        public static IFormCollection Check(IFormCollection form)
        {
            foreach (var (name, values) in form)
                Refuse(name, values);
            foreach (var file in form.Files)
                if (file.FileName.Contains('\0', StringComparison.Ordinal))
                    throw Refused(file.Name);
            return form;
        }
    }
}
