-- drop_release1_study: brings a database written by the release before the squashed baseline to this layout. Its
-- stored tables (articles ... price_fetches, study_events) are exactly the baseline's, so they stay as they are; its
-- study work tables, views and macro are dropped (each study run now rebuilds its tables from sql/study/), and the
-- release's migration records give way to the baseline's. On a new database nothing here exists and it changes nothing.
-- Grain: no table of its own.
DROP VIEW IF EXISTS study_aar_v;
DROP VIEW IF EXISTS study_aggregates_v;
DROP VIEW IF EXISTS study_car_tests;
DROP VIEW IF EXISTS study_kp;
DROP VIEW IF EXISTS study_rank_tests;
DROP VIEW IF EXISTS study_members;
DROP VIEW IF EXISTS study_event_groups_v;
DROP VIEW IF EXISTS study_car;
DROP VIEW IF EXISTS study_ar;
DROP VIEW IF EXISTS study_results_v;
DROP VIEW IF EXISTS study_flag_rows;
DROP VIEW IF EXISTS study_car_windows;
DROP VIEW IF EXISTS study_ar_v;
DROP VIEW IF EXISTS study_abnormal;
DROP VIEW IF EXISTS study_fit_v;
DROP MACRO IF EXISTS study_prediction_variance;
DROP TABLE IF EXISTS study_params;
DROP TABLE IF EXISTS study_windows;
DROP TABLE IF EXISTS study_pairs;
DROP TABLE IF EXISTS study_pairs_state;
DROP TABLE IF EXISTS study_anchor;
DROP TABLE IF EXISTS study_fit;
DROP TABLE IF EXISTS study_results;
DROP TABLE IF EXISTS study_event_groups;
DROP TABLE IF EXISTS study_ar_rows;
DROP TABLE IF EXISTS study_car_rows;
DROP TABLE IF EXISTS study_aggregates;
DROP TABLE IF EXISTS study_aar;
DROP TABLE IF EXISTS study_est_events;
DROP TABLE IF EXISTS study_rank_days;
DROP TABLE IF EXISTS study_kp_sums;
DROP TABLE IF EXISTS study_window_ar;
DROP TABLE IF EXISTS study_est_ar;
DELETE FROM schema_migrations WHERE name IN (
    'schema/010_articles.sql', 'schema/020_companies.sql', 'schema/021_listings.sql', 'schema/030_events.sql',
    'schema/031_event_sources.sql', 'schema/040_prices.sql', 'schema/041_price_symbols.sql',
    'schema/042_price_fetches.sql', 'schema/050_study_events.sql', 'schema/051_study_params.sql',
    'schema/052_study_windows.sql', 'schema/053_study_pairs.sql', 'schema/054_study_anchor.sql',
    'schema/056_study_results.sql', 'schema/057_study_ar.sql', 'schema/058_study_car.sql',
    'schema/059_study_aggregates.sql', 'schema/060_study_aar.sql', 'schema/062_study_fit.sql',
    'schema/063_study_window_ar.sql', 'schema/064_study_pairs_state.sql', 'schema/065_study_est_ar.sql',
    'schema/066_study_est_events.sql', 'schema/067_study_rank_days.sql', 'schema/068_study_est_events.sql',
    'schema/069_study_ar_bench_dev.sql', 'schema/070_study_anchor_window_dates.sql', 'schema/071_study_kp_sums.sql',
    'schema/072_study_results_ev.sql', 'schema/073_study_event_groups.sql', 'schema/074_study_ar_rows.sql',
    'schema/075_study_car_rows.sql', 'schema/076_study_ar_rows_slim.sql');
