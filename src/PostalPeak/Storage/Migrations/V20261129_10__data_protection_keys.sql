-- The keys that protect sign-in cookies and form tokens, kept with the data: every app instance on this
-- database reads the same key ring, and a re-created container keeps everyone signed in.
create table data_protection_key (
    id            bigint generated always as identity primary key,
    friendly_name text not null,
    xml           text not null,
    created_at    timestamptz not null default now()
);
