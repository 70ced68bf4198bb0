import { Alert, Form, Input, InputNumber, Modal, Select } from "antd";
import { useState } from "react";
import { problemTitle, showAtField } from "../../../components/form-problem";
import { useLocale } from "../../../locales";
import type { TargetMatrix } from "../../../services/targets";
import { useRequestAdjustment } from "../../../services/targets";

interface Values {
  indicator: string;
  target: number;
  reason: string;
}
const FIELDS = ["indicator", "target", "reason"] as const;

/** The unit leader asks for a new target for one indicator, with the reason; the office decides. */
export function RequestModal(props: {
  planId: string;
  unit: string;
  matrix: TargetMatrix;
  indicator: string | undefined;
  open: boolean;
  onClose(): void;
  onDone(text: string): void;
}) {
  const { t } = useLocale();
  const [form] = Form.useForm<Values>();
  const request = useRequestAdjustment(props.planId, props.unit);
  const [problem, setProblem] = useState<string>();
  const row = props.matrix.items.find((r) => r.unit === props.unit);
  const chosen = Form.useWatch("indicator", form);
  const cell = row?.cells.find((c) => c.indicator === chosen);
  const label = (code: string) => {
    const i = props.matrix.indicators.find((x) => x.code === code);
    return i ? `${i.code} ${i.name}` : code;
  };

  return (
    <Modal
      open={props.open}
      title={t("targets.request.title")}
      okText={t("targets.request.submit")}
      cancelText={t("targets.cancel")}
      confirmLoading={request.isPending}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      // The form is built afresh at each opening (destroyOnHidden): nothing to reset once it is shown,
      // so a choice made while the dialog still animates in is kept.
      afterClose={() => setProblem(undefined)}
    >
      {problem ? <Alert type="error" showIcon title={problem} className="form-alert" role="alert" /> : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={props.indicator ? { indicator: props.indicator } : {}}
        onFinish={(values) =>
          request.mutate(values, {
            onSuccess: () => {
              props.onDone(t("targets.request.done"));
              props.onClose();
            },
            onError: (e) => {
              if (!showAtField(form, e, FIELDS)) setProblem(problemTitle(e));
            },
          })
        }
      >
        <Form.Item
          name="indicator"
          label={t("targets.request.indicator")}
          rules={[{ required: true, message: t("targets.required.indicator") }]}
          extra={
            cell
              ? t("targets.request.current", { current: cell.current, original: cell.original })
              : undefined
          }
        >
          <Select
            options={(row?.cells ?? []).map((c) => ({ value: c.indicator, label: label(c.indicator) }))}
          />
        </Form.Item>
        <Form.Item
          name="target"
          label={t("targets.request.target")}
          rules={[{ required: true, message: t("targets.required.target") }]}
        >
          <InputNumber className="full-width" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("targets.request.reason")}
          rules={[{ required: true, min: 5, message: t("targets.request.reasonHint") }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
