import { Alert, Form, Input, Modal, Radio } from "antd";
import { type ReactNode, useState } from "react";
import { useLocale } from "../locales";
import { problemTitle, showAtField } from "./form-problem";

export interface Decision {
  decision: "approved" | "rejected";
  reason: string;
}

/**
 * The office's decision on a request (a target adjustment, a bonus claim): approve or reject, with a
 * note the unit reads; the server's refusal at the field it names, else above the form.
 */
export function DecisionModal(props: {
  open: boolean;
  title: string;
  /** What is being decided, shown above the form. */
  summary?: ReactNode;
  pending: boolean;
  submit(values: Decision): Promise<unknown>;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useLocale();
  const [form] = Form.useForm<Decision>();
  const [problem, setProblem] = useState<string>();
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={t("confirm.ok")}
      cancelText={t("confirm.cancel")}
      confirmLoading={props.pending}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (open) setProblem(undefined);
      }}
    >
      {props.summary}
      {problem ? <Alert type="error" showIcon title={problem} className="form-alert" role="alert" /> : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ decision: "approved" }}
        onFinish={(values) =>
          props.submit(values).then(
            () => {
              props.onDone();
              props.onClose();
            },
            (e: unknown) => {
              if (!showAtField(form, e, ["decision", "reason"])) setProblem(problemTitle(e));
            },
          )
        }
      >
        <Form.Item name="decision" label={t("decision.decision")}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: "approved", label: t("decision.approve") },
              { value: "rejected", label: t("decision.reject") },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("decision.reason")}
          rules={[{ required: true, min: 2, message: t("decision.reasonHint") }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
