-- `budgetlens compare`: one comparison table, filtered and sorted, with where each row stands among
-- its department-type peers on the sort metric. {columns}, {table} and {sort} are identifiers
-- checked against the table's own columns; every value is a parameter.
select
    {columns},
    p.peer_rank as type_rank,
    p.peer_n as type_peers,
    p.peer_median as type_median,
    p.outlier as type_outlier,
    p.peer_note as type_note
from {table} as c
left join peer_statistics as p
    on p.doc_id = c.doc_id
    and p.comparison = $comparison
    and p.metric = $metric
    and p.peer_scope = 'department_type'
where ($jurisdiction is null or strpos(c.jurisdiction, $jurisdiction) > 0)
    and ($department_type is null or c.department_type = $department_type)
    and ($fiscal_year is null or c.fiscal_year = $fiscal_year)
order by c.{sort} {direction} nulls last, c.jurisdiction, c.department_canonical, c.fiscal_year, c.doc_id
