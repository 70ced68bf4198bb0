import { UploadOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Modal, Select, Upload, type UploadFile } from "antd";
import { useState } from "react";
import type { Plan } from "../../../../engine/index.js";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { useFileObjection } from "../../../services/objections";
import { leavesOf } from "./cells";

type Fields = { reason: string; cells?: string[] };

/** The unit leader's objection: the reason, the unit's values it concerns, and evidence files. */
export function FileObjectionModal({
  open,
  onClose,
  planId,
  publicationId,
  plan,
  unit,
}: {
  open: boolean;
  onClose: () => void;
  planId: string;
  publicationId: string;
  plan: Plan;
  unit: string;
}) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const file = useFileObjection(planId, publicationId, lang);
  const period = plan.period.key;
  const close = () => {
    form.resetFields();
    setFiles([]);
    file.reset();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t("objections.form.title")}
      okText={t("objections.form.submit")}
      cancelText={t("confirm.cancel")}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ loading: file.isPending, disabled: file.isPending }}
      width={640}
      destroyOnHidden
    >
      <Form<Fields>
        form={form}
        layout="vertical"
        onFinish={(f) =>
          file.mutate(
            {
              body: {
                unit,
                reason: f.reason,
                cells: (f.cells ?? []).map((c) => ({ indicator: c, period })),
              },
              files: files.map((x) => x.originFileObj).filter((x): x is NonNullable<typeof x> => Boolean(x)),
            },
            {
              onSuccess: () => {
                message.success(t("objections.form.done"));
                close();
              },
            },
          )
        }
      >
        <Form.Item
          name="reason"
          label={t("objections.form.reason")}
          extra={t("objections.form.reasonHelp")}
          rules={[{ required: true, min: 5, whitespace: true, message: t("objections.form.reasonRequired") }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="cells" label={t("objections.form.cells")}>
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: "label" }}
            options={leavesOf(plan.indicators).map((l) => ({
              value: l.code,
              label: `${l.code} ${lang === "en" && l.nameEn ? l.nameEn : l.name}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t("objections.form.evidence")}
          htmlFor="objection-evidence"
          extra={t("objections.form.evidenceExtra")}
        >
          <Upload
            id="objection-evidence"
            multiple
            fileList={files}
            accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.ofd"
            beforeUpload={() => false}
            onChange={({ fileList }) => setFiles(fileList)}
          >
            <Button icon={<UploadOutlined />}>{t("objections.form.evidenceHint")}</Button>
          </Upload>
        </Form.Item>
      </Form>
      <ProblemAlert className="form-alert" error={file.error} title={t("objections.form.failed")} />
    </Modal>
  );
}
