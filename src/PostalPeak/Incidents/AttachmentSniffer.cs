using PostalPeak.Shell;

namespace PostalPeak.Incidents;

/// <summary>A file sent with an incident or an update, before it is checked.</summary>
public sealed record IncomingFile(string FileName, string? ClaimedType, byte[] Content);

/// <summary>
/// What an attachment really is, read from its first bytes: PNG, JPEG or PDF. A file whose bytes are none of them, or
/// whose name or declared type says something else than its bytes, is refused: a text file named photo.png is not a photo.
/// </summary>
public static class AttachmentSniffer
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();

    public static string? Sniff(ReadOnlySpan<byte> content) =>
        content.StartsWith(Png) ? "image/png"
        : content.StartsWith(Jpeg) ? "image/jpeg"
        : content.StartsWith(Pdf) ? "application/pdf"
        : null;

    private static string? ByExtension(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".pdf" => "application/pdf",
        _ => null,
    };

    /// <summary>The content type to keep and serve, or an <see cref="InputException"/> naming the file.</summary>
    public static string Check(IncomingFile file, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = file.FileName;
        if (file.Content.Length == 0)
            throw new InputException("attachment_empty", $"The file '{name}' is empty.") { Args = [name] };
        if (file.Content.Length > maxBytes)
            throw TooLarge(name, maxBytes);
        var sniffed = Sniff(file.Content)
            ?? throw new InputException("attachment_unsupported", $"The file '{name}' is not a PNG or JPEG image or a PDF document.",
                StatusCodes.Status415UnsupportedMediaType) { Args = [name] };
        var claimed = file.ClaimedType?.Split(';')[0].Trim().ToLowerInvariant();
        if (claimed is "image/jpg" or "image/pjpeg")
            claimed = "image/jpeg";
        if (ByExtension(name) != sniffed || (!string.IsNullOrEmpty(claimed) && claimed != "application/octet-stream" && claimed != sniffed))
            throw new InputException("attachment_mismatch", $"The file '{name}' is not what its name or type says: its content is {sniffed}.",
                StatusCodes.Status415UnsupportedMediaType) { Args = [name] };
        return sniffed;
    }

    public static InputException TooLarge(string name, long maxBytes) =>
        new("attachment_too_large", string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The file '{name}' is larger than the limit of {maxBytes:N0} bytes."), StatusCodes.Status413PayloadTooLarge) { Args = [name, new ByteSize(maxBytes)] };
}
