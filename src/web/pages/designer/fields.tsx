import { Checkbox, Input, InputNumber } from "antd";
import { type ReactNode, useEffect, useId, useState } from "react";
import { LabelledSelect } from "../../components/LabelledSelect";

/** A labelled form field (the label is the input's accessible name). */
function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="designer-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/** A number; emptied, it is undefined (the document then omits the field). */
export function NumberField(props: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  min?: number;
  scale?: number;
}) {
  const id = useId();
  const scale = props.scale ?? 1;
  return (
    <Field id={id} label={props.label}>
      <InputNumber
        id={id}
        className="designer-number"
        value={props.value === undefined ? null : Math.round(props.value * scale * 1e9) / 1e9}
        {...(props.min !== undefined ? { min: props.min } : {})}
        onChange={(v) =>
          props.onChange(
            v === null || v === undefined ? undefined : Math.round((Number(v) / scale) * 1e12) / 1e12,
          )
        }
      />
    </Field>
  );
}

export function TextField(props: {
  label: string;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  required?: boolean;
}) {
  const id = useId();
  return (
    <Field id={id} label={props.label}>
      <Input
        id={id}
        value={props.value ?? ""}
        onChange={(e) =>
          props.onChange(e.target.value === "" && !props.required ? undefined : e.target.value)
        }
      />
    </Field>
  );
}

export function SelectField<V extends string | number>(props: {
  label: string;
  value: V | undefined;
  options: { value: V; label: string }[];
  onChange: (v: V | undefined) => void;
  allowClear?: boolean;
  placeholder?: string;
  /** Searched by the options' labels (a long list, e.g. organisations). */
  search?: boolean;
}) {
  const id = useId();
  return (
    <Field id={id} label={props.label}>
      <LabelledSelect<V>
        id={id}
        label={props.label}
        className="designer-select"
        value={props.value}
        options={props.options}
        allowClear={props.allowClear ?? false}
        {...(props.search ? { showSearch: { optionFilterProp: "label" } } : {})}
        {...(props.placeholder !== undefined ? { placeholder: props.placeholder } : {})}
        onChange={(v) => props.onChange(v ?? undefined)}
      />
    </Field>
  );
}

export function CheckField(props: {
  label: string;
  value: boolean | undefined;
  onChange: (v: boolean | undefined) => void;
}) {
  return (
    <div className="designer-field designer-check">
      <Checkbox
        checked={props.value ?? false}
        onChange={(e) => props.onChange(e.target.checked ? true : undefined)}
      >
        {props.label}
      </Checkbox>
    </div>
  );
}

/** A list of numbers written "5, 4, 3"; empty is undefined. The text follows the value (a JSON edit shows here). */
export function ListField(props: {
  label: string;
  value: number[] | undefined;
  onChange: (v: number[] | undefined) => void;
}) {
  const id = useId();
  const shown = (props.value ?? []).join(", ");
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  return (
    <Field id={id} label={props.label}>
      <Input
        id={id}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          const list = text
            .split(/[,，\s]+/)
            .filter((x) => x !== "")
            .map(Number)
            .filter((x) => Number.isFinite(x));
          props.onChange(list.length > 0 ? list : undefined);
          setText(list.join(", "));
        }}
      />
    </Field>
  );
}

/** Several of a list; emptied, undefined (the document then omits the field). */
export function MultiSelectField(props: {
  label: string;
  value: string[] | undefined;
  options: { value: string; label: string }[];
  onChange: (v: string[] | undefined) => void;
}) {
  const id = useId();
  return (
    <Field id={id} label={props.label}>
      <LabelledSelect<string[]>
        id={id}
        label={props.label}
        className="designer-select"
        mode="multiple"
        allowClear
        showSearch={{ optionFilterProp: "label" }}
        value={props.value ?? []}
        options={props.options}
        onChange={(v) => props.onChange(v && v.length > 0 ? v : undefined)}
      />
    </Field>
  );
}
