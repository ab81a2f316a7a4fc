using System.Diagnostics;
using System.Text;

namespace PostalPeak.Storage;

/// <summary>Runs a command to completion and captures its output; used for the PostgreSQL tools.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Combined => (Output + Environment.NewLine + Error).Trim();
    }

    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        string? asUser = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (asUser is null)
        {
            start.FileName = fileName;
        }
        else
        {
            // initdb and postgres refuse to run as root, so root runs them as the server user.
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(asUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Messages from the PostgreSQL tools are parsed and shown in English.
        start.Environment["LC_MESSAGES"] = "C";
        start.Environment["LANG"] = "C.UTF-8";

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, await output, await error);
    }
}
