import { Alert, Form, Input, InputNumber, Modal, Select, type UploadFile } from "antd";
import { useState } from "react";
import { problemTitle, showAtField } from "../../../components/form-problem";
import { useLocale } from "../../../locales";
import { useCreateClaim } from "../../../services/claims";
import type { CatalogItem } from "./catalog";
import { EvidencePicker, fileProblem } from "./EvidencePicker";

interface Values {
  unit: string;
  item: string;
  level?: string;
  value?: number;
  ref?: string;
  note?: string;
  files?: UploadFile[];
}
const FIELDS = ["unit", "item", "level", "value", "ref", "note", "files"] as const;

/**
 * A unit's bonus claim (its leader: the unit is its own, the items are the bonuses), or an item the
 * office records for any unit (penalties and vetoes among them), with its evidence files.
 */
export function ClaimModal(props: {
  planId: string;
  mode: "claim" | "record";
  open: boolean;
  catalog: CatalogItem[];
  units: { code: string; name: string }[];
  ownUnit?: string | undefined;
  onClose(): void;
  onDone(text: string, level?: "success" | "warning"): void;
}) {
  const { t, lang } = useLocale();
  const [form] = Form.useForm<Values>();
  const create = useCreateClaim(props.planId, lang);
  const [problem, setProblem] = useState<string>();
  const itemCode = Form.useWatch("item", form);
  const item = props.catalog.find((c) => c.code === itemCode);
  const items = props.mode === "claim" ? props.catalog.filter((c) => c.kind === "bonus") : props.catalog;
  const kind = (c: CatalogItem) => t(`claims.kind.${c.kind}`);

  const submit = (values: Values) => {
    setProblem(undefined);
    const files = (values.files ?? [])
      .map((f) => f.originFileObj)
      .filter((f): f is NonNullable<typeof f> => !!f);
    const bad = files.map((f) => fileProblem(f, t)).find(Boolean);
    if (bad) {
      form.setFields([{ name: "files", errors: [bad] }]);
      return;
    }
    create.mutate(
      {
        unit: props.mode === "claim" ? props.ownUnit! : values.unit,
        item: values.item,
        ...(values.level ? { level: values.level } : {}),
        ...(values.value !== undefined && values.value !== null ? { value: values.value } : {}),
        ...(values.ref ? { ref: values.ref } : {}),
        ...(values.note ? { note: values.note } : {}),
        files,
      },
      {
        onSuccess: ({ refused }) => {
          if (refused)
            props.onDone(
              t("claims.done.fileRefused", { name: refused.file, reason: problemTitle(refused.error) ?? "" }),
              "warning",
            );
          else props.onDone(t(props.mode === "claim" ? "claims.done.claim" : "claims.done.record"));
          props.onClose();
        },
        onError: (e) => {
          if (!showAtField(form, e, FIELDS)) setProblem(problemTitle(e));
        },
      },
    );
  };

  return (
    <Modal
      open={props.open}
      title={t(props.mode === "claim" ? "claims.form.claimTitle" : "claims.form.recordTitle")}
      okText={t("claims.form.submit")}
      cancelText={t("claims.cancel")}
      confirmLoading={create.isPending}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      width={560}
      afterOpenChange={(open) => {
        if (open) setProblem(undefined);
      }}
    >
      {props.mode === "record" ? <p className="card-hint">{t("claims.form.officeNote")}</p> : null}
      {problem ? <Alert type="error" showIcon title={problem} className="form-alert" role="alert" /> : null}
      <Form form={form} layout="vertical" preserve={false} onFinish={submit}>
        {props.mode === "record" ? (
          <Form.Item
            name="unit"
            label={t("claims.form.unit")}
            rules={[{ required: true, message: t("claims.required.unit") }]}
          >
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={props.units.map((u) => ({ value: u.code, label: u.name }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="item"
          label={t("claims.form.item")}
          rules={[{ required: true, message: t("claims.required.item") }]}
        >
          <Select
            options={items.map((c) => ({ value: c.code, label: `${c.name}（${kind(c)}）` }))}
            onChange={() => form.setFieldValue("level", undefined)}
          />
        </Form.Item>
        {item?.levels ? (
          <Form.Item
            name="level"
            label={t("claims.form.level")}
            rules={[{ required: true, message: t("claims.required.level") }]}
          >
            <Select
              options={Object.entries(item.levels).map(([level, points]) => ({
                value: level,
                label: t("claims.form.levelPoints", { level, points }),
              }))}
            />
          </Form.Item>
        ) : null}
        {item && item.kind !== "bonus" ? (
          <Form.Item name="value" label={t("claims.form.value")} initialValue={1}>
            <InputNumber min={0} className="full-width" />
          </Form.Item>
        ) : null}
        <Form.Item name="ref" label={t("claims.form.ref")} extra={t("claims.form.refHint")}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="note" label={t("claims.form.note")}>
          <Input.TextArea rows={2} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item
          name="files"
          label={t("claims.form.files")}
          extra={t("claims.form.filesHint")}
          valuePropName="value"
        >
          <EvidencePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
