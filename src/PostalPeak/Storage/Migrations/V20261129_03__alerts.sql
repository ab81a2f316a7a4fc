-- Alerts (design section 6): rules as data, one alert instance per (rule, carrier, unit) episode, people's
-- silences and acknowledgements, and an outbox of notifications with every delivery attempt.

create table alert_rule (
    id                   integer generated always as identity primary key,
    code                 text not null unique check (code ~ '^[a-z][a-z0-9_]{1,40}$'),
    name_vi              text not null check (length(name_vi) between 1 and 200),
    name_en              text not null check (length(name_en) between 1 and 200),
    metric               text not null check (metric in (
                             'days_to_clear', 'throughput_ratio', 'clearance_rate', 'backlog_growth', 'closing', 'unaccounted',
                             'loss_per_10k', 'damage_per_10k', 'lost', 'damaged', 'returned',
                             'complaints_per_10k', 'open_complaints', 'missing_report')),
    comparison           text not null check (comparison in ('>', '>=', '<', '<=')),
    threshold            double precision not null,
    -- Scope: null carrier = every carrier; null units = every unit.
    carrier_id           integer references carrier (id),
    unit_codes           text[],
    for_days             integer not null default 1 check (for_days between 1 and 60),
    keep_firing_for_days integer not null default 0 check (keep_firing_for_days between 0 and 60),
    severity             text not null check (severity in ('info', 'warning', 'critical')),
    channels             text[] not null default '{email,webhook}' check (channels <@ array['email', 'webhook']),
    enabled              boolean not null default true,
    reason               text not null default '',
    updated_at           timestamptz not null default now(),
    updated_by           text not null default 'seed'
);

-- A rule's behaviour in one phase of every season: another threshold, or muted.
create table alert_rule_phase (
    rule_id   integer not null references alert_rule (id) on delete cascade,
    phase     text not null check (phase ~ '^[a-z][a-z_]{1,30}$'),
    muted     boolean not null default false,
    threshold double precision,
    primary key (rule_id, phase),
    check (muted or threshold is not null)
);

create table alert (
    id               bigint generated always as identity primary key,
    rule_id          integer not null references alert_rule (id),
    carrier_id       integer not null references carrier (id),
    -- '' for a carrier-wide condition (a missing report).
    unit_code        text not null default '',
    state            text not null check (state in ('pending', 'firing', 'resolved')),
    -- Report days, from the data: first day the condition held, day it began to fire, last day it held, day it resolved.
    started_on       date not null,
    firing_on        date,
    last_held_on     date not null,
    resolved_on      date,
    value            double precision,
    threshold        double precision,
    -- Wall-clock times, when PostalPeak noticed.
    opened_at        timestamptz not null default now(),
    raised_at        timestamptz,
    resolved_at      timestamptz,
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    acknowledge_note text,
    updated_at       timestamptz not null default now(),
    unique (rule_id, carrier_id, unit_code, started_on)
);
-- One open instance per key: no duplicates.
create unique index alert_one_open on alert (rule_id, carrier_id, unit_code) where state <> 'resolved';
create index alert_state on alert (state, carrier_id);

create table alert_event (
    id          bigint generated always as identity primary key,
    alert_id    bigint not null references alert (id) on delete cascade,
    at          timestamptz not null default now(),
    kind        text not null check (kind in ('pending', 'firing', 'resolved', 'withdrawn', 'acknowledged', 'silenced')),
    report_date date,
    actor       text,
    note        text
);
create index alert_event_alert on alert_event (alert_id, id);

-- Silences stop notifications (not evaluation) until a time, for a rule, a carrier, a unit or a combination.
create table alert_silence (
    id           integer generated always as identity primary key,
    rule_id      integer references alert_rule (id) on delete cascade,
    carrier_id   integer references carrier (id),
    unit_code    text,
    ends_at      timestamptz not null,
    reason       text not null check (length(reason) between 1 and 500),
    created_by   text not null,
    created_at   timestamptz not null default now(),
    cancelled_at timestamptz,
    cancelled_by text
);

-- The outbox: a message is written in the transaction that decides to send it, and kept until delivered.
-- Failed messages stay, visible, with every attempt.
create table notification (
    id              bigint generated always as identity primary key,
    alert_id        bigint references alert (id),
    kind            text not null check (kind in ('firing', 'resolved', 'reminder', 'digest')),
    sequence        integer not null default 0,
    channel         text not null check (channel in ('email', 'webhook')),
    recipient       text not null,
    subject         text not null,
    body            text not null,
    payload         jsonb not null default '{}',
    status          text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz
);
create unique index notification_once on notification (alert_id, kind, sequence, channel, recipient) where alert_id is not null;
create index notification_due on notification (next_attempt_at) where status = 'pending';

create table notification_attempt (
    notification_id bigint not null references notification (id) on delete cascade,
    attempt         integer not null,
    at              timestamptz not null default now(),
    succeeded       boolean not null,
    error           text,
    duration_ms     integer not null,
    primary key (notification_id, attempt)
);

-- Default rules from the department's directive; docs/alerts.md gives the reasoning for each threshold.
insert into alert_rule (code, name_vi, name_en, metric, comparison, threshold, for_days, keep_firing_for_days, severity, reason) values
    ('backlog_days_to_clear', 'Tồn đọng cần hơn 3 ngày để giải tỏa', 'Backlog needs more than 3 days to clear', 'days_to_clear', '>', 3, 2, 2, 'warning',
     'The directive asks carriers to deliver within 3 days in the peak; two days in a row rules out a single slow day.'),
    ('throughput_low', 'Phát chậm hơn nhận', 'Delivering less than received', 'throughput_ratio', '<', 0.8, 3, 2, 'warning',
     'Below 0.8 over three days the backlog grows by a fifth of intake every day.'),
    ('backlog_growth', 'Tồn đọng tăng nhanh', 'Backlog growing fast', 'backlog_growth', '>', 500, 2, 1, 'warning',
     'More than 500 parcels a day added to one unit''s stock, two days running, is a spiral starting.'),
    ('loss_rate', 'Tỷ lệ thất lạc cao', 'High loss rate', 'loss_per_10k', '>', 5, 1, 1, 'critical',
     'The directive''s ceiling is 5 lost parcels per 10,000 handled.'),
    ('lost_parcels', 'Nhiều bưu gửi thất lạc trong ngày', 'Many parcels lost in a day', 'lost', '>', 5, 1, 0, 'critical',
     'Whatever the rate, more than 5 lost parcels in one unit and day needs a look the same day.'),
    ('complaints_rate', 'Khiếu nại tăng cao', 'Complaints running high', 'complaints_per_10k', '>', 15, 2, 2, 'warning',
     'About three times the usual rate of 3-5 complaints per 10,000 parcels received.'),
    ('open_complaints', 'Nhiều khiếu nại chưa giải quyết', 'Many complaints left open', 'open_complaints', '>', 30, 1, 1, 'warning',
     'Complaints must be answered within days; 30 open in one unit means they are piling up.'),
    ('unaccounted_parcels', 'Bưu gửi không khớp sổ', 'Parcels unaccounted for', 'unaccounted', '>', 100, 1, 0, 'critical',
     'More than 100 parcels the flow says should be on hand but were not counted: a loss or a reporting error.'),
    ('missing_report', 'Thiếu báo cáo ngày', 'Daily report missing', 'missing_report', '>=', 1, 1, 0, 'warning',
     'Every carrier reports every day of the season by the deadline; a missing day is never read as zeros.');

-- Over the holiday deliveries pause by design: backlog and throughput rules would only state the obvious.
insert into alert_rule_phase (rule_id, phase, muted, threshold)
select id, 'holiday', true, null from alert_rule where code in ('backlog_days_to_clear', 'throughput_low', 'backlog_growth')
union all
select id, 'recovery', false, 5 from alert_rule where code = 'backlog_days_to_clear'
union all
select id, 'run_up', false, 0.7 from alert_rule where code = 'throughput_low';
