import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Input, InputNumber, Table } from "antd";
import type { Plan } from "../../../engine/index.js";
import { LabelledSelect } from "../../components/LabelledSelect";
import { useLocale } from "../../locales";
import { quotaLines } from "./check";

type Grade = NonNullable<Plan["grades"]>[number];

/** Grades best first with their minimum scores, quotas and requirements; each category's quota worked out. */
export function GradesTab({
  plan,
  onChange,
}: {
  plan: Plan;
  onChange: (grades: Grade[] | undefined) => void;
}) {
  const { t, lang } = useLocale();
  const grades = plan.grades ?? [];
  const put = (i: number, g: Grade) => onChange(grades.map((x, k) => (k === i ? g : x)));
  const label = (g: Grade, field: string) => t("designer.grades.fieldOf", { grade: g.code, field });
  const quota = (g: Grade, patch: Partial<NonNullable<Grade["quota"]>>) => {
    const q = { ...g.quota, ...patch };
    for (const k of Object.keys(q) as (keyof typeof q)[]) if (q[k] === undefined) delete q[k];
    const { quota: _q, ...rest } = g;
    return Object.keys(q).length > 0 ? { ...rest, quota: q } : rest;
  };
  const lines = quotaLines(plan);
  return (
    <div>
      <Card className="section" title={<h3 className="card-title">{t("designer.grades.title")}</h3>}>
        <Table<Grade>
          rowKey={(g) => grades.indexOf(g)}
          size="small"
          pagination={false}
          dataSource={grades}
          columns={[
            {
              title: t("designer.grades.code"),
              width: 140,
              render: (_, g, i) => (
                <Input
                  aria-label={label(g, t("designer.grades.code"))}
                  value={g.code}
                  onChange={(e) => put(i, { ...g, code: e.target.value })}
                />
              ),
            },
            {
              title: t("designer.grades.minScore"),
              width: 120,
              render: (_, g, i) => (
                <InputNumber
                  aria-label={label(g, t("designer.grades.minScore"))}
                  value={g.minScore ?? null}
                  onChange={(v) => {
                    const { minScore: _m, ...rest } = g;
                    put(i, v === null ? rest : { ...rest, minScore: Number(v) });
                  }}
                />
              ),
            },
            {
              title: t("designer.grades.share"),
              width: 130,
              render: (_, g, i) => (
                <InputNumber
                  aria-label={label(g, t("designer.grades.share"))}
                  value={g.quota?.share === undefined ? null : Math.round(g.quota.share * 1e9) / 1e7}
                  min={0}
                  onChange={(v) =>
                    put(i, quota(g, { share: v === null ? undefined : Math.round(Number(v) * 1e7) / 1e9 }))
                  }
                />
              ),
            },
            {
              title: t("designer.grades.count"),
              width: 120,
              render: (_, g, i) => (
                <InputNumber
                  aria-label={label(g, t("designer.grades.count"))}
                  value={g.quota?.count ?? null}
                  min={0}
                  precision={0}
                  onChange={(v) => put(i, quota(g, { count: v === null ? undefined : Number(v) }))}
                />
              ),
            },
            {
              title: t("designer.grades.rounding"),
              width: 140,
              render: (_, g, i) => (
                <LabelledSelect<string>
                  id={`grade-rounding-${i}`}
                  label={label(g, t("designer.grades.rounding"))}
                  aria-label={label(g, t("designer.grades.rounding"))}
                  className="designer-select"
                  value={g.quota?.rounding ?? "floor"}
                  options={(["floor", "round", "ceil"] as const).map((r) => ({
                    value: r,
                    label: t(`designer.grades.rounding.${r}`),
                  }))}
                  onChange={(r) =>
                    put(i, quota(g, { rounding: r === "floor" ? undefined : (r as "round" | "ceil") }))
                  }
                />
              ),
            },
            {
              title: "",
              render: (_, g, i) => (
                <div className="designer-requires">
                  {(["noVeto", "noFailedMust"] as const).map((r) => (
                    <Checkbox
                      key={r}
                      checked={g.requires?.includes(r) ?? false}
                      onChange={(e) => {
                        const req = new Set(g.requires ?? []);
                        if (e.target.checked) req.add(r);
                        else req.delete(r);
                        const { requires: _r, ...rest } = g;
                        put(i, req.size > 0 ? { ...rest, requires: [...req] } : rest);
                      }}
                    >
                      {t(`designer.grades.${r}`)}
                    </Checkbox>
                  ))}
                </div>
              ),
            },
            {
              title: "",
              width: 50,
              render: (_, g, i) => (
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t("designer.grades.remove", { code: g.code })}
                  onClick={() => {
                    const next = grades.filter((_, k) => k !== i);
                    onChange(next.length > 0 ? next : undefined);
                  }}
                />
              ),
            },
          ]}
        />
        <Button
          className="designer-row"
          icon={<PlusOutlined />}
          onClick={() => onChange([...grades, { code: `等次${grades.length + 1}` }])}
        >
          {t("designer.grades.add")}
        </Button>
      </Card>
      <Card className="section" title={<h3 className="card-title">{t("designer.grades.quotas")}</h3>}>
        <ul className="designer-quotas">
          {lines.map((l) => (
            <li key={`${l.category}:${l.grade}`}>
              {l.categoryName} · {l.grade}：
              {Number.isFinite(l.limit) ? l.rule[lang] : t("designer.grades.noQuota")}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
