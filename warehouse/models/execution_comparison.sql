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
    select d.*
    from comparison_documents as d
    where d.duplicate_of is null
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

source as (
    select
        b.jurisdiction,
        b.department,
        b.department_canonical,
        b.department_type,
        b.fiscal_year,
        b.doc_id,
        b.scope,
        b.warning_flags,
        b.duplicate_of,
        f.doc_id as final_doc_id,
        f.file_name as final_file_name,
        bt.basic_expense + bt.project_expense + coalesce(bt.reserve_expense, 0) as expense_budgeted,
        ft.basic_expense + ft.project_expense + coalesce(ft.reserve_expense, 0) as expense_spent,
        bt.basic_expense as basic_expense_budgeted,
        ft.basic_expense as basic_expense_spent,
        bt.project_expense as project_expense_budgeted,
        ft.project_expense as project_expense_spent,
        bt.three_public_total as three_public_total_budgeted,
        ft.three_public_total as three_public_total_spent,
        ft.three_public_total_adjusted_budget,
        bt.overseas_travel as overseas_travel_budgeted,
        ft.overseas_travel as overseas_travel_spent,
        bt.official_reception as official_reception_budgeted,
        ft.official_reception as official_reception_spent,
        bt.vehicle_total as vehicle_total_budgeted,
        ft.vehicle_total as vehicle_total_spent,
        bt.agency_running_cost as agency_running_cost_budgeted,
        ft.agency_running_cost as agency_running_cost_spent,
        bt.procurement_total as procurement_total_budgeted,
        ft.procurement_total as procurement_total_spent,
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
    left join published_totals as bt on bt.doc_id = b.doc_id  -- withheld figures are null
    left join published_totals as ft on ft.doc_id = f.doc_id
    left join withheld as wb on wb.doc_id = b.doc_id
    left join withheld as wf on wf.doc_id = f.doc_id
),

final as (
    select
        jurisdiction,
        department,
        department_canonical,
        department_type,
        fiscal_year,
        doc_id,
        scope,
        warning_flags,
        duplicate_of,
        final_doc_id,
        final_file_name,
        expense_budgeted,
        expense_spent,
        bl_ratio(expense_spent, expense_budgeted) as expense_rate,
        expense_spent - expense_budgeted as expense_difference,
        basic_expense_budgeted,
        basic_expense_spent,
        bl_ratio(basic_expense_spent, basic_expense_budgeted) as basic_expense_rate,
        basic_expense_spent - basic_expense_budgeted as basic_expense_difference,
        project_expense_budgeted,
        project_expense_spent,
        bl_ratio(project_expense_spent, project_expense_budgeted) as project_expense_rate,
        project_expense_spent - project_expense_budgeted as project_expense_difference,
        three_public_total_budgeted,
        three_public_total_spent,
        bl_ratio(three_public_total_spent, three_public_total_budgeted) as three_public_total_rate,
        three_public_total_spent - three_public_total_budgeted as three_public_total_difference,
        three_public_total_adjusted_budget,
        bl_ratio(three_public_total_spent, three_public_total_adjusted_budget) as three_public_total_adjusted_rate,
        overseas_travel_budgeted,
        overseas_travel_spent,
        bl_ratio(overseas_travel_spent, overseas_travel_budgeted) as overseas_travel_rate,
        overseas_travel_spent - overseas_travel_budgeted as overseas_travel_difference,
        official_reception_budgeted,
        official_reception_spent,
        bl_ratio(official_reception_spent, official_reception_budgeted) as official_reception_rate,
        official_reception_spent - official_reception_budgeted as official_reception_difference,
        vehicle_total_budgeted,
        vehicle_total_spent,
        bl_ratio(vehicle_total_spent, vehicle_total_budgeted) as vehicle_total_rate,
        vehicle_total_spent - vehicle_total_budgeted as vehicle_total_difference,
        agency_running_cost_budgeted,
        agency_running_cost_spent,
        bl_ratio(agency_running_cost_spent, agency_running_cost_budgeted) as agency_running_cost_rate,
        agency_running_cost_spent - agency_running_cost_budgeted as agency_running_cost_difference,
        procurement_total_budgeted,
        procurement_total_spent,
        bl_ratio(procurement_total_spent, procurement_total_budgeted) as procurement_total_rate,
        procurement_total_spent - procurement_total_budgeted as procurement_total_difference,
        withheld
    from source
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
