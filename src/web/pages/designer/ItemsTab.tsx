import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Checkbox, Input, InputNumber, Table, type TableColumnsType } from "antd";
import { useEffect, useState } from "react";
import type { Plan } from "../../../engine/index.js";
import { LabelledSelect } from "../../components/LabelledSelect";
import { useLocale } from "../../locales";
import type { Problem } from "./check";
import {
  addRow,
  type ItemPart,
  levelsText,
  parseLevels,
  type Row,
  removeRow,
  rowProblems,
  updateRow,
} from "./items";
import { PARTS, PartEditor } from "./PartEditor";

type Option = { value: string; label: string };

/** Every indicator of the tree as an option, "code name", in tree order. */
function indicatorOptions(list: Plan["indicators"]): Option[] {
  return list.flatMap((n) => [
    { value: n.code, label: `${n.code} ${n.name}` },
    ...indicatorOptions(n.children ?? []),
  ]);
}

const num = (v: number | string | null) => (v === null || v === "" ? undefined : Number(v));

/** A select of one value (cleared: undefined) or several (emptied: undefined), labelled. */
function Pick(props: {
  id: string;
  label: string;
  value: string | string[] | undefined;
  options: Option[];
  multiple?: boolean;
  tags?: boolean;
  onChange: (v: string | string[] | undefined) => void;
}) {
  const mode = props.tags ? "tags" : props.multiple ? "multiple" : undefined;
  return (
    <LabelledSelect<string | string[]>
      id={props.id}
      label={props.label}
      aria-label={props.label}
      className="designer-items-select"
      allowClear
      {...(mode ? { mode } : {})}
      value={props.value ?? (mode ? [] : (null as unknown as string))}
      options={props.options}
      onChange={(v) => props.onChange(Array.isArray(v) ? (v.length > 0 ? v : undefined) : (v ?? undefined))}
    />
  );
}

/** 加分标准 as text "国家级 3，省级 2", read back on leaving the field (a bad pair named, kept as typed). */
function LevelsInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Record<string, number>;
  onChange: (v: Record<string, number>) => void;
}) {
  const { t } = useLocale();
  const shown = levelsText(value);
  const [text, setText] = useState(shown);
  const [bad, setBad] = useState<string | null>(null);
  useEffect(() => {
    setText(shown);
    setBad(null);
  }, [shown]);
  return (
    <>
      <Input
        aria-label={label}
        value={text}
        status={bad ? "error" : ""}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          const read = parseLevels(text);
          if (!read.ok) return setBad(read.bad);
          setBad(null);
          onChange(read.levels);
        }}
      />
      {bad ? (
        <div className="designer-tree-fault" role="alert">
          {t("designer.items.levelsBad", { pair: bad })}
        </div>
      ) : null}
    </>
  );
}

type Set<P extends ItemPart> = (i: number, patch: Partial<Row<P>>) => void;

/** One part's rows as a table: code and name (the row's faults under them), the part's own columns, remove. */
function ItemTable<P extends ItemPart>({
  part,
  plan,
  problems,
  onChange,
  columns,
}: {
  part: P;
  plan: Plan;
  problems: readonly Problem[];
  onChange: (patch: Partial<Plan>) => void;
  columns: (set: Set<P>) => TableColumnsType<Row<P>>;
}) {
  const { t, lang } = useLocale();
  const rows = (plan[part] ?? []) as Row<P>[];
  const set: Set<P> = (i, patch) => onChange({ [part]: updateRow(rows, i, patch) });
  return (
    <PartEditor part={part} value={plan[part]} onChange={(v) => onChange({ [part]: v })} advanced>
      <Table<Row<P>>
        rowKey={(r) => `${rows.indexOf(r)}`}
        size="small"
        pagination={false}
        scroll={{ x: "max-content" }}
        dataSource={rows}
        locale={{ emptyText: <span className="designer-board-empty">{t("designer.items.empty")}</span> }}
        columns={[
          {
            title: t("designer.items.code"),
            width: 90,
            render: (_, r, i) => (
              <Input
                aria-label={t("designer.items.codeOf", { n: i + 1, part: t(`designer.part.${part}`) })}
                value={r.code}
                onChange={(e) => set(i, { code: e.target.value } as Partial<Row<P>>)}
              />
            ),
          },
          {
            title: t("designer.items.name"),
            width: 200,
            render: (_, r, i) => (
              <>
                <Input
                  aria-label={t("designer.items.nameOf", { code: r.code })}
                  value={r.name ?? ""}
                  onChange={(e) => set(i, { name: e.target.value } as Partial<Row<P>>)}
                />
                {rowProblems(problems, part, i, r as { code: string }).map((p) => (
                  <div key={`${p.code}${p.path}`} className="designer-tree-fault">
                    {p.message[lang]}
                  </div>
                ))}
              </>
            ),
          },
          ...columns(set),
          {
            title: "",
            width: 44,
            render: (_, r, i) => (
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t("designer.items.remove", { code: r.code })}
                onClick={() => onChange({ [part]: removeRow(rows, i) })}
              />
            ),
          },
        ]}
      />
      <Button
        className="designer-row"
        icon={<PlusOutlined />}
        onClick={() => onChange({ [part]: addRow(plan, part) })}
      >
        {t(`designer.items.add.${part}`)}
      </Button>
    </PartEditor>
  );
}

/**
 * 加分项, 扣分项, 一票否决 and 称号 as tables (a row each, its fields per the plan format, the engine's
 * faults on the row at fault), each with its JSON as the 高级 fallback; caps and targets as JSON.
 */
export function ItemsTab({
  plan,
  problems,
  onChange,
}: {
  plan: Plan;
  problems: readonly Problem[];
  onChange: (patch: Partial<Plan>) => void;
}) {
  const { t } = useLocale();
  const nodes = indicatorOptions(plan.indicators);
  const grades: Option[] = (plan.grades ?? []).map((g) => ({ value: g.code, label: g.name ?? g.code }));
  const titles: Option[] = (plan.titles ?? []).map((x) => ({ value: x.code, label: x.name ?? x.code }));
  const common = { plan, problems, onChange };
  const nodeColumn = <P extends "bonus" | "penalties">(part: P, set: Set<P>) => ({
    title: t("designer.items.node"),
    width: 200,
    render: (_: unknown, r: Row<P>, i: number) => (
      <Pick
        id={`${part}-node-${i}`}
        label={t("designer.items.nodeOf", { code: r.code })}
        value={r.node}
        options={nodes}
        onChange={(node) => set(i, { node: node as string | undefined } as Partial<Row<P>>)}
      />
    ),
  });
  const capColumn = <P extends "bonus" | "penalties">(set: Set<P>) => ({
    title: t("designer.items.cap"),
    width: 90,
    render: (_: unknown, r: Row<P>, i: number) => (
      <InputNumber
        aria-label={t("designer.items.capOf", { code: r.code })}
        min={0}
        value={r.cap ?? null}
        onChange={(v) => set(i, { cap: num(v) } as Partial<Row<P>>)}
      />
    ),
  });
  return (
    <div className="designer-items">
      <ItemTable
        part="bonus"
        {...common}
        columns={(set) => [
          {
            title: t("designer.items.levels"),
            width: 200,
            render: (_, r, i) => (
              <LevelsInput
                label={t("designer.items.levelsOf", { code: r.code })}
                value={r.levels}
                onChange={(levels) => set(i, { levels })}
              />
            ),
          },
          {
            title: t("designer.items.highestOnly"),
            width: 80,
            render: (_, r, i) => (
              <Checkbox
                aria-label={t("designer.items.highestOnlyOf", { code: r.code })}
                checked={r.highestOnly ?? true}
                onChange={(e) => set(i, { highestOnly: e.target.checked ? undefined : false })}
              />
            ),
          },
          capColumn(set),
          nodeColumn("bonus", set),
        ]}
      />
      <ItemTable
        part="penalties"
        {...common}
        columns={(set) => [
          {
            title: t("designer.items.perOccurrence"),
            width: 150,
            render: (_, r, i) => (
              <div className="designer-row-tight">
                <Checkbox
                  aria-label={t("designer.items.amountOf", { code: r.code })}
                  checked={r.amount === true}
                  onChange={(e) =>
                    set(
                      i,
                      e.target.checked
                        ? { amount: true, perOccurrence: undefined }
                        : { amount: undefined, perOccurrence: 1 },
                    )
                  }
                >
                  {t("designer.items.amount")}
                </Checkbox>
                {r.amount ? null : (
                  <InputNumber
                    aria-label={t("designer.items.perOccurrenceOf", { code: r.code })}
                    min={0}
                    value={r.perOccurrence ?? null}
                    onChange={(v) => set(i, { perOccurrence: num(v) })}
                  />
                )}
              </div>
            ),
          },
          capColumn(set),
          nodeColumn("penalties", set),
        ]}
      />
      <ItemTable
        part="vetoes"
        {...common}
        columns={(set) => [
          {
            title: t("designer.items.grade"),
            width: 120,
            render: (_, r, i) => (
              <Pick
                id={`veto-grade-${i}`}
                label={t("designer.items.gradeOf", { code: r.code })}
                value={r.grade}
                options={grades}
                onChange={(grade) => set(i, { grade: grade as string | undefined })}
              />
            ),
          },
          {
            title: t("designer.items.ineligible"),
            width: 180,
            render: (_, r, i) => (
              <Pick
                id={`veto-ineligible-${i}`}
                label={t("designer.items.ineligibleOf", { code: r.code })}
                value={r.ineligible}
                multiple
                options={[...grades, ...titles.filter((x) => !grades.some((g) => g.value === x.value))]}
                onChange={(v) => set(i, { ineligible: v as string[] | undefined })}
              />
            ),
          },
          {
            title: t("designer.items.vetoLevels"),
            width: 180,
            render: (_, r, i) => (
              <Pick
                id={`veto-levels-${i}`}
                label={t("designer.items.vetoLevelsOf", { code: r.code })}
                value={r.levels}
                tags
                options={(r.levels ?? []).map((l) => ({ value: l, label: l }))}
                onChange={(v) => {
                  const levels = v as string[] | undefined;
                  const kept = (r.triggeredBy ?? []).filter((l) => levels?.includes(l));
                  set(i, { levels, triggeredBy: kept.length > 0 ? kept : undefined });
                }}
              />
            ),
          },
          {
            title: t("designer.items.triggeredBy"),
            width: 160,
            render: (_, r, i) => (
              <Pick
                id={`veto-triggered-${i}`}
                label={t("designer.items.triggeredByOf", { code: r.code })}
                value={r.triggeredBy}
                multiple
                options={(r.levels ?? []).map((l) => ({ value: l, label: l }))}
                onChange={(v) => set(i, { triggeredBy: v as string[] | undefined })}
              />
            ),
          },
        ]}
      />
      <ItemTable
        part="titles"
        {...common}
        columns={(set) => [
          {
            title: t("designer.items.top"),
            width: 90,
            render: (_, r, i) => (
              <InputNumber
                aria-label={t("designer.items.topOf", { code: r.code })}
                min={1}
                precision={0}
                value={r.top}
                onChange={(v) => set(i, { top: num(v) ?? 1 })}
              />
            ),
          },
          {
            title: t("designer.items.requiresGrade"),
            width: 140,
            render: (_, r, i) => (
              <Pick
                id={`title-grade-${i}`}
                label={t("designer.items.requiresGradeOf", { code: r.code })}
                value={r.requiresGrade}
                options={grades}
                onChange={(g) => set(i, { requiresGrade: g as string | undefined })}
              />
            ),
          },
          {
            title: t("designer.items.commendation"),
            width: 80,
            render: (_, r, i) => (
              <Checkbox
                aria-label={t("designer.items.commendationOf", { code: r.code })}
                checked={r.commendation ?? false}
                onChange={(e) => set(i, { commendation: e.target.checked ? true : undefined })}
              />
            ),
          },
        ]}
      />
      <div className="designer-two">
        {PARTS.filter((p) => p === "caps" || p === "targets").map((part) => (
          <PartEditor key={part} part={part} value={plan[part]} onChange={(v) => onChange({ [part]: v })} />
        ))}
      </div>
    </div>
  );
}
