-- execution_comparison: what was spent against what was budgeted. one row per department-year with
-- both a compared budget (comparison_documents, duplicates left out) and current published final
-- accounts (部门决算) of the same jurisdiction, department, year and scope. for each figure: budgeted
-- (the budget), spent (the final accounts), the execution rate (spent / budgeted) and the difference
-- (spent - budgeted). expense is this year's expenditure, basic + project (+ reserve where printed)
-- on both sides: the final accounts' 支出总计 includes the balance carried to next year, so the grand
-- totals do not compare. a withheld figure (withheld_figures) is null, and `withheld` says which side
-- withheld what and why. the final accounts print their own 三公 预算数 (the full-year budget after
-- adjustments): three_public_total_adjusted_budget, and the rate against it. definitions:
-- docs/comparisons.md.
create or replace table execution_comparison as
with
budgets as (
    select doc_id, jurisdiction, department_canonical, fiscal_year, scope
    from comparison_identity
    where duplicate_of is null
),

final_accounts as (
    select
        doc_id,
        jurisdiction,
        coalesce(department_canonical, department) as department_canonical,
        fiscal_year,
        scope,
        file_name,
        row_number() over (
            partition by jurisdiction, coalesce(department_canonical, department), fiscal_year, scope
            order by fetched_at desc nulls last, doc_id
        ) as n
    from current_documents
    where status = 'published' and kind = 'final_accounts'
),

withheld as (
    select doc_id, list(replace(field, 'totals.', '') || ': ' || reason order by field) as reasons
    from withheld_figures
    group by doc_id
),

-- each compared budget with its final accounts
pairs as (
    select
        b.doc_id,
        f.doc_id as final_doc_id,
        f.file_name as final_file_name,
        ft.three_public_total_adjusted_budget,
        list_concat(
            list_transform(coalesce(wb.reasons, []::varchar[]), r -> 'budget ' || r),
            list_transform(coalesce(wf.reasons, []::varchar[]), r -> 'final accounts ' || r)
        ) as withheld
    from budgets as b
    inner join final_accounts as f
        on f.n = 1
        and f.jurisdiction = b.jurisdiction
        and f.department_canonical = b.department_canonical
        and f.fiscal_year = b.fiscal_year
        and f.scope is not distinct from b.scope
    left join published_totals as ft on ft.doc_id = f.doc_id  -- withheld figures are null
    left join withheld as wb on wb.doc_id = b.doc_id
    left join withheld as wf on wf.doc_id = f.doc_id
),

-- the figures compared, one row per (doc_id, figure) of either side, withheld figures null
figures as (
    from (
        select
            doc_id,
            basic_expense + project_expense + coalesce(reserve_expense, 0) as expense,
            basic_expense,
            project_expense,
            three_public_total,
            overseas_travel,
            official_reception,
            vehicle_total,
            agency_running_cost,
            procurement_total
        from published_totals
        where doc_id in (select doc_id from pairs union all select final_doc_id from pairs)
    )
    unpivot include nulls (amount for figure in (columns(* exclude (doc_id))))
),

-- each figure budgeted against spent, once for every figure
compared as (
    select
        p.doc_id,
        b.figure,
        b.amount as budgeted,
        s.amount as spent,
        bl_ratio(s.amount, b.amount) as rate,
        s.amount - b.amount as difference,
        -- the final accounts print their own (adjusted) budget of the 三公 total
        if(b.figure = 'three_public_total', p.three_public_total_adjusted_budget, null) as adjusted_budget,
        bl_ratio(s.amount, adjusted_budget) as adjusted_rate
    from pairs as p
    inner join figures as b on b.doc_id = p.doc_id  -- every document has its one totals row
    left join figures as s on s.doc_id = p.final_doc_id and s.figure = b.figure
),

-- one row per budget: <figure>_budgeted, _spent, _rate, _difference for each figure in turn, and
-- three_public_total_adjusted_budget, _adjusted_rate (the other figures' adjusted columns are dropped)
renamed as (
    select columns(c -> c not like '%_adjusted_%' or starts_with(c, 'three_public_total_'))
    from (
        pivot compared
        on figure in (
            'expense', 'basic_expense', 'project_expense',
            'three_public_total', 'overseas_travel', 'official_reception', 'vehicle_total',
            'agency_running_cost', 'procurement_total'
        )
        using
            first(budgeted) as budgeted,
            first(spent) as spent,
            first(rate) as rate,
            first(difference) as difference,
            first(adjusted_budget) as adjusted_budget,
            first(adjusted_rate) as adjusted_rate
        group by doc_id
    )
),

-- every comparison row starts with the columns of comparison_identity
final as (
    select
        d.*,
        p.final_doc_id,
        p.final_file_name,
        r.* exclude (doc_id),
        p.withheld
    from comparison_identity as d
    inner join pairs as p using (doc_id)
    left join renamed as r using (doc_id)
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
