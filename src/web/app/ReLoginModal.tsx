import { Alert, Form, Input, Modal } from "antd";
import { useLocale } from "../locales";
import { useLogin } from "../services/auth";
import { ApiError } from "../services/http";

/**
 * Shown over the page when the session has expired: the page underneath (and whatever was typed in it)
 * stays as it is; signing in again here lets the user carry on.
 */
export function ReLoginModal({
  open,
  username,
  onDone,
}: {
  open: boolean;
  username: string;
  onDone(): void;
}) {
  const { t } = useLocale();
  const login = useLogin();
  const [form] = Form.useForm<{ password: string }>();
  const problem = login.error instanceof ApiError ? login.error.problem : undefined;
  return (
    <Modal
      open={open}
      title={t("login.title")}
      okText={t("login.submit")}
      closable={false}
      maskClosable={false}
      keyboard={false}
      cancelButtonProps={{ style: { display: "none" } }}
      confirmLoading={login.isPending}
      onOk={() => form.submit()}
    >
      <Alert type="info" title={t("login.expired")} className="relogin-alert" />
      <Form
        form={form}
        layout="vertical"
        onFinish={({ password }) =>
          login.mutate(
            { username, password },
            {
              onSuccess: () => {
                form.resetFields();
                onDone();
              },
            },
          )
        }
      >
        <Form.Item label={t("login.username")}>
          <Input value={username} disabled />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("login.password")}
          rules={[{ required: true, message: t("login.required.password") }]}
          {...(problem ? { validateStatus: "error" as const, help: problem.title } : {})}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
