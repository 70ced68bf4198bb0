import { Alert, Button, Form, Input, Skeleton } from "antd";
import { useState } from "react";
import { problemAtField } from "../../../components/form-problem";
import { useLocale } from "../../../locales";
import { useChangePassword, useLogout, usePasswordPolicy } from "../../../services/auth";
import { ApiError, type Problem } from "../../../services/http";
import { PasswordRules } from "./PasswordRules";

interface Fields {
  current: string;
  next: string;
  confirm: string;
}

/** First sign-in: the one-time password must be changed, against the server's policy shown as one types. */
export function ChangePassword({ username, onDone }: { username: string; onDone(): void }) {
  const { t } = useLocale();
  const policy = usePasswordPolicy();
  const change = useChangePassword();
  const logout = useLogout();
  const [form] = Form.useForm<Fields>();
  const next = Form.useWatch("next", form) ?? "";
  const [problem, setProblem] = useState<Problem>();

  return (
    <section className="login-card" aria-labelledby="change-title">
      <h2 className="login-card-title" id="change-title">
        {t("login.change.title")}
      </h2>
      <Alert type="info" showIcon title={t("login.change.intro")} className="login-alert" />
      {problem ? (
        <Alert type="error" showIcon title={problem.title} className="login-alert" role="alert" />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={({ current, next: chosen }) => {
          setProblem(undefined);
          change.mutate(
            { current, next: chosen },
            { onSuccess: onDone, onError: (e) => setProblem(problemAtField(form, e, ["current", "next"])) },
          );
        }}
      >
        <Form.Item
          name="current"
          label={t("login.change.current")}
          rules={[{ required: true, message: t("login.change.required") }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="next"
          label={t("login.change.next")}
          rules={[{ required: true, message: t("login.change.required") }]}
          extra={
            policy.data ? (
              <PasswordRules policy={policy.data} password={next} username={username} />
            ) : policy.isError ? (
              <Alert
                type="error"
                title={policy.error instanceof ApiError ? policy.error.problem.title : t("error.load")}
              />
            ) : (
              <Skeleton active paragraph={{ rows: 2 }} title={false} />
            )
          }
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("login.change.confirm")}
          dependencies={["next"]}
          rules={[
            { required: true, message: t("login.change.required") },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue("next")
                  ? Promise.resolve()
                  : Promise.reject(new Error(t("login.change.mismatch"))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={change.isPending}>
          {t("login.change.submit")}
        </Button>
        <Button
          color="primary"
          variant="link"
          block
          className="login-change-cancel"
          onClick={() => logout.mutate()}
        >
          {t("login.change.cancel")}
        </Button>
      </Form>
    </section>
  );
}
