using System.Text.RegularExpressions;

namespace PostalPeak.Tests.Docker;

/// <summary>
/// What `docker build` sends from the repository root: every file not matched by a .dockerignore pattern
/// (`*` within one folder, `**` across folders, a matched folder hides what is under it, `!` re-includes).
/// </summary>
public sealed class BuildContext(string root)
{
    private readonly IReadOnlyList<(Regex Pattern, bool Exclude)> _rules = File.ReadAllLines(Path.Combine(root, ".dockerignore"))
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => (Glob(line.TrimStart('!').Trim('/')), !line.StartsWith('!')))
        .ToList();

    /// <summary>Whether a path relative to the root (with '/') reaches the build.</summary>
    public bool Includes(string relativePath)
    {
        var included = true;
        foreach (var (pattern, exclude) in _rules)
        {
            if (Prefixes(relativePath).Any(pattern.IsMatch))
                included = !exclude;
        }
        return included;
    }

    /// <summary>The repository's files under a folder or file of the root, as relative paths, skipping build output.</summary>
    public IEnumerable<string> FilesUnder(string relativePath)
    {
        var full = Path.Combine(root, relativePath);
        IEnumerable<string> files = File.Exists(full) ? [full] : Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories);
        return files.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"));
    }

    private static IEnumerable<string> Prefixes(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i <= parts.Length; i++)
            yield return string.Join('/', parts[..i]);
    }

    private static Regex Glob(string pattern)
    {
        var regex = Regex.Escape(pattern)
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex($"^{regex}$", RegexOptions.CultureInvariant);
    }
}
