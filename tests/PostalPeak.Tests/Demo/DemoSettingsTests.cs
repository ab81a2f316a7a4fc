using Microsoft.Extensions.Configuration;
using PostalPeak.Demo;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Demo;

/// <summary>What the demo changes in the configuration, and what it leaves to the operator.</summary>
public sealed class DemoSettingsTests
{
    private static ConfigurationManager Configuration(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings);
        return configuration;
    }

    [Fact]
    public void TheDemoDatabaseLivesBesideThePrivateClusterNeverInsideIt()
    {
        var root = Path.Combine(Path.GetTempPath(), $"pp-demo-{Guid.NewGuid():N}");
        var configuration = Configuration(new() { ["Storage:Embedded:DataDirectory"] = Path.Combine(root, "postalpeak") + Path.DirectorySeparatorChar });

        DemoSettings.Apply(configuration, reset: false);

        Assert.Equal(Path.Combine(root, "postalpeak-demo"), configuration["Storage:Embedded:DataDirectory"]);
        Assert.Equal("true", configuration["Notifications:LocalMailbox"]);
        Assert.Equal("false", configuration["Storage:Backup:Enabled"]);
        Assert.Equal(DemoLoader.DepartmentEmail, configuration["Notifications:DepartmentEmails:0"]);
    }

    [Fact]
    public void ResetDeletesOnlyTheDemoFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), $"pp-demo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "postalpeak", "server"));
        Directory.CreateDirectory(Path.Combine(root, "postalpeak-demo", "server"));
        try
        {
            DemoSettings.Apply(Configuration(new() { ["Storage:Embedded:DataDirectory"] = Path.Combine(root, "postalpeak") }), reset: true);

            Assert.True(Directory.Exists(Path.Combine(root, "postalpeak", "server")));
            Assert.False(Directory.Exists(Path.Combine(root, "postalpeak-demo")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void WhatTheOperatorConfiguredIsKeptAndAResetOfTheirDatabaseIsRefused()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PostalPeak"] = "Host=db;Database=postalpeak",
            ["Alerts:NotifyWithinDays"] = "2",
            ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
        };
        var configuration = Configuration(settings);

        DemoSettings.Apply(configuration, reset: false);
        var refused = Assert.Throws<InputException>(() => DemoSettings.Apply(Configuration(settings), reset: true));

        Assert.Null(configuration["Storage:Embedded:DataDirectory"]);
        Assert.Equal("2", configuration["Alerts:NotifyWithinDays"]);
        Assert.Equal("giamsat@sokhcn.example", configuration["Notifications:DepartmentEmails:0"]);
        Assert.Equal("reset_refused", refused.Code);
    }
}
