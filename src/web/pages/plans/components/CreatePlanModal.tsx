import { InboxOutlined } from "@ant-design/icons";
import { Alert, App, Modal, Typography, Upload } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { useCreatePlan } from "../../../services/plans";

type Chosen = { name: string; document: unknown } | { name: string; error: string };

/** Upload a kaohe-plan/1 document: read in the browser, validated by the server (its message shown). */
export function CreatePlanModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const create = useCreatePlan();
  const [chosen, setChosen] = useState<Chosen>();
  const close = () => {
    setChosen(undefined);
    create.reset();
    onClose();
  };
  const read = async (file: File) => {
    create.reset();
    try {
      setChosen({ name: file.name, document: JSON.parse(await file.text()) });
    } catch (e) {
      setChosen({ name: file.name, error: e instanceof Error ? e.message : String(e) });
    }
    return false; // read here, never sent by the Upload itself
  };
  const summary = (doc: unknown) => {
    const d = (doc ?? {}) as { name?: unknown; id?: unknown; units?: unknown };
    return t("plans.create.chosen", {
      name: String(d.name ?? "?"),
      id: String(d.id ?? "?"),
      units: Array.isArray(d.units) ? d.units.length : 0,
    });
  };
  return (
    <Modal
      open={open}
      title={t("plans.create.title")}
      okText={t("plans.create.submit")}
      cancelText={t("confirm.cancel")}
      onCancel={close}
      okButtonProps={{ disabled: !chosen || "error" in chosen, loading: create.isPending }}
      onOk={() => {
        if (!chosen || "error" in chosen) return;
        create.mutate(chosen.document, {
          onSuccess: (plan) => {
            message.success(t("plans.create.done"));
            close();
            navigate(`/plans/${plan.planId}`);
          },
        });
      }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("plans.create.note")}</Typography.Paragraph>
      <Upload.Dragger
        accept=".json,application/json"
        maxCount={1}
        showUploadList={false}
        beforeUpload={read}
        aria-label={t("plans.create.file")}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t("plans.create.hint")}</p>
      </Upload.Dragger>
      {chosen && "document" in chosen ? (
        <Alert
          className="form-alert"
          type="info"
          showIcon
          title={`${chosen.name}：${summary(chosen.document)}`}
        />
      ) : null}
      {chosen && "error" in chosen ? (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          role="alert"
          title={t("plans.create.notJson", { message: chosen.error })}
        />
      ) : null}
      <ProblemAlert className="form-alert" error={create.error} title={t("plans.create.failed")} />
    </Modal>
  );
}
