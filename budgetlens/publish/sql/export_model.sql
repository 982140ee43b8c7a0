-- comparison-model export: the table as built ({table} from the fixed list of models).
select * from {table}
