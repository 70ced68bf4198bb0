import { PaperClipOutlined } from "@ant-design/icons";
import { Alert, App, Button, Descriptions, Form, Input, Modal, Radio, Space } from "antd";
import { Link } from "react-router";
import type { Plan } from "../../../../engine/index.js";
import type { ObjectionView, ResolveBody } from "../../../../server/modules/publication/schema.js";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { DateTimePicker } from "../../../components/DateTimePicker";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { objectionFileUrl, useResolveObjection } from "../../../services/objections";
import { cellLabel } from "./cells";

type Fields = { decision: ResolveBody["decision"]; resolution: string; correctUntil?: string | null };

/** Accept (the approved cells named unlock for the unit) or reject, with the resolution; asks first. */
export function ResolveModal({
  planId,
  publicationId,
  plan,
  objection,
  unitName,
  onClose,
}: {
  planId: string;
  publicationId: string;
  plan: Plan | undefined;
  objection: ObjectionView;
  unitName: string;
  onClose: () => void;
}) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const decision = Form.useWatch("decision", form);
  const resolve = useResolveObjection(planId, publicationId);
  const finish = (f: Fields) =>
    resolve.mutate(
      {
        objectionId: objection.id,
        body: {
          decision: f.decision,
          resolution: f.resolution,
          ...(f.decision === "accepted" && f.correctUntil ? { correctUntil: f.correctUntil } : {}),
        },
      },
      {
        onSuccess: (o) => {
          message.success(
            o.status === "accepted"
              ? t("objections.resolve.accepted", {
                  n: o.unlocked.length,
                  cells: o.unlocked.map((c) => cellLabel(plan, c, lang === "en")).join("、") || "—",
                })
              : t("objections.resolve.rejected"),
          );
          onClose();
        },
      },
    );
  return (
    <Modal
      open
      title={t("objections.resolve.title")}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t("confirm.cancel")}</Button>
          <ConfirmButton
            type="primary"
            danger={decision === "accepted"}
            disabled={!decision}
            pending={resolve.isPending}
            question={
              decision === "accepted"
                ? t("objections.resolve.confirmAccept")
                : t("objections.resolve.confirmReject")
            }
            onConfirm={() => form.submit()}
          >
            {t("objections.resolve.submit")}
          </ConfirmButton>
        </Space>
      }
      width={640}
    >
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: "unit", label: t("objections.col.unit"), children: unitName },
          { key: "reason", label: t("objections.col.reason"), children: objection.reason },
          {
            key: "cells",
            label: t("objections.col.cells"),
            children: objection.cells.map((c) => cellLabel(plan, c, lang === "en")).join("、") || "—",
          },
          {
            key: "evidence",
            label: t("objections.col.evidence"),
            children: objection.evidence.length
              ? objection.evidence.map((f) => (
                  <a
                    key={f.id}
                    className="evidence-link"
                    href={objectionFileUrl(planId, publicationId, objection.id, f.id)}
                    download={f.filename}
                  >
                    <PaperClipOutlined /> {f.filename}
                  </a>
                ))
              : "—",
          },
        ]}
      />
      <Form<Fields> form={form} layout="vertical" onFinish={finish} className="form-alert">
        <Form.Item
          name="decision"
          label={t("objections.resolve.decision")}
          rules={[{ required: true, message: " " }]}
        >
          <Radio.Group>
            <Space direction="vertical">
              <Radio value="accepted">{t("objections.resolve.accept")}</Radio>
              <Radio value="rejected">{t("objections.resolve.reject")}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="resolution"
          label={t("objections.resolve.resolution")}
          rules={[{ required: true, min: 2, message: t("objections.resolve.resolutionRequired") }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        {decision === "accepted" ? (
          <Form.Item name="correctUntil" label={t("objections.resolve.correctUntil")}>
            <DateTimePicker />
          </Form.Item>
        ) : null}
      </Form>
      {decision === "accepted" ? (
        <Alert
          type="info"
          showIcon
          title={t("objections.next")}
          action={<Link to={`/plans/${planId}`}>{t("objections.toPlan")}</Link>}
        />
      ) : null}
      <ProblemAlert className="form-alert" error={resolve.error} title={t("objections.resolve.failed")} />
    </Modal>
  );
}
