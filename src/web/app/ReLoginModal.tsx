import { useQueryClient } from "@tanstack/react-query";
import { Alert, Form, Input, Modal } from "antd";
import { modalRoot } from "../components/modal-root";
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
  const client = useQueryClient();
  const [form] = Form.useForm<{ password: string }>();
  const problem = login.error instanceof ApiError ? login.error.problem : undefined;
  return (
    <Modal
      getContainer={modalRoot}
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
        name="relogin"
        layout="vertical"
        onFinish={({ password }) =>
          login.mutate(
            { username, password },
            {
              onSuccess: () => {
                form.resetFields();
                // What failed while signed out is asked again; what the page holds (typed text) stays.
                client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "session" });
                onDone();
              },
            },
          )
        }
      >
        <Form.Item label={t("login.username")} htmlFor="relogin-username">
          <Input id="relogin-username" value={username} disabled />
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
