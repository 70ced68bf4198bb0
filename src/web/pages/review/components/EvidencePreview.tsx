import { Alert, Empty, Skeleton, Space, Typography } from "antd";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import { evidenceUrl, useEvidence } from "../../../services/review";

/** The value's evidence files: images and PDFs shown inline, other files as download links. */
export function EvidencePreview(props: {
  planId: string;
  unit: string;
  indicator: string;
  period: string;
  required: boolean;
  error: string | undefined;
}) {
  const { planId, unit } = props;
  const { t } = useLocale();
  const files = useEvidence(planId, unit, props.indicator);
  const mine = (files.data?.items ?? []).filter((f) => f.period === props.period);
  return (
    <section className="review-evidence" aria-labelledby="review-evidence-title">
      <h3 id="review-evidence-title" className="review-section-title">
        {t("review.evidence")}
        {props.required ? <span className="review-required">{t("review.evidence.required")}</span> : null}
      </h3>
      {props.error ? <Alert className="review-alert" type="error" showIcon title={props.error} /> : null}
      {files.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : files.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={files.error instanceof ApiError ? files.error.problem.title : undefined}
        />
      ) : mine.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("review.evidence.none")} />
      ) : (
        mine.map((f) => {
          const inline = evidenceUrl(planId, unit, f.id, true);
          return (
            <figure key={f.id} className="review-evidence-file">
              {f.contentType.startsWith("image/") ? (
                <img className="review-evidence-image" src={inline} alt={f.filename} />
              ) : f.contentType === "application/pdf" ? (
                <iframe className="review-evidence-pdf" src={inline} title={f.filename} />
              ) : null}
              <figcaption>
                <Space size="middle" wrap>
                  <Typography.Text>{f.filename}</Typography.Text>
                  <a href={inline} target="_blank" rel="noreferrer">
                    {t("review.evidence.open")}
                  </a>
                  <a href={evidenceUrl(planId, unit, f.id)} download={f.filename}>
                    {t("review.evidence.download")}
                  </a>
                </Space>
              </figcaption>
            </figure>
          );
        })
      )}
    </section>
  );
}
