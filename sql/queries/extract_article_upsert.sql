-- Upsert one article (re-ingesting a file replaces its row). Parameters in column order.
-- Grain: one row per article file (the row is replaced when the file is ingested again).
INSERT OR REPLACE INTO articles (file, path, sha1, language, published, published_source, published_basis,
                                 source, url, title, text, encoding, ingested_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
