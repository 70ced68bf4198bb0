import { App, Button, Card, Form, Input, Select, Tag, Typography } from "antd";
import type { PlanDetail } from "../../../../server/modules/plans/schema.js";
import { DateTimePicker } from "../../../components/DateTimePicker";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { useProgress, useReopenUnit } from "../../../services/plans";

type Fields = { unit: string; until: string; reason: string };

/** Reopens reporting for one unit until a time, with the reason; lists the units reopened now. */
export function ReopenCard({ plan }: { plan: PlanDetail }) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const reopen = useReopenUnit(plan.planId);
  const progress = useProgress(plan.status === "draft" ? undefined : plan.planId);
  const units = progress.data?.units ?? [];
  const reopened = units.filter((u) => u.reopenedUntil && new Date(u.reopenedUntil) > new Date());
  const required = [{ required: true, message: t("plans.reopen.required") }];
  const disabled = plan.status !== "published";
  return (
    <Card className="section" title={<h2 className="card-title">{t("plans.reopen.title")}</h2>}>
      <Typography.Paragraph type="secondary">{t("plans.reopen.hint")}</Typography.Paragraph>
      <Form<Fields>
        form={form}
        layout="vertical"
        disabled={disabled}
        onFinish={(fields) =>
          reopen.mutate(fields, {
            onSuccess: () => {
              const name = units.find((u) => u.unit === fields.unit)?.name ?? fields.unit;
              message.success(t("plans.reopen.done", { unit: name }));
              form.resetFields();
            },
          })
        }
      >
        <div className="form-row">
          <Form.Item name="unit" label={t("plans.reopen.unit")} rules={required} className="form-row-unit">
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={units.map((u) => ({ value: u.unit, label: `${u.name}（${u.unit}）` }))}
            />
          </Form.Item>
          <Form.Item name="until" label={t("plans.reopen.until")} rules={required}>
            <DateTimePicker />
          </Form.Item>
        </div>
        <Form.Item name="reason" label={t("plans.reopen.reason")} rules={required}>
          <Input maxLength={500} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={reopen.isPending}
          disabled={disabled || reopen.isPending}
        >
          {t("plans.reopen.submit")}
        </Button>
        <ProblemAlert className="form-alert" error={reopen.error} title={t("error.generic")} />
      </Form>
      <div className="reopened">
        <Typography.Text strong>{t("plans.reopen.current")}：</Typography.Text>
        {reopened.length === 0 ? (
          <Typography.Text type="secondary">{t("plans.reopen.none")}</Typography.Text>
        ) : (
          reopened.map((u) => (
            <Tag key={u.unit} color="blue">
              {u.name} → {formatTime(lang, u.reopenedUntil)}
            </Tag>
          ))
        )}
      </div>
    </Card>
  );
}
