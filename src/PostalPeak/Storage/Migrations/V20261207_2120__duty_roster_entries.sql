-- A roster typed on the page or sent as JSON is kept beside the files, as the JSON of its checked entries, so the
-- history's replaced_by_upload_id leads to what replaced a row however it came.
alter table duty_roster_upload add column format text not null default 'csv' check (format in ('csv', 'json'));
