-- study_params: the parameters of the current study run, bound by the runner (tracker/study/run.py), so every step
-- reads them from this one row; car_windows lists the CAR windows as 'a:b' in the configured order; listing says what
-- a news cluster contributes to the aggregates (primary | all | average).
-- Grain: exactly one row, rewritten by each run.
SELECT $model::VARCHAR AS model,
       $est_start::INTEGER AS est_start,
       $est_end::INTEGER AS est_end,
       $win_start::INTEGER AS win_start,
       $win_end::INTEGER AS win_end,
       $min_estimation::INTEGER AS min_estimation,
       $include_stock_moves::BOOLEAN AS include_stock_moves,
       $car_windows::VARCHAR[] AS car_windows,
       $estimation_tests::BOOLEAN AS estimation_tests,
       $include_uncertain::BOOLEAN AS include_uncertain,
       $listing::VARCHAR AS listing
