import { Card, Typography } from "antd";
import type { ReactNode } from "react";
import type { z } from "zod";
import { type Plan, planSchema } from "../../../engine/index.js";
import { useLocale } from "../../locales";
import { JsonEditor } from "./JsonEditor";

export const PARTS = ["bonus", "penalties", "caps", "vetoes", "titles", "targets"] as const;
type Part = (typeof PARTS)[number];

/**
 * One part of the plan (bonus items, penalties, caps, vetoes, titles, targets) as JSON, checked by the
 * plan's own schema. `advanced`: the part has a form (children) and its JSON is the 高级 fallback, folded.
 */
export function PartEditor({
  part,
  value,
  onChange,
  advanced = false,
  children,
}: {
  part: Part;
  value: Plan[Part];
  onChange: (v: Plan[Part]) => void;
  advanced?: boolean;
  children?: ReactNode;
}) {
  const { t } = useLocale();
  const name = t(`designer.part.${part}`);
  const json = (
    <JsonEditor<Plan[Part]>
      label={advanced ? t("designer.part.json", { part: name }) : name}
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
  );
  return (
    <Card className="section" title={<h3 className="card-title">{name}</h3>}>
      {children}
      {advanced ? (
        <details className="designer-json">
          <summary>{t("designer.part.json", { part: name })}</summary>
          {json}
        </details>
      ) : (
        <>
          {json}
          <Typography.Paragraph type="secondary" className="section-note">
            {t("designer.part.note")}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
