using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PostalPeak.Alerts;
using PostalPeak.Cli;
using YamlDotNet.RepresentationModel;

namespace PostalPeak.Tests.Docker;

/// <summary>
/// docker/Dockerfile, docker/compose.yaml and .dockerignore checked against each other and against the
/// product, without a container engine: the mistakes that would only show when the containers start.
/// </summary>
public sealed partial class ContainerSetupTests
{
    private static readonly string Root = Storage.MigrationTests.RepositoryRoot();
    private static readonly string DockerFolder = Path.Combine(Root, "docker");
    private readonly ComposeFile _compose = ComposeFile.Read(Path.Combine(DockerFolder, "compose.yaml"));
    private readonly Dockerfile _dockerfile = Dockerfile.Read(Path.Combine(DockerFolder, "Dockerfile"));

    [Fact]
    public void TheComposeFileParsesWithADatabaseTheAppAndAMailCatcher()
    {
        string[] expected = ["app", "db", "mail"];

        Assert.Equal(expected, _compose.ServiceNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheAppIsBuiltFromTheDockerfileWithTheRepositoryAsContextAndTaggedPostalpeakLatest()
    {
        var build = ComposeFile.Mapping(_compose.Service("app"), "build");

        Assert.Equal("..", ComposeFile.Scalar(build, "context"));
        Assert.Equal("docker/Dockerfile", ComposeFile.Scalar(build, "dockerfile"));
        // Compose reads the context relative to the compose file, and the Dockerfile relative to the context.
        var context = Path.GetFullPath(Path.Combine(DockerFolder, ComposeFile.Scalar(build, "context")));
        Assert.Equal(Path.TrimEndingDirectorySeparator(Root), Path.TrimEndingDirectorySeparator(context));
        Assert.True(File.Exists(Path.Combine(context, ComposeFile.Scalar(build, "dockerfile"))));
        Assert.Equal("postalpeak:latest", ComposeFile.Scalar(_compose.Service("app"), "image"));
    }

    [Fact]
    public void ThePublishedPortLeadsToThePortTheImageExposesAndTheAppListensOn()
    {
        var exposed = int.Parse(_dockerfile.Final("EXPOSE").Split('/')[0], CultureInfo.InvariantCulture);
        var (host, container) = Assert.Single(_compose.Ports("app"));

        Assert.Equal(exposed, container);
        Assert.Equal(exposed, UrlsPort(Dockerfile.ExecForm(_dockerfile.Final("CMD"))));
        Assert.Equal(exposed, UrlsPort(_compose.Command("app")));
        Assert.Equal(exposed, new Uri(_dockerfile.Variable("ASPNETCORE_URLS")!.Replace("+", "localhost", StringComparison.Ordinal)).Port);
        // Links in e-mails must lead to where people reach the app: the published port.
        Assert.Equal(host, new Uri(_compose.Environment("app")["Notifications__PublicBaseUrl"]).Port);
    }

    [Fact]
    public void EveryConfigurationVariableOfTheAppAndTheImageIsADocumentedSetting()
    {
        var known = DocumentedVariables().Concat(AppSettingsVariables()).ToHashSet(StringComparer.Ordinal);
        var app = _compose.Environment("app").Keys.ToList();
        var image = _dockerfile.VariableNames().Where(name => name.Contains("__", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(image);
        // A single underscore, a wrong case or a misspelt section is silently ignored by the app; here it fails.
        Assert.All(app, name => Assert.Contains("__", name, StringComparison.Ordinal));
        Assert.All(app.Concat(image), name => Assert.Contains(ArrayIndex().Replace(name, "__0"), known));
    }

    [Fact]
    public void TheNotificationSettingsBindAndPassTheAppsOwnValidation()
    {
        var options = Configuration(_compose.Environment("app")).GetSection(NotificationOptions.Section).Get<NotificationOptions>()!;

        Assert.True(new NotificationOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("mail", options.Smtp.Host);
        Assert.Contains(options.Smtp.Host, _compose.ServiceNames);
        // Mailpit takes SMTP on 1025, in plain text, from anyone.
        Assert.Equal(1025, options.Smtp.Port);
        Assert.Equal(SmtpSecurity.None, options.Smtp.Security);
        Assert.StartsWith("axllent/mailpit", ComposeFile.Scalar(_compose.Service("mail"), "image"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheConnectionStringReachesTheDatabaseServiceWithItsOwnCredentials()
    {
        var connection = new NpgsqlConnectionStringBuilder(_compose.Environment("app")["ConnectionStrings__PostalPeak"]);
        var db = _compose.Environment("db");

        Assert.Equal("db", connection.Host);
        Assert.Equal(5432, connection.Port);
        Assert.Equal(db["POSTGRES_DB"], connection.Database);
        Assert.Equal(db["POSTGRES_USER"], connection.Username);
        Assert.Equal(db["POSTGRES_PASSWORD"], connection.Password);
    }

    [Fact]
    public void TheAppStartsOnlyOnceTheDatabaseReportsHealthy()
    {
        var dependsOn = ComposeFile.Mapping(_compose.Service("app"), "depends_on");
        var check = ComposeFile.Mapping(_compose.Service("db"), "healthcheck");

        Assert.Equal("service_healthy", ComposeFile.Scalar(ComposeFile.Mapping(dependsOn, "db"), "condition"));
        Assert.Contains(check.Children[new YamlScalarNode("test")].AllNodes.OfType<YamlScalarNode>(),
            word => word.Value?.Contains("pg_isready", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void TheDockerfileBuildsWithTheSdkAndRunsOnTheAspNetRuntimeAsANonRootUser()
    {
        var froms = _dockerfile.Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();

        Assert.True(froms.Count >= 2, "multi-stage: the SDK must not be in the image that runs");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", froms[0], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", froms[^1], StringComparison.Ordinal);
        Assert.Contains(_dockerfile.FinalStage, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=", StringComparison.Ordinal));
        var user = _dockerfile.Final("USER");
        // The base image's 'app' user, by name or by its UID variable; never root.
        Assert.True(user is "app" or "$APP_UID" or "${APP_UID}" || (int.TryParse(user, out var uid) && uid != 0), $"USER {user} is not the non-root app user");
    }

    [Fact]
    public async Task TheImageHealthCheckCallsTheHealthCommandOnTheExposedPort()
    {
        var healthcheck = _dockerfile.Final("HEALTHCHECK");
        var command = Dockerfile.ExecForm(healthcheck[(healthcheck.IndexOf("CMD ", StringComparison.Ordinal) + 4)..]);
        var entrypoint = Dockerfile.ExecForm(_dockerfile.Final("ENTRYPOINT"));

        string[] healthCommand = [.. entrypoint, "health"];
        Assert.Equal(healthCommand, command.Take(entrypoint.Count + 1));
        var url = new Uri(command[command.ToList().IndexOf("--url") + 1]);
        Assert.Equal(int.Parse(_dockerfile.Final("EXPOSE"), CultureInfo.InvariantCulture), url.Port);
        Assert.Equal(HealthCommand.HealthPath, url.AbsolutePath);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ExitCodes.Success, await Commands.RunAsync(["health", "--help"], output, error));
    }

    [Fact]
    public void TheImageInstallsTheChartFontsAndAPgDumpOfTheDatabaseServersMajorVersion()
    {
        var packages = _dockerfile.InstalledPackages();
        var serverMajor = ComposeFile.Scalar(_compose.Service("db"), "image").Split(':')[1].Split('.')[0];

        Assert.Contains("fontconfig", packages);
        Assert.Contains("fonts-dejavu-core", packages);
        Assert.Contains($"postgresql-client-{serverMajor}", packages);
    }

    [Fact]
    public void TheEntrypointRunsTheProjectsAssembly()
    {
        var project = XDocument.Load(Path.Combine(Root, "src", "PostalPeak", "PostalPeak.csproj"));
        var assemblyName = project.Descendants("AssemblyName").Single().Value;

        string[] expected = ["dotnet", $"{assemblyName}.dll"];

        Assert.Equal(expected, Dockerfile.ExecForm(_dockerfile.Final("ENTRYPOINT")));
        Assert.Equal(assemblyName, typeof(Program).Assembly.GetName().Name);
    }

    [Fact]
    public void EveryFileTheBuildCopiesIsInTheBuildContextAndTheTestsAreNot()
    {
        var context = new BuildContext(Root);
        var sources = _dockerfile.Instructions
            .Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from=", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .Select(source => source.TrimEnd('/'))
            .ToList();
        // The project copies files from outside its folder into the output; they must come with the build.
        var projectFolder = Path.Combine(Root, "src", "PostalPeak");
        var linked = XDocument.Load(Path.Combine(projectFolder, "PostalPeak.csproj")).Descendants()
            .Select(e => e.Attribute("Include")?.Value).OfType<string>()
            .SelectMany(include => include.Split(';'))
            .Where(include => include.StartsWith("../", StringComparison.Ordinal))
            .Select(include => Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(projectFolder, include))).Replace('\\', '/'))
            .ToList();

        Assert.NotEmpty(linked);
        Assert.All(linked, include => Assert.Contains(sources, source => include.StartsWith(source + "/", StringComparison.Ordinal)));
        Assert.All(sources.SelectMany(context.FilesUnder), file => Assert.True(context.Includes(file), $"{file} is left out of the build context"));
        Assert.False(context.Includes("tests/PostalPeak.Tests/PostalPeak.Tests.csproj"));
        Assert.False(context.Includes("src/PostalPeak/bin/Debug/net10.0/PostalPeak.dll"));
    }

    private static int UrlsPort(IReadOnlyList<string> command)
    {
        var urls = command[command.ToList().IndexOf("--urls") + 1];
        return new Uri(urls.Replace("+", "localhost", StringComparison.Ordinal)).Port;
    }

    private static IConfiguration Configuration(IReadOnlyDictionary<string, string> environment) => new ConfigurationBuilder()
        .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
        .Build();

    /// <summary>The environment variables named in the README's configuration table.</summary>
    private static IEnumerable<string> DocumentedVariables()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has a Configuration section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)].Split('\n')
            .Where(line => line.StartsWith('|'))
            .Select(line => line.Split('|'))
            .Where(cells => cells.Length > 3)
            .SelectMany(cells => Quoted().Matches(cells[2]).Select(m => m.Groups[1].Value));
    }

    /// <summary>Every leaf of appsettings.json as an environment variable name.</summary>
    private static List<string> AppSettingsVariables()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src", "PostalPeak", "appsettings.json")));
        var names = new List<string>();
        void Walk(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}__{property.Name}");
            }
            else
            {
                names.Add(path);
            }
        }
        Walk(json.RootElement, "");
        return names;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"__\d+(?=__|$)")]
    private static partial Regex ArrayIndex();
}
