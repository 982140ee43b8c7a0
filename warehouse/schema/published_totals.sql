-- published_totals: totals as the comparisons use them: a withheld figure (withheld_figures) is null.
create or replace view published_totals as
with withheld as (
    select doc_id, list(distinct replace(field, 'totals.', '')) as names
    from withheld_figures
    where field like 'totals.%'
    group by doc_id
)

select
    t.doc_id,
    if(list_contains(w.names, 'income_total'), null, t.income_total) as income_total,
    if(list_contains(w.names, 'expense_total'), null, t.expense_total) as expense_total,
    if(list_contains(w.names, 'fiscal_appropriation'), null, t.fiscal_appropriation) as fiscal_appropriation,
    if(list_contains(w.names, 'general_budget_appropriation'), null, t.general_budget_appropriation)
        as general_budget_appropriation,
    if(list_contains(w.names, 'gov_fund_appropriation'), null, t.gov_fund_appropriation) as gov_fund_appropriation,
    if(list_contains(w.names, 'state_capital_appropriation'), null, t.state_capital_appropriation)
        as state_capital_appropriation,
    if(list_contains(w.names, 'basic_expense'), null, t.basic_expense) as basic_expense,
    if(list_contains(w.names, 'project_expense'), null, t.project_expense) as project_expense,
    if(list_contains(w.names, 'reserve_expense'), null, t.reserve_expense) as reserve_expense,
    if(list_contains(w.names, 'carryover_in'), null, t.carryover_in) as carryover_in,
    if(list_contains(w.names, 'carryover_out'), null, t.carryover_out) as carryover_out,
    if(list_contains(w.names, 'personnel_expense'), null, t.personnel_expense) as personnel_expense,
    if(list_contains(w.names, 'staff_and_household_cost'), null, t.staff_and_household_cost)
        as staff_and_household_cost,
    if(list_contains(w.names, 'operating_expense'), null, t.operating_expense) as operating_expense,
    if(list_contains(w.names, 'household_subsidy'), null, t.household_subsidy) as household_subsidy,
    if(list_contains(w.names, 'agency_running_cost'), null, t.agency_running_cost) as agency_running_cost,
    if(list_contains(w.names, 'three_public_total'), null, t.three_public_total) as three_public_total,
    if(list_contains(w.names, 'overseas_travel'), null, t.overseas_travel) as overseas_travel,
    if(list_contains(w.names, 'official_reception'), null, t.official_reception) as official_reception,
    if(list_contains(w.names, 'vehicle_total'), null, t.vehicle_total) as vehicle_total,
    if(list_contains(w.names, 'vehicle_purchase'), null, t.vehicle_purchase) as vehicle_purchase,
    if(list_contains(w.names, 'vehicle_operation'), null, t.vehicle_operation) as vehicle_operation,
    if(list_contains(w.names, 'procurement_total'), null, t.procurement_total) as procurement_total,
    if(list_contains(w.names, 'procurement_goods'), null, t.procurement_goods) as procurement_goods,
    if(list_contains(w.names, 'procurement_works'), null, t.procurement_works) as procurement_works,
    if(list_contains(w.names, 'procurement_services'), null, t.procurement_services) as procurement_services,
    if(list_contains(w.names, 'procurement_sme'), null, t.procurement_sme) as procurement_sme,
    if(list_contains(w.names, 'procurement_small_micro'), null, t.procurement_small_micro)
        as procurement_small_micro,
    if(list_contains(w.names, 'surplus_distribution'), null, t.surplus_distribution) as surplus_distribution,
    if(list_contains(w.names, 'three_public_total_adjusted_budget'), null, t.three_public_total_adjusted_budget) as three_public_total_adjusted_budget,
    if(list_contains(w.names, 'overseas_travel_adjusted_budget'), null, t.overseas_travel_adjusted_budget) as overseas_travel_adjusted_budget,
    if(list_contains(w.names, 'official_reception_adjusted_budget'), null, t.official_reception_adjusted_budget) as official_reception_adjusted_budget,
    if(list_contains(w.names, 'vehicle_total_adjusted_budget'), null, t.vehicle_total_adjusted_budget) as vehicle_total_adjusted_budget,
    if(list_contains(w.names, 'vehicle_purchase_adjusted_budget'), null, t.vehicle_purchase_adjusted_budget) as vehicle_purchase_adjusted_budget,
    if(list_contains(w.names, 'vehicle_operation_adjusted_budget'), null, t.vehicle_operation_adjusted_budget) as vehicle_operation_adjusted_budget
from totals as t
left join withheld as w using (doc_id)
