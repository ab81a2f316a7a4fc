global using System.Net;
global using System.Net.Http.Json;
global using PostalPeak.Tests.Infrastructure;

// Like the product, the tests run PostgreSQL through Unix tools.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
