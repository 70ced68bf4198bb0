import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag } from "antd";
import { useState } from "react";
import type { Plan } from "../../../../engine/plan/schema.js";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import { type Leaf, type QueueItem, useReview, useUnitValues } from "../../../services/review";
import { EvidencePreview } from "./EvidencePreview";

/** One value side by side with its target, last year's value and its evidence; approve or return it. */
export function ValueDetail(props: {
  planId: string;
  plan: Plan;
  item: QueueItem;
  unitName: string;
  indicatorName: string;
  leaf: Leaf | undefined;
  leadName: string | undefined;
  onDecided(): void;
}) {
  const { planId, plan, item, leaf } = props;
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const values = useUnitValues(planId, item.unit);
  const review = useReview(planId);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 4 });
  const measure = leaf?.spec.unit ?? "";
  const show = (v: number | undefined) =>
    v === undefined ? t("review.detail.none") : `${number.format(v)}${measure}`;
  const previous = plan.period.previous;
  const lastYear = previous
    ? values.data?.items.find((v) => v.indicator === item.indicator && v.period === previous)
    : undefined;
  const reported = values.data?.items.find((v) => v.indicator === item.indicator && v.period === item.period);
  const target = plan.targets?.[item.indicator]?.[item.unit] ?? leaf?.spec.target;
  const reviewable = item.status === "submitted";

  const decide = async (decision: "approve" | "return") => {
    setError(undefined);
    setReasonError(undefined);
    if (decision === "return" && reason.trim() === "") {
      setReasonError(t("review.reasonRequired"));
      return;
    }
    try {
      await review.mutateAsync({
        unit: item.unit,
        indicator: item.indicator,
        period: item.period,
        decision,
        ...(decision === "return" ? { reason: reason.trim() } : {}),
      });
      message.success(t(decision === "approve" ? "review.approved" : "review.returned"));
      props.onDecided();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.field === "reason") setReasonError(e.problem.title);
      else setError(e);
    }
  };

  return (
    <Card
      className="review-detail"
      title={
        <h2 className="card-title">
          {props.unitName} · {props.indicatorName}
        </h2>
      }
      extra={<Tag>{item.period}</Tag>}
    >
      <div className="review-compare">
        <div className="review-figure review-figure-main">
          <div className="review-figure-label">{t("review.detail.value")}</div>
          <div className="review-figure-value">{show(item.value)}</div>
        </div>
        <div className="review-figure">
          <div className="review-figure-label">{t("review.detail.target")}</div>
          <div className="review-figure-value">{show(target)}</div>
        </div>
        <div className="review-figure">
          <div className="review-figure-label">
            {t("review.detail.lastYear", { period: previous ?? "—" })}
          </div>
          <div className="review-figure-value">{values.isPending ? "…" : show(lastYear?.value)}</div>
        </div>
      </div>
      <Descriptions size="small" column={1} className="review-descriptions">
        {props.leadName ? (
          <Descriptions.Item label={t("review.detail.lead")}>{props.leadName}</Descriptions.Item>
        ) : null}
        {reported?.source ? (
          <Descriptions.Item label={t("review.detail.source")}>{reported.source}</Descriptions.Item>
        ) : null}
        {item.note ? (
          <Descriptions.Item label={t("review.detail.note")}>{item.note}</Descriptions.Item>
        ) : null}
        {item.returnReason ? (
          <Descriptions.Item label={t("review.detail.returnReason")}>{item.returnReason}</Descriptions.Item>
        ) : null}
        {item.response ? (
          <Descriptions.Item label={t("review.detail.response")}>{item.response}</Descriptions.Item>
        ) : null}
      </Descriptions>
      <EvidencePreview
        planId={planId}
        unit={item.unit}
        indicator={item.indicator}
        period={item.period}
        required={leaf?.spec.evidence?.required ?? false}
        error={error?.field === "evidence" ? error.problem.title : undefined}
      />
      {error && error.field !== "evidence" ? (
        <Alert className="review-alert" type="error" showIcon title={error.problem.title} />
      ) : null}
      {reviewable ? (
        <Form layout="vertical" className="review-actions" onSubmitCapture={(e) => e.preventDefault()}>
          <Form.Item
            label={t("review.reason")}
            htmlFor="review-reason"
            validateStatus={reasonError ? "error" : undefined}
            help={reasonError}
          >
            <Input.TextArea
              id="review-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t("review.reasonPlaceholder")}
              rows={3}
              maxLength={1000}
              showCount
            />
          </Form.Item>
          <Space>
            <Button
              type="primary"
              loading={review.isPending && review.variables?.decision === "approve"}
              onClick={() => decide("approve")}
            >
              {t("review.approve")}
            </Button>
            <Button
              loading={review.isPending && review.variables?.decision === "return"}
              onClick={() => decide("return")}
            >
              {t("review.return")}
            </Button>
          </Space>
        </Form>
      ) : (
        <Alert className="review-alert" type="info" showIcon title={t("review.notSubmitted")} />
      )}
    </Card>
  );
}
