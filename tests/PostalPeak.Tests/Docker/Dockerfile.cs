using System.Text.Json;

namespace PostalPeak.Tests.Docker;

/// <summary>
/// docker/Dockerfile read with plain line logic: continuation lines joined, comments dropped, one
/// instruction per logical line, numbered by the build stage it belongs to.
/// </summary>
public sealed class Dockerfile
{
    public sealed record Instruction(int Stage, string Keyword, string Arguments);

    private Dockerfile(IReadOnlyList<Instruction> instructions) => Instructions = instructions;

    public IReadOnlyList<Instruction> Instructions { get; }

    public int Stages => Instructions.Count(i => i.Keyword == "FROM");

    public IEnumerable<Instruction> FinalStage => Instructions.Where(i => i.Stage == Stages - 1);

    public static Dockerfile Read(string path)
    {
        var instructions = new List<Instruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
                continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var logical = (pending + line).Trim();
            pending = "";
            if (logical.Length == 0)
                continue;
            var space = logical.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? logical : logical[..space]).ToUpperInvariant();
            if (keyword == "FROM")
                stage++;
            instructions.Add(new Instruction(stage, keyword, space < 0 ? "" : logical[(space + 1)..].Trim()));
        }
        return new Dockerfile(instructions);
    }

    /// <summary>The last instruction of a kind in the final stage: the one in force in the image.</summary>
    public string Final(string keyword) => FinalStage.Last(i => i.Keyword == keyword).Arguments;

    /// <summary>A value set by ENV or ARG in the final stage (KEY=value pairs, quotes removed).</summary>
    public string? Variable(string name)
    {
        string? value = null;
        foreach (var instruction in FinalStage.Where(i => i.Keyword is "ENV" or "ARG"))
        {
            foreach (var pair in instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                if (parts[0] == name)
                    value = parts.Length == 2 ? parts[1].Trim('"') : "";
            }
        }
        return value;
    }

    public IEnumerable<string> VariableNames() => FinalStage.Where(i => i.Keyword == "ENV")
        .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(pair => pair.Split('=', 2)[0]);

    /// <summary>The words of an exec form, e.g. ["dotnet", "PostalPeak.dll"].</summary>
    public static IReadOnlyList<string> ExecForm(string arguments)
    {
        Assert.StartsWith("[", arguments, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<List<string>>(arguments)!;
    }

    /// <summary>The packages every `apt-get install` of the final stage names, with ARG values put in.</summary>
    public IReadOnlyList<string> InstalledPackages()
    {
        var packages = new List<string>();
        foreach (var run in FinalStage.Where(i => i.Keyword == "RUN"))
        {
            foreach (var command in run.Arguments.Split("&&"))
            {
                var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length > 2 && words[0] == "apt-get" && words[1] == "install")
                    packages.AddRange(words[2..].Where(w => !w.StartsWith('-')).Select(Substitute));
            }
        }
        return packages;
    }

    private string Substitute(string word)
    {
        foreach (var name in FinalStage.Where(i => i.Keyword == "ARG").Select(i => i.Arguments.Split('=', 2)[0]))
            word = word.Replace("${" + name + "}", Variable(name), StringComparison.Ordinal);
        return word;
    }
}
