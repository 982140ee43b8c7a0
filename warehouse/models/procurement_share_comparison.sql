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
    from comparison_identity as d  -- every comparison row starts with its columns
    left join published_totals as t using (doc_id)  -- withheld figures are null
),

final as (
    select
        *,
        bl_ratio(procurement_total, expense_total) as procurement_share,
        bl_ratio(procurement_goods, procurement_total) as goods_share,
        bl_ratio(procurement_works, procurement_total) as works_share,
        bl_ratio(procurement_services, procurement_total) as services_share,
        bl_ratio(procurement_sme, procurement_total) as sme_share
    from source
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
