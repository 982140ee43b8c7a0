-- table_exists: whether the warehouse has a table of this name (older warehouses lack some).
select count(*) > 0
from information_schema.tables
where table_name = ?
