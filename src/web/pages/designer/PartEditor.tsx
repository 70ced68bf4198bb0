import { Card, Typography } from "antd";
import type { z } from "zod";
import { type Plan, planSchema } from "../../../engine/index.js";
import { useLocale } from "../../locales";
import { JsonEditor } from "./JsonEditor";

export const PARTS = ["bonus", "penalties", "caps", "vetoes", "titles", "targets"] as const;
type Part = (typeof PARTS)[number];

/** One part of the plan (bonus items, penalties, caps, vetoes, titles, targets) as JSON, checked by the plan's own schema. */
export function PartEditor({
  part,
  value,
  onChange,
}: {
  part: Part;
  value: Plan[Part];
  onChange: (v: Plan[Part]) => void;
}) {
  const { t } = useLocale();
  const name = t(`designer.part.${part}`);
  return (
    <Card className="section" title={<h3 className="card-title">{name}</h3>}>
      <JsonEditor<Plan[Part]>
        label={name}
        value={value}
        schema={planSchema.shape[part] as unknown as z.ZodType<Plan[Part]>}
        onChange={onChange}
        optional
        pretty
        className="designer-code"
        rows={{ minRows: 3, maxRows: 16 }}
        applyLabel={t("designer.part.apply")}
        invalid={(message) => t("designer.part.invalid", { part: name, message })}
      />
      <Typography.Paragraph type="secondary" className="section-note">
        {t("designer.part.note")}
      </Typography.Paragraph>
    </Card>
  );
}
