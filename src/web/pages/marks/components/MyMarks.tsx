import { Alert, App, Button, Card, Input, InputNumber, Skeleton, Tag } from "antd";
import { useState } from "react";
import type { Plan } from "../../../../engine/plan/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { planTitle } from "../../../components/export/title";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import { type MarkItem, useMarks, useSetMark } from "../../../services/marks";

type Unit = Plan["units"][number];

/** The reviewer's own marks on one indicator, unit by unit; each saved on its own (button or Enter). */
export function MyMarks(props: {
  planId: string;
  plan: Plan;
  indicator: string;
  markMax: number | undefined;
  userId: string;
}) {
  const { planId, plan, indicator } = props;
  const { t, lang } = useLocale();
  const marks = useMarks(planId);
  const period = plan.period.key;
  const mine = new Map(
    (marks.data ?? [])
      .filter((m) => m.reviewer === props.userId && m.indicator === indicator && m.period === period)
      .map((m) => [m.unit, m]),
  );
  const category = new Map(
    (plan.categories ?? []).flatMap((c) =>
      c.units.map((u) => [u, lang === "en" && c.nameEn ? c.nameEn : c.name]),
    ),
  );
  const unitName = (u: Unit) => (lang === "en" && u.nameEn ? u.nameEn : u.name);

  return (
    <Card
      className="marks-card"
      title={<h2 className="card-title">{t("marks.mine")}</h2>}
      extra={marks.data ? t("marks.progress", { done: mine.size, total: plan.units.length }) : null}
    >
      {props.markMax !== undefined ? (
        <p className="marks-hint">{t("marks.mineHint", { max: props.markMax })}</p>
      ) : null}
      {marks.isPending ? (
        <Skeleton active />
      ) : marks.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={marks.error instanceof ApiError ? marks.error.problem.title : undefined}
        />
      ) : (
        <ExportTable<Unit>
          exportTitle={[planTitle(plan, lang), t("marks.mine")]}
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={plan.units}
          columns={[
            { title: t("marks.col.unit"), key: "unit", render: (_, u) => unitName(u) },
            { title: t("marks.col.category"), key: "category", render: (_, u) => category.get(u.code) ?? "" },
            {
              title: t("marks.col.mark"),
              key: "mark",
              width: 520,
              render: (_, u) => (
                <MarkRow
                  key={`${u.code}/${mine.get(u.code)?.markedAt ?? ""}`}
                  planId={planId}
                  unit={u.code}
                  unitName={unitName(u)}
                  indicator={indicator}
                  period={period}
                  saved={mine.get(u.code)}
                />
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** One unit's mark and comment, the server's message under the field it names. */
function MarkRow(props: {
  planId: string;
  unit: string;
  unitName: string;
  indicator: string;
  period: string;
  saved: MarkItem | undefined;
}) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const setMark = useSetMark(props.planId);
  const [mark, setValue] = useState<number | null>(props.saved?.mark ?? null);
  const [note, setNote] = useState(props.saved?.note ?? "");
  const [error, setError] = useState<{ field: string; text: string }>();
  const changed = mark !== (props.saved?.mark ?? null) || note !== (props.saved?.note ?? "");
  const id = `mark-${props.unit}`;
  const save = async () => {
    setError(undefined);
    if (mark === null) {
      setError({ field: "mark", text: t("marks.required") });
      return;
    }
    try {
      await setMark.mutateAsync({
        unit: props.unit,
        indicator: props.indicator,
        period: props.period,
        mark,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      message.success(t("marks.saved", { unit: props.unitName }));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setError({ field: e.field === "note" ? "note" : "mark", text: e.problem.title });
    }
  };
  return (
    <div className="marks-row">
      <div className="marks-field">
        <InputNumber
          id={id}
          aria-label={t("marks.markOf", { unit: props.unitName })}
          aria-invalid={error?.field === "mark" ? true : undefined}
          aria-describedby={error?.field === "mark" ? `${id}-error` : undefined}
          className="marks-input"
          value={mark}
          onChange={setValue}
          onPressEnter={save}
          status={error?.field === "mark" ? "error" : undefined}
        />
      </div>
      <div className="marks-field marks-field-note">
        <Input
          id={`${id}-note`}
          aria-label={t("marks.noteOf", { unit: props.unitName })}
          aria-invalid={error?.field === "note" ? true : undefined}
          placeholder={t("marks.col.note")}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
          onPressEnter={save}
          status={error?.field === "note" ? "error" : undefined}
        />
      </div>
      <Button onClick={save} loading={setMark.isPending} type={changed ? "primary" : "default"}>
        {t("marks.save")}
      </Button>
      {changed && props.saved ? (
        <Tag color="orange">{t("marks.changed")}</Tag>
      ) : props.saved ? (
        <Tag color="green">{t("marks.done")}</Tag>
      ) : (
        <Tag>{t("marks.todo")}</Tag>
      )}
      {error ? (
        <div id={`${id}-error`} className="marks-error" role="alert">
          {error.text}
        </div>
      ) : null}
    </div>
  );
}
