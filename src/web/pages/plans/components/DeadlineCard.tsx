import { App, Button, Card, Form } from "antd";
import { useState } from "react";
import type { PlanDetail } from "../../../../server/modules/plans/schema.js";
import { DateTimePicker } from "../../../components/DateTimePicker";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { useSetDeadline } from "../../../services/plans";

/** The reporting deadline: a date and time in the interface's language. */
export function DeadlineCard({ plan }: { plan: PlanDetail }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const save = useSetDeadline(plan.planId);
  const [deadline, setDeadline] = useState<string | null>(plan.deadline);
  return (
    <Card className="section" title={<h2 className="card-title">{t("plans.deadline.title")}</h2>}>
      <Form
        layout="vertical"
        onFinish={() => {
          if (deadline) save.mutate(deadline, { onSuccess: () => message.success(t("plans.deadline.done")) });
        }}
      >
        <Form.Item label={t("plans.deadline.label")} htmlFor="plan-deadline">
          <DateTimePicker
            id="plan-deadline"
            value={deadline}
            onChange={setDeadline}
            disabled={plan.status === "frozen"}
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={save.isPending}
          disabled={!deadline || deadline === plan.deadline || plan.status === "frozen"}
        >
          {t("plans.deadline.save")}
        </Button>
        <ProblemAlert className="form-alert" error={save.error} title={t("error.generic")} />
      </Form>
    </Card>
  );
}
