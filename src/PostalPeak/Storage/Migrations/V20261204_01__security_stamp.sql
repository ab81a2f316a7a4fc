-- Signing out ends the account's sessions: every sign-in cookie carries a digest of the password hash and of
-- this stamp (Accounts/Sessions.cs), and signing out draws a new stamp, so a saved cookie replayed afterwards
-- no longer matches the account. A volatile default gives every existing account its own stamp.
alter table app_user add column security_stamp uuid not null default gen_random_uuid();
