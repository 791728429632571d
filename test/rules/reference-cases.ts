// Valid and invalid queries against a schema built only with views, sequences, functions,
// schemas and DO blocks: the unknown-reference verdicts, which PostgreSQL itself confirms
// (test/rules/unknown-reference-postgres.test.ts).

export const referenceSchema = `
CREATE TABLE r10_match (id bigserial PRIMARY KEY, kickoff timestamptz, tags text[]);
CREATE SCHEMA stats;
CREATE TABLE stats.r10_total (id int, total int);
COMMENT ON TABLE stats.r10_total IS 'totals per match';
CREATE VIEW r10_upcoming AS SELECT id, kickoff AS starts_at FROM r10_match;
CREATE VIEW r10_every AS SELECT * FROM r10_match;
CREATE MATERIALIZED VIEW r10_daily AS SELECT date_trunc('day', kickoff) AS day, count(*) AS n FROM r10_match GROUP BY 1;
ALTER MATERIALIZED VIEW r10_daily SET SCHEMA stats;
CREATE MATERIALIZED VIEW r10_old AS SELECT id FROM r10_match;
ALTER MATERIALIZED VIEW r10_old RENAME TO r10_kept;
CREATE VIEW r10_gone AS SELECT id FROM r10_match;
DROP VIEW r10_gone;
CREATE SEQUENCE r10_ticket_seq;
CREATE FUNCTION r10_scores() RETURNS TABLE (match_id bigint, score int) LANGUAGE sql AS $$ SELECT id, 1 FROM r10_match $$;
DO $$ BEGIN
  CREATE TABLE IF NOT EXISTS r10_log (id int, body text);
  ALTER TABLE r10_log ADD COLUMN level text;
END $$;
`;

/** PostgreSQL accepts each of these, and the app says nothing about them. */
export const validQueries: readonly string[] = [
  "SELECT id, starts_at FROM r10_upcoming",
  "SELECT kickoff, tags FROM r10_every",
  "SELECT day, n FROM stats.r10_daily",
  "SELECT id FROM r10_kept",
  "SELECT nextval('r10_ticket_seq')",
  "SELECT last_value, is_called FROM r10_ticket_seq",
  "SELECT * FROM r10_ticket_seq",
  "SELECT last_value FROM r10_match_id_seq",
  "SELECT m.id, value, index FROM r10_match m, unnest(m.tags) WITH ORDINALITY AS t(value, index)",
  "SELECT match_id, score FROM r10_scores()",
  "SELECT s.score, m.kickoff FROM r10_scores() s JOIN r10_match m ON m.id = s.match_id",
  "SELECT score, kickoff FROM r10_scores() JOIN r10_match ON id = match_id",
  "SELECT id, body, level FROM r10_log",
  "SELECT total FROM stats.r10_total",
  "SELECT id, kickoff FROM public.r10_match",
  "WITH RECURSIVE n(a, b) AS (SELECT 1, 2 UNION ALL SELECT a + 1, b FROM n WHERE a < 3) SELECT a, b, kickoff FROM n, r10_match",
  "SELECT x, kickoff FROM json_to_record('{\"x\": 1}') AS r(x int), r10_match",
  "SELECT total, kickoff FROM (SELECT count(*) AS total FROM r10_log) c, r10_match",
];

/** PostgreSQL refuses each of these, and the app reports the name. */
export const invalidQueries: readonly [string, { table?: string; column?: string }][] = [
  ["SELECT id FROM r10_gone", { table: "r10_gone" }],
  ["SELECT starts FROM r10_upcoming", { table: "r10_upcoming", column: "starts" }],
  ["SELECT day FROM r10_daily", { table: "r10_daily" }],
  ["SELECT id FROM r10_old", { table: "r10_old" }],
  ["SELECT level FROM r10_match", { table: "r10_match", column: "level" }],
];
