import { Card, Radio, Tag, Tooltip } from "antd";
import type { OfficeSummary } from "../../../../server/modules/publication/schema.js";
import type { RunSummary } from "../../../../server/modules/runs/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { useLocale } from "../../../locales";

/** A run's time to the second: two runs of one minute must be told apart. */
export const runTime = (lang: string, iso: string) =>
  new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso));

/** The first 12 hex digits of a hash, as the list shows it (the whole hash in its tooltip). */
export const shortHash = (hash: string) => hash.slice(0, 12);

/** A run's publication status: its latest publication's, none when it was never published. */
function statusOf(run: RunSummary, publications: readonly OfficeSummary[]) {
  return publications.find((p) => p.runId === run.id)?.status ?? null;
}

/** The plan's runs, newest first, each with its hash, version, engine and status; two chosen to compare. */
export function RunList({
  runs,
  publications,
  from,
  to,
  onChoose,
}: {
  runs: RunSummary[];
  /** The plan's publications (the office); null for a reviewer, who reads none, so no status is claimed. */
  publications: readonly OfficeSummary[] | null;
  from: string | undefined;
  to: string | undefined;
  onChoose: (key: "from" | "to", id: string) => void;
}) {
  const { t, lang } = useLocale();
  const colours = { notice: "orange", final: "green", withdrawn: "default" } as const;
  return (
    <Card className="section" title={<h2 className="card-title">{t("runs.list")}</h2>}>
      <ExportTable<RunSummary>
        exportTitle={[t("runs.list")]}
        className="runs-table"
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={runs}
        columns={[
          {
            key: "from",
            title: t("runs.col.from"),
            width: 96,
            render: (_, r) => (
              <Radio
                checked={from === r.id}
                onChange={() => onChoose("from", r.id)}
                aria-label={t("runs.pick.from", { time: runTime(lang, r.createdAt) })}
              />
            ),
          },
          {
            key: "to",
            title: t("runs.col.to"),
            width: 96,
            render: (_, r) => (
              <Radio
                checked={to === r.id}
                onChange={() => onChoose("to", r.id)}
                aria-label={t("runs.pick.to", { time: runTime(lang, r.createdAt) })}
              />
            ),
          },
          {
            key: "time",
            title: t("runs.col.time"),
            export: { value: (r) => r.createdAt, kind: "datetime" },
            render: (_, r) => runTime(lang, r.createdAt),
          },
          {
            key: "version",
            title: t("runs.col.version"),
            render: (_, r) => t("runs.version", { n: r.planVersion }),
          },
          {
            key: "hash",
            title: t("runs.col.hash"),
            render: (_, r) => (
              <Tooltip title={r.inputHash}>
                <code className="run-hash">{shortHash(r.inputHash)}</code>
              </Tooltip>
            ),
          },
          { key: "engine", title: t("runs.col.engine"), dataIndex: "engineVersion" },
          {
            key: "status",
            title: t("runs.col.status"),
            render: (_, r) => {
              const latest = r.id === runs[0]?.id ? <Tag color="blue">{t("runs.status.latest")}</Tag> : null;
              if (!publications) return latest;
              const status = statusOf(r, publications);
              return (
                <>
                  {latest}
                  {status ? (
                    <Tag color={colours[status]}>{t(`runs.status.${status}`)}</Tag>
                  ) : (
                    <Tag>{t("runs.status.none")}</Tag>
                  )}
                </>
              );
            },
          },
        ]}
      />
    </Card>
  );
}
