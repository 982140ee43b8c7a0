-- headcount_comparison: establishment, staff, vacancies and retirees per published budget.
-- definitions: docs/comparisons.md (../shared/GLOSSARY.md "comparison metrics"). a metric whose
-- inputs are null stays null; nothing is divided by zero (bl_ratio / bl_per_staff give null).
create or replace table headcount_comparison as
with
-- each document's headcount and expenditure (the compared ones are picked in final)
source as (
    select h.*, t.expense_total
    from headcount as h
    left join published_totals as t using (doc_id)  -- withheld figures are null
),

renamed as (
    select
        doc_id,
        authorized_total,
        actual_total,
        -- the stated total, else the sum of the stated parts (null when nothing is stated)
        coalesce(authorized_total, list_sum([admin_authorized, cs_managed_authorized, institution_authorized]))
            as authorized_count,
        coalesce(actual_total, list_sum([admin_actual, cs_managed_actual, institution_actual])) as staff_count,
        retirees,
        veteran_retirees,
        coalesce(retirees_total, retirees + veteran_retirees) as retirees_total,
        expense_total
    from source
),

-- every comparison row starts with the columns of comparison_identity
final as (
    select
        d.*,
        r.* exclude (doc_id, retirees, veteran_retirees, retirees_total, expense_total)
            replace (r.authorized_count::integer as authorized_count, r.staff_count::integer as staff_count),
        1 - bl_ratio(r.staff_count, r.authorized_count) as vacancy_rate,
        r.retirees,
        r.veteran_retirees,
        r.retirees_total,
        bl_ratio(r.retirees_total, r.staff_count) as retiree_ratio,
        r.expense_total,
        bl_per_staff(r.expense_total, r.staff_count) as expense_per_staff
    from comparison_identity as d
    left join renamed as r using (doc_id)
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
