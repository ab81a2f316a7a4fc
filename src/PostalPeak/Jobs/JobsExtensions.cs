using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Accounts;

namespace PostalPeak.Jobs;

public static class JobsExtensions
{
    public const string Schema = "hangfire";

    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => TryZone(o.TimeZone), "Jobs:TimeZone is not a time zone this machine knows (expected e.g. Asia/Ho_Chi_Minh).")
            .ValidateOnStart();
        // The storage and the activator are this application's own, not Hangfire's process-wide statics: a second
        // application in the same process (the tests run many) must never run or enqueue jobs through the first.
        builder.Services.AddSingleton<JobStorage>(services => new PostgreSqlStorage(
            new DataSourceConnectionFactory(services.GetRequiredService<NpgsqlDataSource>()),
            new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = true,
                // Workers wake on NOTIFY instead of waiting for the next poll: an upload is processed at once.
                EnableLongPolling = true,
                QueuePollInterval = TimeSpan.FromSeconds(5),
            }));
        builder.Services.AddSingleton<JobActivator>(services => new Hangfire.AspNetCore.AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        var options = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        if (options.RunServer)
            builder.Services.AddHangfireServer(server => server.WorkerCount = options.WorkerCount);
        builder.Services.AddTransient<DatabaseBackupJob>();
        return builder;
    }

    public static WebApplication MapJobs(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        RecurringJobs.Register(app.Services.GetRequiredService<IRecurringJobManager>(), options, app.Configuration);
        // Endpoint authorization decides; Hangfire's own default filter would allow local requests only.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            AppPath = "/",
            DashboardTitle = "PostalPeak jobs",
        }).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static bool TryZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
    }
}
