import { Alert, App, Button, Card, Form, Input, Skeleton } from "antd";
import { useEffect } from "react";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import { useNotificationSettings, useSaveNotificationSettings } from "../../../services/notifications";

/** The account's own e-mail address for notifications, and whether the platform sends e-mail. */
export function EmailSettings() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const settings = useNotificationSettings();
  const save = useSaveNotificationSettings();
  const [form] = Form.useForm<{ email: string }>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue({ email: settings.data.email ?? "" });
  }, [settings.data, form]);
  const problem = save.error instanceof ApiError ? save.error.problem : undefined;

  return (
    <Card title={t("notifications.email.title")}>
      {settings.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : settings.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={settings.error instanceof ApiError ? settings.error.problem.title : undefined}
        />
      ) : (
        <>
          <Alert
            type={settings.data.mailEnabled ? "info" : "warning"}
            showIcon
            title={
              settings.data.mailEnabled ? t("notifications.email.enabled") : t("notifications.email.disabled")
            }
          />
          <Form
            form={form}
            layout="vertical"
            className="notice-email-form"
            requiredMark={false}
            onFinish={({ email }) =>
              save.mutate(email.trim(), { onSuccess: () => message.success(t("notifications.email.saved")) })
            }
          >
            <Form.Item
              name="email"
              label={t("notifications.email.label")}
              rules={[{ type: "email", message: t("notifications.email.invalid") }]}
              validateStatus={problem ? "error" : undefined}
              help={problem ? problem.title : undefined}
            >
              <Input type="email" autoComplete="email" placeholder={t("notifications.email.placeholder")} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t("notifications.email.save")}
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
