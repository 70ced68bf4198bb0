import { CloudDownloadOutlined, ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Space } from "antd";
import { useLocale } from "../../../locales";
import type { MessageKey } from "../../../locales/zh-CN";
import { auditCheckpointUrl, useAuditVerification } from "../../../services/audit";
import { ApiError } from "../../../services/http";

const reasons = new Set([
  "altered",
  "unlinked",
  "forged",
  "unsealed",
  "deleted",
  "unkeyed",
  "truncated",
  "checkpoint",
  "content",
  "unrecorded",
]);

/** The chain's verification, prominent: intact (with what was checked), or the first entry at fault and why. */
export function ChainStatus() {
  const { t } = useLocale();
  const verify = useAuditVerification();
  const actions = (
    <Space wrap>
      <Button icon={<ReloadOutlined />} onClick={() => verify.refetch()} loading={verify.isFetching}>
        {t("audit.verify.again")}
      </Button>
      <Button
        icon={<CloudDownloadOutlined />}
        href={auditCheckpointUrl}
        download
        title={t("audit.checkpointHelp")}
      >
        {t("audit.checkpoint")}
      </Button>
    </Space>
  );
  if (verify.isPending)
    return <Alert className="audit-status" type="info" showIcon title={t("audit.verify.checking")} />;
  if (verify.isError)
    return (
      <Alert
        className="audit-status"
        type="error"
        showIcon
        title={t("error.load")}
        description={verify.error instanceof ApiError ? verify.error.problem.title : undefined}
        action={actions}
      />
    );
  const v = verify.data;
  if (v.ok)
    return (
      <Alert
        className="audit-status"
        type="success"
        showIcon
        role="status"
        title={t("audit.verify.ok")}
        description={
          <>
            <div>
              {t("audit.verify.okText", {
                entries: v.entries,
                sealed: v.sealedEntries ?? 0,
                sm3: v.sm3Entries ?? 0,
                runs: v.runs ?? 0,
                publications: v.publications ?? 0,
              })}
            </div>
            <div className="admin-muted">{t("audit.checkpointHelp")}</div>
          </>
        }
        action={actions}
      />
    );
  const reason =
    v.reason && reasons.has(v.reason) ? t(`audit.reason.${v.reason}` as MessageKey) : (v.reason ?? "");
  return (
    <Alert
      className="audit-status"
      type="error"
      showIcon
      role="alert"
      title={t("audit.verify.broken", { seq: v.brokenAt ?? "?" })}
      description={
        <div>
          {t("audit.verify.brokenText", { reason, algorithm: v.algorithm ? `（${v.algorithm}）` : "" })}
        </div>
      }
      action={actions}
    />
  );
}
