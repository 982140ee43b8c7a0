insert into {table} by name
select * from {batch}
