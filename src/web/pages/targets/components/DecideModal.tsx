import { Alert, Form, Input, Modal, Radio } from "antd";
import { useState } from "react";
import { problemTitle, showAtField } from "../../../components/form-problem";
import { useLocale } from "../../../locales";
import { type TargetAdjustmentView, useDecideAdjustment } from "../../../services/targets";

interface Values {
  decision: "approved" | "rejected";
  reason: string;
}

/** The office approves or rejects one target adjustment, with a note the unit will read. */
export function DecideModal(props: {
  planId: string;
  adjustment: TargetAdjustmentView | undefined;
  unitName: (code: string) => string;
  onClose(): void;
  onDone(text: string): void;
}) {
  const { t } = useLocale();
  const [form] = Form.useForm<Values>();
  const decide = useDecideAdjustment(props.planId);
  const [problem, setProblem] = useState<string>();
  const a = props.adjustment;
  return (
    <Modal
      open={Boolean(a)}
      title={a ? t("targets.decide.title", { unit: props.unitName(a.unit), indicator: a.indicator }) : ""}
      okText={t("targets.decide.submit")}
      cancelText={t("targets.cancel")}
      confirmLoading={decide.isPending}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (open) setProblem(undefined);
      }}
    >
      {a ? (
        <p className="decide-summary">
          {t("targets.decide.summary", { original: a.original, requested: a.requested })}
          <span className="decide-reason">{a.reason}</span>
        </p>
      ) : null}
      {problem ? <Alert type="error" showIcon title={problem} className="form-alert" role="alert" /> : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ decision: "approved" }}
        onFinish={(values) =>
          a &&
          decide.mutate(
            { id: a.id, ...values },
            {
              onSuccess: () => {
                props.onDone(t("targets.decide.done"));
                props.onClose();
              },
              onError: (e) => {
                if (!showAtField(form, e, ["decision", "reason"])) setProblem(problemTitle(e));
              },
            },
          )
        }
      >
        <Form.Item name="decision" label={t("targets.decide.decision")}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: "approved", label: t("targets.decide.approve") },
              { value: "rejected", label: t("targets.decide.reject") },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("targets.decide.reason")}
          rules={[{ required: true, min: 2, message: t("targets.decide.reasonHint") }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
