import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Typography } from "antd";
import type { z } from "zod";
import { type Rule, type RuleType, ruleSchema } from "../../../engine/index.js";
import { useLocale } from "../../locales";
import { ListField, NumberField, SelectField } from "./fields";
import { JsonEditor } from "./JsonEditor";
import { RULE_TYPES, startRule } from "./rules";

/** Drops undefined fields (and empty objects they leave), as the document would omit them. */
function clean<T>(o: T): T {
  if (Array.isArray(o)) return o.map(clean) as T;
  if (o && typeof o === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      const c = clean(v);
      if (c === undefined) continue;
      if (c && typeof c === "object" && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out as T;
  }
  return o;
}

/**
 * The form of a leaf's scoring rule: one per rule type the engine offers, and the rule as JSON. A leaf
 * with no rule yet shows so; picking a type starts that rule with its defaults.
 */
export function RuleForm({ rule, onChange }: { rule: Rule | undefined; onChange: (r: Rule) => void }) {
  const { t } = useLocale();
  const typeSelect = (
    <SelectField<RuleType>
      label={t("designer.rule.type")}
      value={rule?.type}
      placeholder={t("designer.rule.none")}
      options={RULE_TYPES.map((r) => ({ value: r, label: t(`designer.rule.${r}`) }))}
      onChange={(v) => v && v !== rule?.type && onChange(startRule(v))}
    />
  );
  if (!rule)
    return (
      <div className="designer-rule">
        <div className="designer-fields">{typeSelect}</div>
        <Typography.Paragraph type="secondary" className="section-note">
          {t("designer.rule.noneNote")}
        </Typography.Paragraph>
      </div>
    );
  const set = (patch: Record<string, unknown>) => onChange(clean({ ...rule, ...patch } as Rule));
  return (
    <div className="designer-rule">
      <div className="designer-fields">
        {typeSelect}
        {rule.type === "completion" ? (
          <>
            <NumberField
              label={t("designer.rule.floor")}
              value={rule.floor}
              scale={100}
              min={0}
              onChange={(floor) => set({ floor })}
            />
            <SelectField
              label={t("designer.rule.below")}
              value={rule.below ?? "proportional"}
              options={(["proportional", "deduct"] as const).map((v) => ({
                value: v,
                label: t(`designer.rule.below.${v}`),
              }))}
              onChange={(below) => set({ below: below === "proportional" ? undefined : below })}
            />
            {rule.below === "deduct" ? (
              <NumberField
                label={t("designer.rule.deductPerPercent")}
                value={rule.deductPerPercent}
                min={0}
                onChange={(deductPerPercent) => set({ deductPerPercent })}
              />
            ) : null}
            <NumberField
              label={t("designer.rule.bonusCap")}
              value={rule.bonusCap}
              scale={100}
              min={0}
              onChange={(bonusCap) => set({ bonusCap })}
            />
            <NumberField
              label={t("designer.rule.bonusPerPercent")}
              value={rule.bonusPerPercent}
              min={0}
              onChange={(bonusPerPercent) => set({ bonusPerPercent })}
            />
          </>
        ) : null}
        {rule.type === "tiers" ? (
          <SelectField
            label={t("designer.rule.basis")}
            value={rule.basis ?? "value"}
            options={(["value", "completion"] as const).map((v) => ({
              value: v,
              label: t(`designer.rule.basis.${v}`),
            }))}
            onChange={(basis) => set({ basis: basis === "value" ? undefined : basis })}
          />
        ) : null}
        {rule.type === "yesno" ? (
          <NumberField
            label={t("designer.rule.yesThreshold")}
            value={rule.threshold}
            onChange={(threshold) => set({ threshold })}
          />
        ) : null}
        {rule.type === "rank" ? (
          <>
            <SelectField
              label={t("designer.rule.source")}
              value={rule.source}
              options={(["peers", "external"] as const).map((v) => ({
                value: v,
                label: t(`designer.rule.source.${v}`),
              }))}
              onChange={(source) => set({ source })}
            />
            {rule.source === "peers" ? (
              <SelectField
                label={t("designer.rule.scope")}
                value={rule.scope ?? "all"}
                options={(["all", "category"] as const).map((v) => ({
                  value: v,
                  label: t(`designer.rule.scope.${v}`),
                }))}
                onChange={(scope) => set({ scope: scope === "all" ? undefined : scope })}
              />
            ) : null}
            <NumberField
              label={t("designer.rule.step")}
              value={rule.step?.points}
              min={0}
              onChange={(points) => set({ step: { ...rule.step, points } })}
            />
            <NumberField
              label={t("designer.rule.first")}
              value={rule.step?.first}
              min={0}
              onChange={(first) => set({ step: { ...rule.step, first } })}
            />
            <ListField
              label={t("designer.rule.top")}
              value={rule.table?.top}
              onChange={(top) => set({ table: { ...rule.table, top } })}
            />
            <ListField
              label={t("designer.rule.bottom")}
              value={rule.table?.bottom}
              onChange={(bottom) => set({ table: { ...rule.table, bottom } })}
            />
            <NumberField
              label={t("designer.rule.of")}
              value={rule.table?.of}
              min={1}
              onChange={(of) => set({ table: { ...rule.table, of } })}
            />
            <NumberField
              label={t("designer.rule.perPlace")}
              value={rule.improvement?.perPlace}
              min={0}
              onChange={(perPlace) =>
                set({ improvement: perPlace === undefined ? undefined : { ...rule.improvement, perPlace } })
              }
            />
          </>
        ) : null}
        {rule.type === "relative" ? <RelativeFields rule={rule} set={set} /> : null}
        {rule.type === "expert" ? (
          <NumberField
            label={t("designer.rule.trim")}
            value={rule.trim}
            min={0}
            onChange={(trim) => set({ trim })}
          />
        ) : null}
        {rule.type === "expert" || rule.type === "mark" ? (
          <NumberField
            label={t("designer.rule.markMax")}
            value={rule.markMax}
            min={0}
            onChange={(markMax) => set({ markMax })}
          />
        ) : null}
      </div>
      {rule.type === "tiers" ? <TierRows rule={rule} onChange={onChange} /> : null}
      <RuleJson rule={rule} onChange={onChange} />
    </div>
  );
}

type Relative = Extract<Rule, { type: "relative" }>;
const METHODS = [
  "minmax",
  "zscore",
  "rank",
  "fracmax",
  "dist2max",
  "goalposts",
  "standard",
  "baseIndex",
] as const;

function RelativeFields({ rule, set }: { rule: Relative; set: (p: Record<string, unknown>) => void }) {
  const { t } = useLocale();
  const n = rule.normaliser;
  return (
    <>
      <SelectField
        label={t("designer.rule.normaliser")}
        value={n.method}
        options={METHODS.map((m) => ({ value: m, label: m }))}
        onChange={(method) =>
          set({
            normaliser:
              method === "standard"
                ? { method, standard: 100 }
                : method === "goalposts"
                  ? { method, lo: 0, hi: 100 }
                  : method === "baseIndex"
                    ? { method, basePeriod: "2021" }
                    : { method },
          })
        }
      />
      {n.method === "standard" ? (
        <NumberField
          label={t("designer.rule.standard")}
          value={n.standard}
          onChange={(standard) => set({ normaliser: { ...n, standard } })}
        />
      ) : null}
      {n.method === "goalposts" ? (
        <>
          <NumberField
            label={t("designer.rule.lo")}
            value={n.lo}
            onChange={(lo) => set({ normaliser: { ...n, lo } })}
          />
          <NumberField
            label={t("designer.rule.hi")}
            value={n.hi}
            onChange={(hi) => set({ normaliser: { ...n, hi } })}
          />
        </>
      ) : null}
      <NumberField label={t("designer.rule.outOf")} value={rule.outOf} onChange={(outOf) => set({ outOf })} />
    </>
  );
}

type Tiers = Extract<Rule, { type: "tiers" }>;

function TierRows({ rule, onChange }: { rule: Tiers; onChange: (r: Rule) => void }) {
  const { t } = useLocale();
  const put = (i: number, patch: Partial<Tiers["tiers"][number]>) =>
    onChange({ ...rule, tiers: rule.tiers.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
  return (
    <div className="designer-tiers">
      {rule.tiers.map((tier, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tiers are edited in place by position
        <div className="designer-tier" key={i}>
          <span className="designer-tier-name">{t("designer.rule.tier", { n: i + 1 })}</span>
          <NumberField
            label={`${t("designer.rule.tier", { n: i + 1 })} ${t("designer.rule.threshold")}`}
            value={tier.threshold}
            onChange={(v) => put(i, { threshold: v ?? 0 })}
          />
          <NumberField
            label={`${t("designer.rule.tier", { n: i + 1 })} ${t("designer.rule.tierPoints")}`}
            value={tier.points}
            min={0}
            onChange={(v) => put(i, { points: v ?? 0 })}
          />
          <Button
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t("designer.rule.removeTier", { n: i + 1 })}
            disabled={rule.tiers.length === 1}
            onClick={() => onChange({ ...rule, tiers: rule.tiers.filter((_, k) => k !== i) })}
          />
        </div>
      ))}
      <Button
        icon={<PlusOutlined />}
        onClick={() => onChange({ ...rule, tiers: [...rule.tiers, { threshold: 0, points: 0 }] })}
      >
        {t("designer.rule.addTier")}
      </Button>
    </div>
  );
}

/** The rule as JSON, for what the form does not offer (rank tables by unit, periods, alternatives). */
function RuleJson({ rule, onChange }: { rule: Rule; onChange: (r: Rule) => void }) {
  const { t } = useLocale();
  return (
    <details className="designer-json">
      <summary>{t("designer.rule.json")}</summary>
      <JsonEditor<Rule>
        label={t("designer.rule.json")}
        value={rule}
        schema={ruleSchema as z.ZodType<Rule>}
        onChange={(r) => r && onChange(r)}
        rows={{ minRows: 2, maxRows: 8 }}
        applyLabel={t("designer.rule.jsonApply")}
        invalid={(message) => t("designer.rule.jsonInvalid", { message })}
      />
    </details>
  );
}
