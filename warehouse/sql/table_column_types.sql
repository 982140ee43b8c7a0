select column_name, data_type
from information_schema.columns
where table_name = ?
  and table_catalog = current_database()
  and table_schema = current_schema()
order by ordinal_position
