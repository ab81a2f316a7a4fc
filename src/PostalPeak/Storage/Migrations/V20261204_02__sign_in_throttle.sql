-- Failed sign-ins are counted per (user name as typed, source address) and per source address, not per
-- account: a stranger can no longer lock a real person out from everywhere, and an unknown name is counted
-- and locked exactly like a real one, so the answers do not tell which names exist (Accounts/SignInThrottle.cs).
-- The state is here, not in a process's memory, so every instance on the database sees the same counts.
create table sign_in_throttle (
    -- 'pair': one user name from one address; 'address': every name from one address (user_name is '').
    scope             text not null check (scope in ('pair', 'address')),
    -- The client address (an IPv6 client by its /64 network), or 'unknown'.
    source            text not null,
    user_name         text not null,
    failures          integer not null check (failures >= 0),
    window_started_at timestamptz not null,
    locked_until      timestamptz,
    primary key (scope, source, user_name),
    check ((scope = 'address') = (user_name = ''))
);
-- Old rows are pruned by age; an administrator's password reset lifts an account's locks by user name.
create index sign_in_throttle_window on sign_in_throttle (window_started_at);
create index sign_in_throttle_user_name on sign_in_throttle (user_name) where scope = 'pair';

-- The account's own counters gave way to the table above.
alter table app_user drop column failed_sign_ins;
alter table app_user drop column locked_until;
