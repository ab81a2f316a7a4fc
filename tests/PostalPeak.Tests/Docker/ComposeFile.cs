using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PostalPeak.Tests.Docker;

/// <summary>docker/compose.yaml as YAML nodes, with the few shapes Compose allows for the parts the tests read.</summary>
public sealed class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(YamlMappingNode root) => _root = root;

    public static ComposeFile Read(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
            stream.Load(reader);
        return new ComposeFile((YamlMappingNode)Assert.Single(stream.Documents).RootNode);
    }

    public IReadOnlyList<string> ServiceNames => Mapping(_root, "services").Children.Keys.Select(Text).ToList();

    public YamlMappingNode Service(string name) => Mapping(Mapping(_root, "services"), name);

    /// <summary>A service's environment, written either as a mapping or as a list of NAME=value.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var node = Service(service).Children[new YamlScalarNode("environment")];
        return node switch
        {
            YamlMappingNode map => map.Children.ToDictionary(e => Text(e.Key), e => Text(e.Value), StringComparer.Ordinal),
            YamlSequenceNode list => list.Children.Select(Text).Select(item => item.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length == 2 ? p[1] : "", StringComparer.Ordinal),
            _ => throw new InvalidOperationException($"{service}: environment is neither a mapping nor a list"),
        };
    }

    /// <summary>The words of a service's command, in exec form or as one string.</summary>
    public IReadOnlyList<string> Command(string service) => Service(service).Children[new YamlScalarNode("command")] switch
    {
        YamlSequenceNode list => list.Children.Select(Text).ToList(),
        var single => Text(single).Split(' ', StringSplitOptions.RemoveEmptyEntries),
    };

    /// <summary>(host port, container port) of each published port written as "[ip:]host:container".</summary>
    public IReadOnlyList<(int Host, int Container)> Ports(string service) =>
        ((YamlSequenceNode)Service(service).Children[new YamlScalarNode("ports")]).Children.Select(Text)
            .Select(port => port.Split(':'))
            .Select(parts => (int.Parse(parts[^2], CultureInfo.InvariantCulture), int.Parse(parts[^1].Split('/')[0], CultureInfo.InvariantCulture)))
            .ToList();

    public static YamlMappingNode Mapping(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? Assert.IsType<YamlMappingNode>(node)
            : throw new KeyNotFoundException($"No '{key}' in the compose file where it was expected.");

    public static string Scalar(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? Text(node) : throw new KeyNotFoundException($"No '{key}'.");

    private static string Text(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value ?? "";
}
