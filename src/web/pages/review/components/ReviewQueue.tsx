import { Alert, App, Button, Card, Empty, Skeleton, Tag, Tooltip } from "antd";
import { useMemo, useState } from "react";
import type { Plan } from "../../../../engine/plan/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { planTitle } from "../../../components/export/title";
import { LabelledSelect } from "../../../components/LabelledSelect";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import {
  type BatchOutcome,
  leavesOf,
  type QueueFilters,
  type QueueItem,
  type QueueStatus,
  useBatchApprove,
  useReviewQueue,
} from "../../../services/review";
import { ValueDetail } from "./ValueDetail";

const statuses: QueueStatus[] = ["submitted", "returned", "approved", "draft"];
const statusColour: Record<QueueStatus, string> = {
  draft: "default",
  submitted: "blue",
  approved: "green",
  returned: "orange",
};
export const rowKey = (r: Pick<QueueItem, "unit" | "indicator" | "period">) =>
  `${r.unit}/${r.indicator}/${r.period}`;

/** The queue across units: filters, a page of values, batch approval, and the chosen value beside it. */
export function ReviewQueue({ planId, plan }: { planId: string; plan: Plan }) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<QueueFilters>({ status: "submitted", page: 1, pageSize: 20 });
  const queue = useReviewQueue(planId, filters);
  const [selected, setSelected] = useState<string[]>([]);
  const [activeKey, setActiveKey] = useState<string>();
  const [outcomes, setOutcomes] = useState<Map<string, BatchOutcome>>(new Map());
  const [lastBatch, setLastBatch] = useState<BatchOutcome[]>();
  const batch = useBatchApprove(planId);
  const leaves = useMemo(() => leavesOf(plan), [plan]);
  const unitName = useMemo(() => new Map(plan.units.map((u) => [u.code, u])), [plan]);
  const leads = [...new Set([...leaves.values()].map((l) => l.lead).filter((l) => l !== undefined))];
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 4 });
  const nameOf = (code: string) => {
    const u = unitName.get(code);
    return u ? (lang === "en" && u.nameEn ? u.nameEn : u.name) : code;
  };
  const indicatorName = (code: string) => {
    const s = leaves.get(code)?.spec;
    return s ? `${code} ${lang === "en" && s.nameEn ? s.nameEn : s.name}` : code;
  };
  const rows = queue.data?.items ?? [];
  const active = rows.find((r) => rowKey(r) === activeKey);
  const set = (patch: Partial<QueueFilters>) => {
    setFilters((f) => ({ ...f, page: 1, ...patch }));
    setSelected([]);
  };

  const approveSelected = async () => {
    const cells = rows.filter((r) => selected.includes(rowKey(r)));
    const result = await batch.mutateAsync(
      cells.map(({ unit, indicator, period }) => ({ unit, indicator, period })),
    );
    const next = new Map(outcomes);
    for (const o of result) next.set(rowKey(o.cell), o);
    setOutcomes(next);
    setLastBatch(result);
    const ok = result.filter((o) => o.ok).length;
    const failed = result.length - ok;
    if (failed === 0) message.success(t("review.batchAllOk", { ok }));
    else message.warning(t("review.batchDone", { ok, failed }));
    setSelected(result.filter((o) => !o.ok).map((o) => rowKey(o.cell)));
  };

  /** After a decision the next value of the page is shown, so a reviewer can go on with the keyboard. */
  const decided = (key: string) => {
    const at = rows.findIndex((r) => rowKey(r) === key);
    const next = rows[at + 1] ?? rows[at - 1];
    setActiveKey(next && rowKey(next) !== key ? rowKey(next) : undefined);
    setSelected((s) => s.filter((k) => k !== key));
  };

  const filterSelect = (
    id: string,
    label: string,
    value: string | undefined,
    options: { value: string; label: string }[],
    onChange: (v: string | undefined) => void,
    allowAll = true,
  ) => (
    <div className="review-filter">
      <label htmlFor={id}>{label}</label>
      <LabelledSelect
        id={id}
        label={label}
        className="review-filter-select"
        value={value ?? (allowAll ? "" : undefined)}
        onChange={(v: string) => onChange(v === "" ? undefined : v)}
        showSearch={{ optionFilterProp: "label" }}
        options={[...(allowAll ? [{ value: "", label: t("review.filter.all") }] : []), ...options]}
        popupMatchSelectWidth={false}
      />
    </div>
  );

  return (
    <div className="review-queue">
      <Card className="review-filters" size="small">
        {filterSelect(
          "review-status",
          t("review.filter.status"),
          filters.status,
          statuses.map((s) => ({ value: s, label: t(`review.status.${s}`) })),
          (v) => set({ status: (v ?? "submitted") as QueueStatus }),
          false,
        )}
        {filterSelect(
          "review-unit",
          t("review.filter.unit"),
          filters.unit,
          plan.units.map((u) => ({ value: u.code, label: nameOf(u.code) })),
          (unit) => set({ unit }),
        )}
        {filterSelect(
          "review-indicator",
          t("review.filter.indicator"),
          filters.indicator,
          [...leaves.keys()].map((code) => ({ value: code, label: indicatorName(code) })),
          (indicator) => set({ indicator }),
        )}
        {leads.length > 0
          ? filterSelect(
              "review-lead",
              t("review.filter.lead"),
              filters.lead,
              leads.map((l) => ({ value: l, label: nameOf(l) })),
              (lead) => set({ lead }),
            )
          : null}
      </Card>
      {lastBatch ? (
        <BatchResult
          outcomes={lastBatch}
          describe={(c) => `${nameOf(c.unit)} · ${indicatorName(c.indicator)}（${c.period}）`}
          onClose={() => setLastBatch(undefined)}
        />
      ) : null}
      {queue.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={queue.error instanceof ApiError ? queue.error.problem.title : undefined}
        />
      ) : queue.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <div className="review-layout">
          <Card
            className="review-list"
            size="small"
            title={
              <div className="review-batch">
                <span aria-live="polite">{t("review.selected", { n: selected.length })}</span>
                <Button
                  type="primary"
                  disabled={selected.length === 0 || filters.status !== "submitted"}
                  loading={batch.isPending}
                  onClick={approveSelected}
                >
                  {t("review.batchApprove")}
                </Button>
              </div>
            }
          >
            <ExportTable<QueueItem>
              exportTitle={[planTitle(plan, lang), t("review.title")]}
              rowKey={rowKey}
              size="small"
              dataSource={rows}
              locale={{
                emptyText: (
                  <Empty
                    description={t(filters.status === "submitted" ? "review.emptySubmitted" : "review.empty")}
                  />
                ),
              }}
              rowSelection={
                filters.status === "submitted"
                  ? {
                      selectedRowKeys: selected,
                      onChange: (keys) => setSelected(keys.map(String)),
                      getCheckboxProps: (r) => ({
                        "aria-label": `${nameOf(r.unit)} ${indicatorName(r.indicator)}`,
                      }),
                    }
                  : undefined
              }
              rowClassName={(r) => (rowKey(r) === activeKey ? "review-row review-row-active" : "review-row")}
              onRow={(r) => ({
                tabIndex: 0,
                "aria-current": rowKey(r) === activeKey ? true : undefined,
                onClick: () => setActiveKey(rowKey(r)),
                onKeyDown: (e) => {
                  if ((e.key === "Enter" || e.key === " ") && e.target === e.currentTarget) {
                    e.preventDefault();
                    setActiveKey(rowKey(r));
                  }
                },
              })}
              pagination={{
                current: filters.page,
                pageSize: filters.pageSize,
                total: queue.data.total,
                showSizeChanger: true,
                pageSizeOptions: [20, 50, 100],
                onChange: (page, pageSize) => {
                  setFilters((f) => ({ ...f, page, pageSize }));
                  setSelected([]);
                },
              }}
              columns={[
                { title: t("review.col.unit"), dataIndex: "unit", render: (u: string) => nameOf(u) },
                {
                  title: t("review.col.indicator"),
                  dataIndex: "indicator",
                  ellipsis: true,
                  render: (code: string) => indicatorName(code),
                },
                { title: t("review.col.period"), dataIndex: "period", width: 72 },
                {
                  title: t("review.col.value"),
                  dataIndex: "value",
                  align: "right",
                  render: (v: number, r) => `${number.format(v)}${leaves.get(r.indicator)?.spec.unit ?? ""}`,
                },
                {
                  title: t("review.col.status"),
                  key: "status",
                  width: 120,
                  render: (_, r) => {
                    const o = outcomes.get(rowKey(r));
                    if (o && !o.ok)
                      return (
                        <Tooltip title={o.message}>
                          <Tag color="red" className="review-outcome">
                            {o.message}
                          </Tag>
                        </Tooltip>
                      );
                    return <Tag color={statusColour[r.status]}>{t(`review.status.${r.status}`)}</Tag>;
                  },
                },
              ]}
            />
          </Card>
          <div className="review-side">
            {active ? (
              <ValueDetail
                key={rowKey(active)}
                planId={planId}
                plan={plan}
                item={active}
                unitName={nameOf(active.unit)}
                indicatorName={indicatorName(active.indicator)}
                leaf={leaves.get(active.indicator)}
                leadName={active.lead ? nameOf(active.lead) : undefined}
                onDecided={() => decided(rowKey(active))}
              />
            ) : (
              <Card>
                <Empty description={t("review.pickRow")} />
              </Card>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

/** What a batch approval did, row by row: how many were approved, and each refused value with the server's reason. */
function BatchResult(props: {
  outcomes: BatchOutcome[];
  describe(cell: BatchOutcome["cell"]): string;
  onClose(): void;
}) {
  const { t } = useLocale();
  const refused = props.outcomes.filter((o): o is Extract<BatchOutcome, { ok: false }> => !o.ok);
  const ok = props.outcomes.length - refused.length;
  return (
    <Alert
      className="review-batch-result"
      type={refused.length ? "warning" : "success"}
      showIcon
      closable={{ onClose: props.onClose, "aria-label": t("review.batchClose") }}
      title={
        refused.length
          ? t("review.batchDone", { ok, failed: refused.length })
          : t("review.batchAllOk", { ok })
      }
      description={
        refused.length ? (
          <ul className="review-batch-refused">
            {refused.map((o) => (
              <li key={rowKey(o.cell)}>
                {props.describe(o.cell)}：{o.message}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
