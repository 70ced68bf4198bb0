import { Alert, Button, Card, Input, Typography } from "antd";
import { useEffect, useId, useState } from "react";
import { describeIssue, type Plan, planSchema } from "../../../engine/index.js";
import { useLocale } from "../../locales";

export const PARTS = ["bonus", "penalties", "caps", "vetoes", "titles", "targets"] as const;
export type Part = (typeof PARTS)[number];

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
  const { t, lang } = useLocale();
  const id = useId();
  const shown = value === undefined ? "" : JSON.stringify(value, null, 2);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(shown);
    setError(null);
  }, [shown]);
  const apply = () => {
    try {
      if (text.trim() === "") {
        onChange(undefined);
        return;
      }
      const parsed = planSchema.shape[part].safeParse(JSON.parse(text));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(describeIssue(issue, JSON.parse(text))[lang]);
      }
      setError(null);
      onChange(parsed.data as Plan[Part]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const name = t(`designer.part.${part}`);
  return (
    <Card className="section" title={<h3 className="card-title">{name}</h3>}>
      <label htmlFor={id} className="visually-hidden">
        {name}
      </label>
      <Input.TextArea
        id={id}
        className="designer-code"
        value={text}
        autoSize={{ minRows: 3, maxRows: 16 }}
        onChange={(e) => setText(e.target.value)}
      />
      <Button className="designer-row" onClick={apply}>
        {t("designer.part.apply")}
      </Button>
      {error ? (
        <Alert
          type="error"
          role="alert"
          showIcon
          title={t("designer.part.invalid", { part: name, message: error })}
        />
      ) : null}
      <Typography.Paragraph type="secondary" className="section-note">
        {t("designer.part.note")}
      </Typography.Paragraph>
    </Card>
  );
}
