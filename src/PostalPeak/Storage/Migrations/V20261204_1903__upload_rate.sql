-- Uploads per carrier in its current one-minute window (Ingestion:UploadsPerMinute), in the database so that every
-- app instance on it counts against the same budget, whichever token or person sends. One row per carrier,
-- overwritten when a new window begins: the table never grows beyond the carriers.
create table upload_rate (
    carrier_id   integer primary key references carrier (id),
    window_start timestamptz not null,
    uploads      integer not null
);
