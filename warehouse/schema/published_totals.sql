-- published_totals: totals as the comparisons use them: a withheld figure (withheld_figures) is null.
-- the totals of a document that withholds none pass as they are; those of one that does go through
-- one row per figure (unpivot), where the withheld ones become null, and back (pivot, by name).
create or replace view published_totals as
with
withheld as (
    select distinct doc_id, replace(field, 'totals.', '') as field
    from withheld_figures
    where field like 'totals.%'
),

figures as (
    from (from totals semi join withheld using (doc_id))
    unpivot include nulls (amount for field in (columns(* exclude (doc_id))))
),

published as (
    select f.doc_id, f.field, if(w.field is null, f.amount, null) as amount
    from figures as f
    left join withheld as w using (doc_id, field)
)

from totals
anti join withheld using (doc_id)

union all by name

-- every column of totals (tests/warehouse/test_published_totals.py checks that none is left out)
pivot published
on field in (
    'income_total', 'expense_total',
    'fiscal_appropriation', 'general_budget_appropriation', 'gov_fund_appropriation', 'state_capital_appropriation',
    'basic_expense', 'project_expense', 'reserve_expense', 'carryover_in', 'carryover_out',
    'personnel_expense', 'staff_and_household_cost', 'operating_expense', 'household_subsidy', 'agency_running_cost',
    'three_public_total', 'overseas_travel', 'official_reception', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation',
    'procurement_total', 'procurement_goods', 'procurement_works', 'procurement_services', 'procurement_sme',
    'procurement_small_micro',
    'surplus_distribution',
    'three_public_total_adjusted_budget', 'overseas_travel_adjusted_budget', 'official_reception_adjusted_budget',
    'vehicle_total_adjusted_budget', 'vehicle_purchase_adjusted_budget', 'vehicle_operation_adjusted_budget'
)
using first(amount)
group by doc_id
