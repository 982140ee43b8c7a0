-- operating_cost_comparison: running costs, their per-staff values, the basic/project split and the
-- change against the same department's previous fiscal year (*_yoy, a ratio: 0.1 = +10 %) where
-- the warehouse holds that year. definitions: docs/comparisons.md.
create or replace table operating_cost_comparison as
with
source as (
    select
        d.*,
        h.staff_count,
        t.expense_total,
        t.basic_expense,
        t.project_expense,
        t.agency_running_cost,
        t.operating_expense,
        t.personnel_expense,
        t.household_subsidy,
        t.three_public_total,
        t.overseas_travel,
        t.official_reception,
        t.vehicle_total,
        t.vehicle_purchase,
        t.vehicle_operation
    from comparison_identity as d
    left join headcount_comparison as h using (doc_id)
    left join published_totals as t using (doc_id)  -- withheld figures are null
),

-- the same department's budget of the year before (the preferred one of a duplicated year)
prior_year as (
    select
        jurisdiction,
        department_canonical,
        scope,
        fiscal_year + 1 as next_year,
        doc_id as prior_doc_id,
        expense_total,
        staff_count,
        agency_running_cost,
        operating_expense,
        personnel_expense,
        household_subsidy,
        three_public_total,
        overseas_travel,
        official_reception,
        vehicle_total,
        vehicle_purchase,
        vehicle_operation
    from source
    where duplicate_of is null
),

renamed as (
    select
        c.*,
        p.prior_doc_id,
        p.expense_total as prior_expense_total,
        p.staff_count as prior_staff_count,
        p.agency_running_cost as prior_agency_running_cost,
        p.operating_expense as prior_operating_expense,
        p.personnel_expense as prior_personnel_expense,
        p.household_subsidy as prior_household_subsidy,
        p.three_public_total as prior_three_public_total,
        p.overseas_travel as prior_overseas_travel,
        p.official_reception as prior_official_reception,
        p.vehicle_total as prior_vehicle_total,
        p.vehicle_purchase as prior_vehicle_purchase,
        p.vehicle_operation as prior_vehicle_operation
    from source as c
    left join prior_year as p
        on p.jurisdiction = c.jurisdiction
        and p.department_canonical = c.department_canonical
        and p.scope is not distinct from c.scope
        and p.next_year = c.fiscal_year
),

-- every comparison row starts with the columns of comparison_identity
final as (
    select
        d.*,
        staff_count,
        expense_total,
        basic_expense,
        project_expense,
        bl_ratio(basic_expense, expense_total) as basic_share,
        bl_ratio(project_expense, expense_total) as project_share,
        agency_running_cost,
        bl_per_staff(agency_running_cost, staff_count) as agency_running_cost_per_staff,
        operating_expense,
        bl_per_staff(operating_expense, staff_count) as operating_expense_per_staff,
        personnel_expense,
        bl_per_staff(personnel_expense, staff_count) as personnel_expense_per_staff,
        household_subsidy,
        bl_per_staff(household_subsidy, staff_count) as household_subsidy_per_staff,
        three_public_total,
        bl_per_staff(three_public_total, staff_count) as three_public_total_per_staff,
        overseas_travel,
        bl_per_staff(overseas_travel, staff_count) as overseas_travel_per_staff,
        official_reception,
        bl_per_staff(official_reception, staff_count) as official_reception_per_staff,
        vehicle_total,
        bl_per_staff(vehicle_total, staff_count) as vehicle_total_per_staff,
        vehicle_purchase,
        bl_per_staff(vehicle_purchase, staff_count) as vehicle_purchase_per_staff,
        vehicle_operation,
        bl_per_staff(vehicle_operation, staff_count) as vehicle_operation_per_staff,
        prior_doc_id,
        bl_change(expense_total, prior_expense_total) as expense_total_yoy,
        bl_change(staff_count, prior_staff_count) as staff_count_yoy,
        bl_change(agency_running_cost, prior_agency_running_cost) as agency_running_cost_yoy,
        bl_change(
            bl_per_staff(agency_running_cost, staff_count),
            bl_per_staff(prior_agency_running_cost, prior_staff_count)
        ) as agency_running_cost_per_staff_yoy,
        bl_change(operating_expense, prior_operating_expense) as operating_expense_yoy,
        bl_change(personnel_expense, prior_personnel_expense) as personnel_expense_yoy,
        bl_change(household_subsidy, prior_household_subsidy) as household_subsidy_yoy,
        bl_change(three_public_total, prior_three_public_total) as three_public_total_yoy,
        bl_change(overseas_travel, prior_overseas_travel) as overseas_travel_yoy,
        bl_change(official_reception, prior_official_reception) as official_reception_yoy,
        bl_change(vehicle_total, prior_vehicle_total) as vehicle_total_yoy,
        bl_change(vehicle_purchase, prior_vehicle_purchase) as vehicle_purchase_yoy,
        bl_change(vehicle_operation, prior_vehicle_operation) as vehicle_operation_yoy
    from comparison_identity as d
    inner join renamed using (doc_id)
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
