import { Alert, Form, Input, Modal, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import type { Organisation } from "../../../../server/modules/organisations/schema.js";
import type { CreatedUser } from "../../../../server/modules/users/schema.js";
import { problemAtField } from "../../../components/form-problem";
import { modalRoot } from "../../../components/modal-root";
import { useLocale } from "../../../locales";
import type { Problem } from "../../../services/http";
import { useCreateUser } from "../../../services/users";

interface Fields {
  username: string;
  displayName: string;
  organisationCode?: string;
}

/**
 * The system administrator creates an account; the one-time password the server made is shown once,
 * copyable, and is gone when the dialog closes.
 */
export function CreateAccount({
  open,
  organisations,
  onClose,
}: {
  open: boolean;
  organisations: readonly Organisation[];
  onClose(): void;
}) {
  const { t } = useLocale();
  const [form] = Form.useForm<Fields>();
  const create = useCreateUser();
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<CreatedUser>();
  useEffect(() => {
    if (open) {
      setProblem(undefined);
      setCreated(undefined);
    }
  }, [open]);

  if (created)
    return (
      <Modal
        getContainer={modalRoot}
        open={open}
        title={t("accounts.otp.title", { username: created.user.username })}
        okText={t("accounts.otp.done")}
        onOk={onClose}
        onCancel={onClose}
        cancelButtonProps={{ className: "visually-hidden" }}
        destroyOnHidden
      >
        <Alert type="warning" showIcon title={t("accounts.otp.warning")} className="form-alert" />
        <div id="otp-label">{t("accounts.otp.label")}</div>
        <Typography.Paragraph copyable={{ text: created.oneTimePassword }} aria-labelledby="otp-label">
          <code className="admin-otp" data-testid="one-time-password">
            {created.oneTimePassword}
          </code>
        </Typography.Paragraph>
      </Modal>
    );

  return (
    <Modal
      getContainer={modalRoot}
      open={open}
      title={t("accounts.create")}
      okText={t("accounts.save")}
      cancelText={t("accounts.cancel")}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem ? (
        <Alert type="error" showIcon title={problem.title} role="alert" className="form-alert" />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) => {
          setProblem(undefined);
          create.mutate(
            {
              username: values.username.trim(),
              displayName: values.displayName,
              ...(values.organisationCode ? { organisationCode: values.organisationCode } : {}),
            },
            {
              onSuccess: (reply) => {
                form.resetFields();
                setCreated(reply);
              },
              onError: (e) =>
                setProblem(problemAtField(form, e, ["username", "displayName", "organisationCode"])),
            },
          );
        }}
      >
        <Form.Item
          name="username"
          label={t("accounts.field.username")}
          extra={t("accounts.field.usernameHelp")}
          rules={[{ required: true, message: t("accounts.required") }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t("accounts.field.displayName")}
          rules={[{ required: true, whitespace: true, message: t("accounts.required") }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="organisationCode" label={t("accounts.field.organisation")}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            placeholder={t("accounts.field.noOrganisation")}
            options={organisations.map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
