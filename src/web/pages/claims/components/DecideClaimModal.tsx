import { Alert, Form, Input, Modal, Radio } from "antd";
import { useState } from "react";
import { problemTitle, showAtField } from "../../../components/form-problem";
import { useLocale } from "../../../locales";
import { type ClaimView, useDecideClaim } from "../../../services/claims";

interface Values {
  decision: "approved" | "rejected";
  reason: string;
}

/** The office approves or rejects a unit's pending bonus claim, with the reason the unit reads. */
export function DecideClaimModal(props: {
  planId: string;
  claim: ClaimView | undefined;
  unitName: (code: string) => string;
  itemName: (code: string) => string;
  onClose(): void;
  onDone(text: string): void;
}) {
  const { t } = useLocale();
  const [form] = Form.useForm<Values>();
  const decide = useDecideClaim(props.planId);
  const [problem, setProblem] = useState<string>();
  const c = props.claim;
  return (
    <Modal
      open={Boolean(c)}
      title={
        c ? t("claims.decide.title", { unit: props.unitName(c.unit), item: props.itemName(c.item) }) : ""
      }
      okText={t("claims.decide.submit")}
      cancelText={t("claims.cancel")}
      confirmLoading={decide.isPending}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (open) setProblem(undefined);
      }}
    >
      {problem ? <Alert type="error" showIcon title={problem} className="form-alert" role="alert" /> : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ decision: "approved" }}
        onFinish={(values) =>
          c &&
          decide.mutate(
            { id: c.id, ...values },
            {
              onSuccess: () => {
                props.onDone(t("claims.done.decide"));
                props.onClose();
              },
              onError: (e) => {
                if (!showAtField(form, e, ["decision", "reason"])) setProblem(problemTitle(e));
              },
            },
          )
        }
      >
        <Form.Item name="decision" label={t("claims.decide.decision")}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: "approved", label: t("claims.decide.approve") },
              { value: "rejected", label: t("claims.decide.reject") },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("claims.decide.reason")}
          rules={[{ required: true, min: 2, message: t("claims.decide.reasonHint") }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
