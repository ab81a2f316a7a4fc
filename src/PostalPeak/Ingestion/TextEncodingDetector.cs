using System.Text;

namespace PostalPeak.Ingestion;

/// <summary>
/// Decides how a carrier's file is to be decoded, without reading it into memory: a byte order mark
/// (UTF-8, UTF-16) decides; otherwise UTF-8 when every byte sequence is valid UTF-8, else Windows-1258
/// (legacy Vietnamese Windows). Binary content (NUL bytes, undecodable bytes) is refused as not text.
/// </summary>
public static class TextEncodingDetector
{
    public sealed record Result(Encoding? Encoding, string Name, string? NotTextReason)
    {
        public bool IsText => Encoding is not null;
    }

    static TextEncodingDetector() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1258 => Encoding.GetEncoding(1258, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <param name="open">Opens the content from its start; called once or twice.</param>
    public static async Task<Result> DetectAsync(Func<Task<Stream>> open, CancellationToken cancellationToken)
    {
        var head = new byte[4];
        int headLength;
        await using (var stream = await open())
            headLength = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);

        if (headLength >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
            return await CheckAsync(open, new UTF8Encoding(false, true), "utf-8-bom", cancellationToken);
        if (headLength >= 2 && head[0] == 0xFF && head[1] == 0xFE)
            return await CheckAsync(open, new UnicodeEncoding(false, true, true), "utf-16le", cancellationToken);
        if (headLength >= 2 && head[0] == 0xFE && head[1] == 0xFF)
            return await CheckAsync(open, new UnicodeEncoding(true, true, true), "utf-16be", cancellationToken);

        var utf8 = await CheckAsync(open, new UTF8Encoding(false, true), "utf-8", cancellationToken);
        if (utf8.IsText || utf8.NotTextReason == "binary")
            return utf8;
        var legacy = await CheckAsync(open, Windows1258, "windows-1258", cancellationToken);
        return legacy.IsText ? legacy : new Result(null, "unknown", "undecodable");
    }

    /// <summary>Decodes the whole stream strictly, looking for NUL characters that no CSV contains.</summary>
    private static async Task<Result> CheckAsync(Func<Task<Stream>> open, Encoding encoding, string name, CancellationToken cancellationToken)
    {
        var decoder = encoding.GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[encoding.GetMaxCharCount(bytes.Length) + 4];
        await using var stream = await open();
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(bytes, cancellationToken);
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
                if (chars.AsSpan(0, count).Contains('\0'))
                    return new Result(null, name, "binary");
                if (read == 0)
                    return new Result(encoding, name, null);
            }
        }
        catch (DecoderFallbackException)
        {
            return new Result(null, name, "undecodable");
        }
    }
}
