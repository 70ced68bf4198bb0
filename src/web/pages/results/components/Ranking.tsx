import { Button, Card, Table, Tag } from "antd";
import type { QuotaLimit } from "../../../../engine/index.js";
import { ExportButton, type ExportColumns } from "../../../components/ExportButton";
import { useLocale } from "../../../locales";

/** One unit's line in a ranking: what the source shows (a run shows all; a public view what the plan allows). */
export interface RankRow {
  unit: string;
  name: string;
  nameEn?: string;
  /** The category's code where known (a run), for the quotas; its name otherwise. */
  category: string | null;
  categoryName: string | null;
  categoryEn?: string;
  total?: number;
  rank?: number | null;
  grade?: string | null;
  titles?: string[];
}

const finite = (n: number | null | undefined): n is number => typeof n === "number" && Number.isFinite(n);

/**
 * The ranking per category (in the order given, already sorted by rank), with the grades' quota lines:
 * each limited grade's quota drawn under the last place it allows. `onOpen` makes unit names open the
 * unit's page (the office); without it they are plain text. `onExplain` makes each total open the
 * unit's full trace (the office and reviewers).
 */
export function Ranking({
  rows,
  quotas = [],
  onOpen,
  onExplain,
  file,
}: {
  rows: RankRow[];
  /** What an exported file's name starts with (the plan's name). */
  file?: string | undefined;
  quotas?: QuotaLimit[];
  onOpen?: (unit: string) => void;
  onExplain?: (unit: string) => void;
}) {
  const { t, lang } = useLocale();
  const groups = new Map<string, RankRow[]>();
  for (const r of rows) {
    const key = r.categoryName ?? "";
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const has = (k: keyof RankRow) => rows.some((r) => r[k] !== undefined);
  const unitName = (r: RankRow) => (lang === "en" && r.nameEn ? r.nameEn : r.name);
  const columns: ExportColumns<RankRow> = [
    ...(has("rank")
      ? [
          {
            title: t("results.col.rank"),
            dataIndex: "rank",
            width: 80,
            render: (r: number | null) => r ?? "—",
          },
        ]
      : []),
    {
      title: t("results.col.unit"),
      key: "unit",
      width: "40%",
      export: unitName,
      render: (_, r) =>
        onOpen ? (
          <Button
            type="link"
            className="link-button"
            aria-label={t("results.open", { unit: unitName(r) })}
            onClick={() => onOpen(r.unit)}
          >
            {unitName(r)}
          </Button>
        ) : (
          unitName(r)
        ),
    },
    ...(has("total")
      ? [
          {
            title: t("results.col.total"),
            dataIndex: "total",
            align: "right" as const,
            width: 110,
            export: { kind: "number" as const, decimals: 2 },
            render: (v: number, r: RankRow) =>
              onExplain ? (
                <Button
                  type="link"
                  className="link-button score-link"
                  aria-label={t("explain.open", { unit: unitName(r), total: v.toFixed(2) })}
                  onClick={() => onExplain(r.unit)}
                >
                  {v.toFixed(2)}
                </Button>
              ) : (
                v.toFixed(2)
              ),
          },
        ]
      : []),
    ...(has("grade")
      ? [
          {
            title: t("results.col.grade"),
            dataIndex: "grade",
            width: 110,
            render: (g: string | null) => (g ? <Tag color={g === "不合格" ? "red" : "blue"}>{g}</Tag> : "—"),
          },
        ]
      : []),
    ...(has("titles")
      ? [
          {
            title: t("results.col.titles"),
            dataIndex: "titles",
            render: (ts: string[] | undefined) =>
              ts?.length
                ? ts.map((x) => (
                    <Tag key={x} color="red">
                      {x}
                    </Tag>
                  ))
                : "—",
          },
        ]
      : []),
  ];
  return (
    <>
      {[...groups].map(([categoryName, members]) => {
        const code = members[0]?.category ?? null;
        const limits = quotas.filter((q) => q.category === code);
        const lineAfter = new Set(
          limits.filter((q) => finite(q.limit) && q.limit > 0).map((q) => q.limit - 1),
        );
        const label =
          categoryName === ""
            ? t("results.standalone")
            : lang === "en" && members[0]?.categoryEn
              ? members[0].categoryEn
              : categoryName;
        return (
          <Card
            key={categoryName}
            className="section"
            title={<h2 className="card-title">{t("results.ranking", { category: label })}</h2>}
            extra={
              <ExportButton
                title={[file, t("results.ranking", { category: label })]}
                columns={columns}
                rows={members}
              />
            }
          >
            {limits.length > 0 ? (
              <div className="quota-lines">
                {limits.map((q) => (
                  <Tag key={q.grade} color={finite(q.limit) ? "orange" : "default"}>
                    {finite(q.limit)
                      ? t("results.quota", { grade: q.grade, limit: q.limit, rule: q.rule[lang] })
                      : t("results.quota.none", { grade: q.grade })}
                  </Tag>
                ))}
              </div>
            ) : null}
            <Table<RankRow>
              className="ranking-table"
              tableLayout="fixed"
              rowKey="unit"
              size="middle"
              pagination={false}
              dataSource={members}
              rowClassName={(_, i) => (lineAfter.has(i) && i < members.length - 1 ? "quota-line" : "")}
              columns={columns}
            />
          </Card>
        );
      })}
    </>
  );
}
