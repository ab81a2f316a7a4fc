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

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
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
                // Plain polling, once a second: an upload starts within a second. Long polling (LISTEN/NOTIFY)
                // was tried and left jobs waiting in the queue for minutes under load.
                QueuePollInterval = TimeSpan.FromSeconds(1),
                // A job held by a process that died is run again once its fetch is this old. Sliding: a running job's
                // fetch is renewed while it works, so a long recompute is never taken twice, and a killed
                // refresh waits minutes, not the half hour of the fixed default.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
            }));
        builder.Services.AddSingleton<JobActivator>(services => new Hangfire.AspNetCore.AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, configuration) => ConfigureOnce(configuration, services.GetRequiredService<ILoggerFactory>()));
        var options = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        if (options.RunServer)
            builder.Services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = options.SchedulePollingInterval;
            });
        builder.Services.AddTransient<DatabaseBackupJob>();
        return builder;
    }

    private static int _configured;

    /// <summary>
    /// Hangfire's global configuration (serializer, type names) is process-wide: it is set by the
    /// first application of the process and left alone after, so that an application built later (the tests
    /// build dozens) never changes it under a worker that is deserialising a job.
    /// </summary>
    private static void ConfigureOnce(IGlobalConfiguration configuration, ILoggerFactory loggers)
    {
        // Hangfire.AspNetCore has just pointed the log provider at this application's logger factory; a log call
        // after this application is disposed must not throw inside a worker that holds a fetched job.
        configuration.UseLogProvider(new DisposalSafeLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(loggers)));
        if (Interlocked.Exchange(ref _configured, 1) == 1)
            return;
        configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
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
