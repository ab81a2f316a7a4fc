-- Indicators per carrier, unit and reported day (design section 4), derived from daily_report by
-- Indicators/IndicatorRefresh.cs. A day without a report has no row here: gaps stay gaps.
create table daily_indicator (
    carrier_id             integer not null references carrier (id),
    unit_code              text not null,
    report_date            date not null,
    -- The reported counts, copied so that roll-ups read one table.
    received               bigint not null,
    delivered              bigint not null,
    returned               bigint,
    lost                   bigint,
    damaged                bigint,
    backlog                bigint,
    complaints_received    bigint,
    complaints_resolved    bigint,
    -- Stocks and flows.
    opening                bigint,
    closing                bigint,
    flow_backlog           bigint,
    unaccounted            bigint,
    backlog_growth         bigint,
    open_complaints        bigint,
    -- Sums over the reported days of the trailing window d-2 … d, kept so that roll-ups can derive
    -- window ratios from summed counts instead of averaging ratios.
    window_days            integer not null,
    window_received        bigint not null,
    window_delivered       bigint not null,
    window_complaints      bigint,
    window_complaint_base  bigint,
    -- Ratios: null whenever the denominator is zero or unknown.
    throughput_ratio       double precision,
    clearance_rate         double precision,
    days_to_clear          double precision,
    loss_per_10k           double precision,
    damage_per_10k         double precision,
    complaints_per_10k     double precision,
    computed_at            timestamptz not null default clock_timestamp(),
    primary key (carrier_id, unit_code, report_date)
);
create index daily_indicator_date on daily_indicator (report_date);
