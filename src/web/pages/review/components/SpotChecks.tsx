import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Skeleton, Tag } from "antd";

import { useMemo, useState } from "react";
import type { Plan } from "../../../../engine/plan/schema.js";
import { can } from "../../../access";
import { ExportTable } from "../../../components/ExportTable";
import { planTitle } from "../../../components/export/title";
import { LabelledSelect } from "../../../components/LabelledSelect";
import { useLocale } from "../../../locales";
import { useSession } from "../../../services/auth";
import { ApiError } from "../../../services/http";
import {
  leavesOf,
  type SpotCheck,
  useDrawSpotCheck,
  useRecordFinding,
  useSpotChecks,
} from "../../../services/review";

type Item = SpotCheck["items"][number];

/** Spot checks (抽查): the office draws a random sample with a recorded seed; findings are recorded per value. */
export function SpotChecks({ planId, plan }: { planId: string; plan: Plan }) {
  const { t, lang } = useLocale();
  const session = useSession();
  const checks = useSpotChecks(planId);
  const draw = useDrawSpotCheck(planId);
  const { message } = App.useApp();
  const [size, setSize] = useState<number | null>(5);
  const [seed, setSeed] = useState<number | null>(null);
  const [drawError, setDrawError] = useState<ApiError>();
  const mayDraw = can(session.data?.user.roles ?? [], "spotchecks.draw");
  const leaves = useMemo(() => leavesOf(plan), [plan]);
  const units = useMemo(() => new Map(plan.units.map((u) => [u.code, u])), [plan]);
  const unitName = (c: string) => {
    const u = units.get(c);
    return u ? (lang === "en" && u.nameEn ? u.nameEn : u.name) : c;
  };
  const indicatorName = (c: string) => {
    const s = leaves.get(c)?.spec;
    return s ? `${c} ${lang === "en" && s.nameEn ? s.nameEn : s.name}` : c;
  };
  const time = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });

  const onDraw = async () => {
    setDrawError(undefined);
    try {
      const drawn = await draw.mutateAsync({ size: size ?? 0, ...(seed === null ? {} : { seed }) });
      message.success(t("review.spot.drawn", { n: drawn.items.length }));
    } catch (e) {
      if (e instanceof ApiError) setDrawError(e);
      else throw e;
    }
  };

  return (
    <div className="review-spot">
      {mayDraw ? (
        <Card size="small" className="review-spot-draw">
          <Form layout="inline" onFinish={onDraw}>
            <Form.Item
              label={t("review.spot.size")}
              htmlFor="spot-size"
              validateStatus={drawError?.field === "size" ? "error" : undefined}
              help={drawError?.field === "size" ? drawError.problem.title : undefined}
            >
              <InputNumber id="spot-size" min={1} max={1000} precision={0} value={size} onChange={setSize} />
            </Form.Item>
            <Form.Item
              label={t("review.spot.seed")}
              htmlFor="spot-seed"
              validateStatus={drawError?.field === "seed" ? "error" : undefined}
              help={drawError?.field === "seed" ? drawError.problem.title : undefined}
            >
              <InputNumber id="spot-seed" min={0} precision={0} value={seed} onChange={setSeed} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={draw.isPending}>
                {t("review.spot.draw")}
              </Button>
            </Form.Item>
          </Form>
          {drawError && !["size", "seed"].includes(drawError.field ?? "") ? (
            <Alert className="review-alert" type="error" showIcon title={drawError.problem.title} />
          ) : null}
        </Card>
      ) : (
        <Alert className="review-alert" type="info" showIcon title={t("review.spot.officeOnly")} />
      )}
      {checks.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : checks.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={checks.error instanceof ApiError ? checks.error.problem.title : undefined}
        />
      ) : checks.data.items.length === 0 ? (
        <Card>
          <Empty description={t("review.spot.none")} />
        </Card>
      ) : (
        checks.data.items.map((c) => (
          <Card
            key={c.id}
            size="small"
            className="review-spot-check"
            title={
              <h2 className="card-title">
                {t("review.spot.check", {
                  time: time.format(new Date(c.drawnAt)),
                  size: c.size,
                  seed: c.seed,
                })}
              </h2>
            }
          >
            <ExportTable<Item>
              exportTitle={[planTitle(plan, lang), t("review.spot.title")]}
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={c.items}
              columns={[
                { title: t("review.col.unit"), dataIndex: "unit", render: unitName },
                { title: t("review.col.indicator"), dataIndex: "indicator", render: indicatorName },
                { title: t("review.col.period"), dataIndex: "period", width: 72 },
                {
                  title: t("review.col.value"),
                  dataIndex: "value",
                  align: "right",
                  render: (v: number) => new Intl.NumberFormat(lang).format(v),
                },
                {
                  title: t("review.spot.outcome"),
                  key: "finding",
                  width: 460,
                  render: (_, item) => (
                    <Finding
                      key={`${item.id}/${item.outcome}/${item.note}`}
                      planId={planId}
                      spotCheckId={c.id}
                      item={item}
                      label={`${unitName(item.unit)} ${item.indicator}`}
                    />
                  ),
                },
              ]}
            />
          </Card>
        ))
      )}
    </div>
  );
}

/** One value's finding: confirmed or a discrepancy, with a note; the server's message at its field. */
function Finding(props: { planId: string; spotCheckId: string; item: Item; label: string }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const record = useRecordFinding(props.planId);
  const [outcome, setOutcome] = useState(props.item.outcome ?? undefined);
  const [note, setNote] = useState(props.item.note ?? "");
  const [error, setError] = useState<ApiError>();
  const id = `finding-${props.item.id}`;
  const save = async () => {
    if (!outcome) return;
    setError(undefined);
    try {
      await record.mutateAsync({
        spotCheckId: props.spotCheckId,
        itemId: props.item.id,
        outcome,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      message.success(t("review.spot.recorded"));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      else throw e;
    }
  };
  return (
    <div className="review-finding">
      {props.item.outcome ? (
        <Tag color={props.item.outcome === "confirmed" ? "green" : "red"}>
          {t(`review.spot.${props.item.outcome}`)}
        </Tag>
      ) : (
        <Tag>{t("review.spot.pending")}</Tag>
      )}
      <LabelledSelect
        id={`${id}-outcome`}
        label={`${props.label} ${t("review.spot.outcome")}`}
        aria-label={`${props.label} ${t("review.spot.outcome")}`}
        className="review-finding-outcome"
        value={outcome}
        placeholder={t("review.spot.outcome")}
        onChange={setOutcome}
        status={error && error.field !== "note" ? "error" : undefined}
        options={(["confirmed", "discrepancy"] as const).map((o) => ({
          value: o,
          label: t(`review.spot.${o}`),
        }))}
      />
      <Input
        id={`${id}-note`}
        aria-label={`${props.label} ${t("review.spot.note")}`}
        className="review-finding-note"
        placeholder={t("review.spot.note")}
        value={note}
        maxLength={2000}
        status={error?.field === "note" ? "error" : undefined}
        onChange={(e) => setNote(e.target.value)}
        onPressEnter={save}
      />
      <Button disabled={!outcome} loading={record.isPending} onClick={save}>
        {t("review.spot.record")}
      </Button>
      {error ? (
        <div className="review-finding-error" role="alert">
          {error.problem.title}
        </div>
      ) : null}
    </div>
  );
}
