-- headcount_comparison: establishment, staff, vacancies and retirees per published budget.
-- definitions: docs/comparisons.md (../shared/GLOSSARY.md "comparison metrics"). a metric whose
-- inputs are null stays null; nothing is divided by zero (bl_ratio / bl_per_staff give null).
create or replace table headcount_comparison as
with
source as (
    select d.*, h.* exclude (doc_id), t.expense_total
    from comparison_documents as d
    left join headcount as h using (doc_id)
    left join published_totals as t using (doc_id)  -- withheld figures are null
),

renamed as (
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

final as (
    select
        *
            exclude (retirees, veteran_retirees, retirees_total, expense_total)
            replace (authorized_count::integer as authorized_count, staff_count::integer as staff_count),
        1 - bl_ratio(staff_count, authorized_count) as vacancy_rate,
        retirees,
        veteran_retirees,
        retirees_total,
        bl_ratio(retirees_total, staff_count) as retiree_ratio,
        expense_total,
        bl_per_staff(expense_total, staff_count) as expense_per_staff
    from renamed
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
