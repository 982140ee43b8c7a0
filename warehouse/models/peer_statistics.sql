-- peer_statistics: for each main metric of each comparison, where a document stands among its
-- peers: the same department_type across jurisdictions, and all departments of its jurisdiction,
-- always within one fiscal year and scope. one row per (comparison, metric, doc_id, peer_scope)
-- with a non-null value; duplicates of a department-year (duplicate_of not null) are left out.
-- rank 1 = highest value; percentile 0 = lowest, 1 = highest; outlier = beyond $outlier_mads
-- scaled median absolute deviations from the peer median (mean absolute deviation when the mad is
-- 0). a group smaller than $min_peers, or the 'other' type, is no benchmark: `benchmark` is false,
-- `outlier` null and `peer_note` says why.
create or replace table peer_statistics as
with
headcount_metrics as (
    unpivot (
        select
            doc_id, jurisdiction, department_type, fiscal_year, scope,
            staff_count::double as staff_count,
            vacancy_rate,
            retiree_ratio,
            expense_per_staff::double as expense_per_staff
        from headcount_comparison
        where duplicate_of is null
    )
    on staff_count, vacancy_rate, retiree_ratio, expense_per_staff
    into name metric value value
),

operating_cost_metrics as (
    unpivot (
        select
            doc_id, jurisdiction, department_type, fiscal_year, scope,
            agency_running_cost_per_staff::double as agency_running_cost_per_staff,
            operating_expense_per_staff::double as operating_expense_per_staff,
            personnel_expense_per_staff::double as personnel_expense_per_staff,
            three_public_total_per_staff::double as three_public_total_per_staff,
            project_share
        from operating_cost_comparison
        where duplicate_of is null
    )
    on agency_running_cost_per_staff, operating_expense_per_staff, personnel_expense_per_staff,
        three_public_total_per_staff, project_share
    into name metric value value
),

procurement_metrics as (
    unpivot (
        select
            doc_id, jurisdiction, department_type, fiscal_year, scope,
            procurement_share,
            sme_share
        from procurement_share_comparison
        where duplicate_of is null
    )
    on procurement_share, sme_share
    into name metric value value
),

execution_metrics as (
    unpivot (
        select
            doc_id, jurisdiction, department_type, fiscal_year, scope,
            expense_rate,
            three_public_total_rate,
            agency_running_cost_rate,
            procurement_total_rate
        from execution_comparison
        where duplicate_of is null
    )
    on expense_rate, three_public_total_rate, agency_running_cost_rate, procurement_total_rate
    into name metric value value
),

source as (
    select 'headcount' as comparison, * from headcount_metrics
    union all
    select 'operating_costs' as comparison, * from operating_cost_metrics
    union all
    select 'procurement' as comparison, * from procurement_metrics
    union all
    select 'execution' as comparison, * from execution_metrics
),

renamed as (
    select *, 'department_type' as peer_scope, department_type as peer_group
    from source
    union all
    select *, 'jurisdiction' as peer_scope, jurisdiction as peer_group
    from source
),

ranked as (
    select
        *,
        count(*) over peers as peer_n,
        rank() over (peers order by value desc) as peer_rank,
        percent_rank() over (peers order by value) as percentile,
        median(value) over peers as peer_median
    from renamed
    where peer_group is not null and fiscal_year is not null and value is not null
    window peers as (partition by comparison, metric, peer_scope, peer_group, fiscal_year, scope)
),

spread as (
    select
        *,
        median(abs(value - peer_median)) over peers as peer_mad,
        avg(abs(value - peer_median)) over peers as peer_mean_abs_dev
    from ranked
    window peers as (partition by comparison, metric, peer_scope, peer_group, fiscal_year, scope)
),

scored as (
    select
        *,
        case
            when peer_mad > 0 then (value - peer_median) / (1.4826 * peer_mad)
            when peer_mean_abs_dev > 0 then (value - peer_median) / (1.2533 * peer_mean_abs_dev)
            else 0.0
        end as robust_z,
        peer_scope = 'department_type' and peer_group = 'other' as untyped
    from spread
),

final as (
    select
        comparison,
        metric,
        doc_id,
        jurisdiction,
        department_type,
        fiscal_year,
        scope,
        peer_scope,
        peer_group,
        value,
        peer_n,
        peer_rank,
        percentile,
        peer_median,
        bl_ratio(value, peer_median) as ratio_to_median,
        peer_mad,
        robust_z,
        not untyped and peer_n >= $min_peers as benchmark,
        case when not untyped and peer_n >= $min_peers then abs(robust_z) > $outlier_mads end as outlier,
        case
            when untyped then 'department type unknown (other): not a peer group'
            when peer_n < $min_peers
                then 'only ' || peer_n || ' in this peer group: not a benchmark (needs ' || $min_peers || ')'
        end as peer_note
    from scored
)

select * from final
order by comparison, metric, peer_scope, peer_group, fiscal_year, peer_rank, doc_id;
