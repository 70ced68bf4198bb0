import pg from "pg";

const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/scratch" });
await c.connect();
const V = "00000000-0000-0000-0000-000000000002",
  P = "00000000-0000-0000-0000-000000000001";
const queries = {
  trivial: ["SELECT 1", []],
  session: [
    `select u.id, u.username, u.display_name, u.organisation_id, o.code, u.must_change_password, coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_roles r WHERE r.user_id = u.id), '{}'), s.csrf_token, s.expires_at, s.last_seen_at from sessions s join users u on u.id = s.user_id left join organisations o on o.id = u.organisation_id where s.token_hash = $1`,
    ["h"],
  ],
  head: [
    `select id, status, version, $2 = ANY(unit_codes) from plan_versions where plan_id = $1 order by version desc limit 1`,
    [P, "u7"],
  ],
  page: [
    `select coalesce(json_agg(page ORDER BY page.indicator, page.period), '[]')::text from (select indicator, period, value, note, source, status, return_reason as "returnReason", revision, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt" from reported_values where plan_version_id = $1 and unit_code = $2) page`,
    [V, "u7"],
  ],
  pageNoChar: [
    `select coalesce(json_agg(page ORDER BY page.indicator, page.period), '[]')::text from (select indicator, period, value, note, source, status, return_reason as "returnReason", revision, updated_at as "updatedAt" from reported_values where plan_version_id = $1 and unit_code = $2) page`,
    [V, "u7"],
  ],
  pageRows: [
    `select indicator, period, value, note, source, status, return_reason, revision, updated_at from reported_values where plan_version_id = $1 and unit_code = $2`,
    [V, "u7"],
  ],
  pageCount: [
    `select count(*) from reported_values where plan_version_id = $1 and unit_code = $2`,
    [V, "u7"],
  ],
};
for (const [name, [text, values]] of Object.entries(queries)) {
  for (let i = 0; i < 300; i++) await c.query({ name, text, values });
  const t0 = performance.now();
  for (let i = 0; i < 3000; i++) await c.query({ name, text, values });
  console.log(name.padEnd(12), ((performance.now() - t0) / 3000).toFixed(3), "ms");
}
console.log(
  (
    await c.query(
      `explain analyze select count(*) from reported_values where plan_version_id = '${V}' and unit_code = 'u7'`,
    )
  ).rows
    .map((r) => r["QUERY PLAN"])
    .join("\n"),
);
await c.end();
