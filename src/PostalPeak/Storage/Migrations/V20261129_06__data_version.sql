-- Bumped after every committed indicator refresh: charts and pages cache by it, so a repeat view is cheap
-- and a new upload shows at once. A sequence, not a row, so that refreshes of different carriers never wait on it.
create sequence indicator_data_version;
