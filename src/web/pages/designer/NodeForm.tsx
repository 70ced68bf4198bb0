import { Alert, Card, Divider } from "antd";
import { dataTypes, type IndicatorSpec } from "../../../engine/index.js";
import { useLocale } from "../../locales";
import type { Problem } from "./check";
import { CheckField, MultiSelectField, NumberField, SelectField, TextField } from "./fields";
import { RuleForm } from "./RuleForm";
import { RulePreview } from "./RulePreview";
import type { NodeSum } from "./sums";

type Own = Omit<IndicatorSpec, "children">;
type Option = { value: string; label: string };

/** One indicator's fields, its rule's form and the engine's preview (leaves), its problems on top. */
export function NodeForm({
  spec,
  leaf,
  sum,
  problems,
  units,
  leads,
  onChange,
}: {
  spec: Own;
  leaf: boolean;
  sum: NodeSum | undefined;
  problems: Problem[];
  /** The plan's units, for 适用单位. */
  units: Option[];
  /** Who may lead (牵头部门): the plan's units and organisations, and the registered organisations. */
  leads: Option[];
  onChange: (patch: Partial<Own>) => void;
}) {
  const { t, lang } = useLocale();
  // A lead the lists do not know stays shown (the engine's fault says so above) until it is changed.
  const leadOptions =
    spec.lead === undefined || leads.some((o) => o.value === spec.lead)
      ? leads
      : [{ value: spec.lead, label: t("designer.node.leadUnknown", { code: spec.lead }) }, ...leads];
  const points = sum?.points ?? spec.points ?? 0;
  return (
    <Card
      className="designer-node"
      title={<h3 className="card-title">{t("designer.node.title", { code: spec.code })}</h3>}
    >
      {problems.map((p) => (
        <Alert
          key={`${p.code}${p.path}`}
          className="form-alert-top"
          type="error"
          showIcon
          title={p.message[lang]}
        />
      ))}
      <div className="designer-fields">
        <TextField
          label={t("designer.node.code")}
          value={spec.code}
          required
          onChange={(code) => onChange({ code: code ?? "" })}
        />
        <TextField
          label={t("designer.node.name")}
          value={spec.name}
          required
          onChange={(name) => onChange({ name: name ?? "" })}
        />
        <TextField
          label={t("designer.node.nameEn")}
          value={spec.nameEn}
          onChange={(nameEn) => onChange({ nameEn })}
        />
        <NumberField
          label={t("designer.node.points")}
          value={spec.points}
          min={0}
          onChange={(p) => onChange({ points: p })}
        />
        <NumberField
          label={t("designer.node.weight")}
          value={spec.weight}
          min={0}
          onChange={(weight) => onChange({ weight })}
        />
        {!leaf ? (
          <SelectField
            label={t("designer.node.combine")}
            value={spec.combine ?? "sum"}
            options={(["sum", "weighted"] as const).map((v) => ({
              value: v,
              label: t(`designer.node.combine.${v}`),
            }))}
            onChange={(c) => onChange({ combine: c === "sum" ? undefined : c })}
          />
        ) : null}
        <SelectField<string>
          label={t("designer.node.lead")}
          value={spec.lead}
          options={leadOptions}
          allowClear
          search
          onChange={(lead) => onChange({ lead })}
        />
      </div>
      {leaf ? (
        <>
          <div className="designer-fields">
            <NumberField
              label={t("designer.node.target")}
              value={spec.target}
              onChange={(target) => onChange({ target })}
            />
            <TextField
              label={t("designer.node.unit")}
              value={spec.unit}
              onChange={(unit) => onChange({ unit })}
            />
            <SelectField
              label={t("designer.node.dataType")}
              value={spec.dataType}
              allowClear
              options={dataTypes.map((d) => ({ value: d, label: d }))}
              onChange={(dataType) => onChange({ dataType })}
            />
            <SelectField
              label={t("designer.node.direction")}
              value={spec.direction ?? 1}
              options={[
                { value: 1, label: t("designer.node.direction.up") },
                { value: -1, label: t("designer.node.direction.down") },
              ]}
              onChange={(d) => onChange({ direction: d === -1 ? -1 : undefined })}
            />
            <CheckField
              label={t("designer.node.must")}
              value={spec.must}
              onChange={(must) => onChange({ must })}
            />
            <CheckField
              label={t("designer.node.adjustment")}
              value={spec.adjustment}
              onChange={(adjustment) =>
                // 适用单位 belongs to adjustment leaves only: it goes with the flag.
                onChange(adjustment ? { adjustment } : { adjustment, appliesTo: undefined })
              }
            />
            {spec.adjustment || spec.appliesTo ? (
              <MultiSelectField
                label={t("designer.node.appliesTo")}
                value={spec.appliesTo}
                options={units}
                onChange={(appliesTo) => onChange({ appliesTo })}
              />
            ) : null}
            <CheckField
              label={t("designer.node.evidence")}
              value={spec.evidence?.required}
              onChange={(required) =>
                onChange({ evidence: required ? { ...spec.evidence, required: true } : undefined })
              }
            />
            {spec.evidence?.required ? (
              <TextField
                label={t("designer.node.evidenceDescription")}
                value={spec.evidence.description}
                onChange={(description) =>
                  onChange({ evidence: description ? { required: true, description } : { required: true } })
                }
              />
            ) : null}
          </div>
          <Divider titlePlacement="start">{t("designer.rule.title")}</Divider>
          <RuleForm rule={spec.rule} onChange={(rule) => onChange({ rule })} />
          {spec.rule ? (
            <>
              <Divider titlePlacement="start">{t("designer.preview.title")}</Divider>
              <RulePreview key={`${spec.code}:${spec.rule.type}`} leaf={spec} points={points} />
            </>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
