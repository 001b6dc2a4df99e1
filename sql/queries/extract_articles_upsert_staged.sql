-- Upsert the articles staged as the Arrow table staged_articles (re-ingesting a file replaces its row).
-- Grain: one row per article file.
INSERT OR REPLACE INTO articles (file, path, sha1, language, published, published_source, published_basis,
                                 source, url, title, text, encoding, ingested_at)
SELECT file, path, sha1, language, published, published_source, published_basis,
       source, url, title, text, encoding, ingested_at
FROM staged_articles;
