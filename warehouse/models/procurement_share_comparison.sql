-- procurement_share_comparison: how much of each budget is government procurement, of which kind,
-- and how much is reserved for small and medium enterprises. definitions: docs/comparisons.md.
create or replace table procurement_share_comparison as
with
source as (
    select
        d.*,
        t.expense_total,
        t.procurement_total,
        t.procurement_goods,
        t.procurement_works,
        t.procurement_services,
        t.procurement_sme,
        t.procurement_small_micro
    from comparison_documents as d
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
        expense_total,
        procurement_total,
        procurement_goods,
        procurement_works,
        procurement_services,
        procurement_sme,
        procurement_small_micro
    from source
),

final as (
    select
        *,
        bl_ratio(procurement_total, expense_total) as procurement_share,
        bl_ratio(procurement_goods, procurement_total) as goods_share,
        bl_ratio(procurement_works, procurement_total) as works_share,
        bl_ratio(procurement_services, procurement_total) as services_share,
        bl_ratio(procurement_sme, procurement_total) as sme_share
    from renamed
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
