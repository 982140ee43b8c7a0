-- macros the comparison models use. temporary: they live only in the connection that builds the
-- models (nothing is added to the warehouse catalog), so the models stay plain tables.

-- c / n for integers c >= 0, n > 0, rounded half to even.
create or replace temp macro bl_half_even_div(c, n) as
    (c // n) + case when 2 * (c % n) > n or (2 * (c % n) = n and (c // n) % 2 = 1) then 1 else 0 end;

-- an amount (decimal yuan) divided by a headcount, exact to the cent (rounded half to even),
-- as decimal(18, 2). null when either input is null or the headcount is not positive.
create or replace temp macro bl_per_staff(amount, n) as
    case
        when amount is null or n is null or n <= 0 then null
        else ((sign(amount) * bl_half_even_div(abs(amount::decimal(38, 2) * 100)::hugeint, n::hugeint))
              ::decimal(38, 0) * 0.01)::decimal(18, 2)
    end;

-- part / whole as a ratio (double). null when either is null or the whole is 0.
create or replace temp macro bl_ratio(part, whole) as
    case when part is null or whole is null or whole = 0 then null else part::double / whole::double end;

-- change against the prior value as a ratio: (current - prior) / prior. null when either is null
-- or the prior value is 0 (no ratio exists).
create or replace temp macro bl_change(current_value, prior_value) as
    case
        when current_value is null or prior_value is null or prior_value = 0 then null
        else (current_value::double - prior_value::double) / abs(prior_value::double)
    end;
