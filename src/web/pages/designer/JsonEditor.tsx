import { Alert, Button, Input } from "antd";
import { useEffect, useId, useMemo, useState } from "react";
import type { z } from "zod";
import { describeIssue } from "../../../engine/index.js";
import { useLocale } from "../../locales";

/**
 * A part of the document edited as JSON: the text follows the value, and 应用 checks it by the engine's
 * schema (its first issue in the user's language) before it replaces the value. `optional`: emptied,
 * the value is undefined (the document omits it). `pretty`: indented, its button on a row of its own
 * (a part of the plan); else one line with a small button (a rule).
 */
export function JsonEditor<T>({
  label,
  value,
  schema,
  onChange,
  optional = false,
  pretty = false,
  applyLabel,
  invalid,
  rows,
  className,
}: {
  label: string;
  value: T | undefined;
  schema: z.ZodType<T>;
  onChange: (v: T | undefined) => void;
  optional?: boolean;
  pretty?: boolean;
  applyLabel: string;
  /** The alert's title for a fault. */
  invalid: (message: string) => string;
  rows: { minRows: number; maxRows: number };
  className?: string;
}) {
  const { lang } = useLocale();
  const id = useId();
  // Written again only when the value changes (the plan's parts are replaced, never edited in place):
  // a large part (targets: units × indicators) is not serialised at every render of the page.
  const shown = useMemo(
    () => (value === undefined ? "" : JSON.stringify(value, null, pretty ? 2 : undefined)),
    [value, pretty],
  );
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(shown);
    setError(null);
  }, [shown]);
  const apply = () => {
    try {
      if (optional && text.trim() === "") {
        setError(null);
        onChange(undefined);
        return;
      }
      const json: unknown = JSON.parse(text);
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new Error(describeIssue(parsed.error.issues[0]!, json)[lang]);
      setError(null);
      onChange(parsed.data);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <Input.TextArea
        id={id}
        {...(className ? { className } : {})}
        value={text}
        autoSize={rows}
        onChange={(e) => setText(e.target.value)}
      />
      <Button {...(pretty ? { className: "designer-row" } : { size: "small" })} onClick={apply}>
        {applyLabel}
      </Button>
      {error ? <Alert type="error" role="alert" showIcon title={invalid(error)} /> : null}
    </>
  );
}
