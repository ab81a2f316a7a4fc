-- The data version of each carrier's figures: the indicator_data_version value taken after its latest committed
-- refresh. A carrier's own overview polls this one, so it learns nothing about when other carriers report.
create table carrier_data_version (
    carrier_id integer primary key references carrier (id),
    version    bigint not null
);
