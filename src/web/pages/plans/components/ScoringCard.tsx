import { PlayCircleOutlined } from "@ant-design/icons";
import type { UseQueryResult } from "@tanstack/react-query";
import { App, Button, Card, Empty, Progress, Skeleton, Space, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import type { PlanDetail } from "../../../../server/modules/plans/schema.js";
import type { RunPage, RunSummary } from "../../../../server/modules/runs/schema.js";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { DateTimePicker } from "../../../components/DateTimePicker";
import { ExportTable } from "../../../components/ExportTable";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { usePublishRun } from "../../../services/publications";
import { useJob, useStartScoring } from "../../../services/runs";

/** Scoring as a job with its progress bar, and the runs with their results and public notice. */
export function ScoringCard({ plan, runs }: { plan: PlanDetail; runs: UseQueryResult<RunPage> }) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const start = useStartScoring(plan.planId);
  const [jobId, setJobId] = useState<string>();
  const job = useJob(jobId, plan.planId);
  const publish = usePublishRun(plan.planId);
  const [publishing, setPublishing] = useState<string>();
  // An embargo for the next public notice: empty publishes at once.
  const [visibleFrom, setVisibleFrom] = useState<string | null>(null);
  const running = start.isPending || job.data?.status === "queued" || job.data?.status === "running";
  const status = job.data?.status;
  return (
    <Card
      className="section"
      title={<h2 className="card-title">{t("plans.score.title")}</h2>}
      extra={
        <Button
          type="primary"
          icon={<PlayCircleOutlined />}
          loading={running}
          disabled={running}
          onClick={() => start.mutate(undefined, { onSuccess: (j) => setJobId(j.id) })}
        >
          {t("plans.score.start")}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t("plans.score.hint")}</Typography.Paragraph>
      <ProblemAlert
        className="form-alert-top"
        error={start.error ?? job.error}
        title={t("plans.score.failed")}
      />
      {job.data ? (
        <div className="job-progress" aria-live="polite">
          <Typography.Text>{t(`plans.score.${job.data.status}`)}</Typography.Text>
          <Progress
            percent={Math.round(100 * (status === "done" ? 1 : job.data.progress))}
            status={status === "failed" ? "exception" : status === "done" ? "success" : "active"}
            aria-label={t("plans.score.title")}
          />
          {status === "failed" ? <ProblemAlert error={new Error(job.data.error ?? "")} /> : null}
        </div>
      ) : null}
      <h3 className="card-subtitle">{t("plans.runs.title")}</h3>
      <ProblemAlert className="form-alert-top" error={publish.error} title={t("plans.runs.publish.failed")} />
      <Space wrap className="publish-at">
        <label htmlFor="notice-visible-from">{t("plans.runs.publish.at")}</label>
        <DateTimePicker id="notice-visible-from" value={visibleFrom} onChange={setVisibleFrom} />
        <Typography.Text type="secondary">{t("plans.runs.publish.atHint")}</Typography.Text>
      </Space>
      {runs.isPending ? (
        <Skeleton active />
      ) : runs.isError ? (
        <ProblemAlert error={runs.error} title={t("error.load")} />
      ) : runs.data.items.length === 0 ? (
        <Empty description={t("plans.runs.empty")} />
      ) : (
        <ExportTable<RunSummary>
          exportTitle={[plan.name, t("plans.runs.title")]}
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={runs.data.items}
          columns={[
            {
              title: t("plans.runs.col.time"),
              dataIndex: "createdAt",
              export: { kind: "datetime" },
              render: (v: string) => formatTime(lang, v),
            },
            { title: t("plans.runs.col.version"), dataIndex: "planVersion", render: (v: number) => `v${v}` },
            {
              title: t("plans.runs.col.hash"),
              dataIndex: "inputHash",
              render: (h: string) => <code title={h}>{h.slice(0, 12)}</code>,
            },
            {
              title: t("plans.runs.col.actions"),
              key: "actions",
              render: (_, r) => (
                <Space>
                  <Link to={`/results?plan=${plan.planId}&run=${r.id}`}>{t("plans.runs.view")}</Link>
                  <ConfirmButton
                    size="small"
                    question={
                      visibleFrom
                        ? t("plans.runs.publish.confirmAt", { time: formatTime(lang, visibleFrom) })
                        : t("plans.runs.publish.confirm")
                    }
                    pending={publish.isPending && publishing === r.id}
                    disabled={plan.status === "draft" || publish.isPending}
                    onConfirm={() => {
                      setPublishing(r.id);
                      publish.mutate(
                        { runId: r.id, visibleFrom },
                        {
                          onSuccess: (p) => {
                            const until = formatTime(lang, p.noticeUntil);
                            message.success(
                              visibleFrom
                                ? t("plans.runs.publish.doneAt", {
                                    at: formatTime(lang, visibleFrom),
                                    time: until,
                                  })
                                : t("plans.runs.publish.done", { time: until }),
                            );
                            setVisibleFrom(null);
                          },
                        },
                      );
                    }}
                  >
                    {t("plans.runs.publish")}
                  </ConfirmButton>
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
