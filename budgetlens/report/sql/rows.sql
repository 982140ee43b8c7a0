-- all rows of one comparison model ({table} from the fixed list in warehouse/models).
select * from {table}
