-- What the file called the column of an issue ("Sản lượng nhận" for received): the error report names the column
-- as the carrier wrote it, beside PostalPeak's name. Null for issues stored before, and for columns the file lacked.
alter table upload_issue add column column_header text;
