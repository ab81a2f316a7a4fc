using System.Globalization;
using PostalPeak.Benchmarks;

// Benchmarks, not tests: they print figures for docs/benchmarks.md.
//   dotnet run -c Release --project tests/PostalPeak.Benchmarks -- ingestion [rows]   (default 1,000,000)
//   dotnet run -c Release --project tests/PostalPeak.Benchmarks -- indicators [carriers]   (default 20)
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

var mode = args.Length > 0 ? args[0] : "ingestion";
var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : (int?)null;
switch (mode)
{
    case "indicators":
        await IndicatorBenchmark.RunAsync(size ?? 20);
        break;
    case "ingestion":
        await IngestionBenchmark.RunAsync(size ?? 1_000_000);
        break;
    default:
        Console.Error.WriteLine("Usage: PostalPeak.Benchmarks ingestion [rows] | indicators [carriers]");
        return 64;
}
return 0;
