import {
  DeleteOutlined,
  DownloadOutlined,
  EyeOutlined,
  InboxOutlined,
  PaperClipOutlined,
} from "@ant-design/icons";
import { App, Button, Popconfirm, Progress, Upload } from "antd";
import { useState } from "react";
import type { EvidenceItem, EvidenceLimits } from "../../../../server/modules/evidence/schema.js";
import { useLocale } from "../../../locales";
import { evidenceUrl, useDeleteEvidence, useUploadEvidence } from "../../../services/evidence";
import { ApiError } from "../../../services/http";
import type { EntryField } from "../fields";

/** The extensions a browser's file picker offers for each kind the server accepts. */
const extensions: Record<string, string[]> = {
  pdf: [".pdf"],
  png: [".png"],
  jpeg: [".jpg", ".jpeg"],
  xlsx: [".xlsx"],
  docx: [".docx"],
  ofd: [".ofd"],
};

export const formatSize = (bytes: number) =>
  bytes >= 1048576 ? `${Math.round((bytes / 1048576) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;

export const previewable = (contentType: string) =>
  contentType === "application/pdf" || contentType.startsWith("image/");

/**
 * The kind of a file as the server will judge it, from its declared type or its name; null when the
 * server would refuse it (it still checks the bytes).
 */
function kindOf(file: File, limits: EvidenceLimits) {
  const name = file.name.toLowerCase();
  return (
    limits.types.find(
      (t) => t.contentType === file.type || extensions[t.kind]?.some((ext) => name.endsWith(ext)),
    ) ?? null
  );
}

/** A cell's evidence files: drop or choose (checked before sending), progress, preview, delete before submission. */
export function EvidenceFiles(props: {
  planId: string;
  unit: string;
  field: EntryField;
  files: EvidenceItem[];
  limits: EvidenceLimits | undefined;
  canAdd: boolean;
  canDelete: boolean;
  error: string | undefined;
  onPreview(file: EvidenceItem): void;
}) {
  const { planId, unit, field, files, limits } = props;
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const upload = useUploadEvidence(planId, unit);
  const remove = useDeleteEvidence(planId, unit);
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const [problem, setProblem] = useState<string>();
  const types = limits?.types.map((x) => x.kind).join(lang === "en" ? ", " : "、") ?? "";

  const send = (file: File) => {
    if (!limits) return;
    setProblem(undefined);
    if (file.size > limits.maxBytes) {
      setProblem(t("entry.evidence.tooLarge", { name: file.name, size: formatSize(limits.maxBytes) }));
      return;
    }
    const kind = kindOf(file, limits);
    if (!kind) {
      setProblem(t("entry.evidence.badType", { name: file.name, types }));
      return;
    }
    // Sent with the content type the server expects of its kind (a browser may not know .ofd, say).
    const typed =
      file.type === kind.contentType ? file : new File([file], file.name, { type: kind.contentType });
    setProgress({ name: file.name, percent: 0 });
    upload.mutate(
      {
        indicator: field.code,
        period: field.period,
        file: typed,
        onProgress: (percent) => setProgress({ name: file.name, percent }),
      },
      {
        onSuccess: () => message.success(t("entry.evidence.uploaded", { name: file.name })),
        onError: (e) => setProblem(e instanceof ApiError ? e.problem.title : String(e)),
        onSettled: () => setProgress(null),
      },
    );
  };

  const shownProblem = problem ?? props.error;
  return (
    <div className="entry-detail entry-evidence">
      <div className="entry-evidence-head">
        <PaperClipOutlined aria-hidden />
        <span>{t("entry.evidence")}</span>
        {field.evidence?.description ? (
          <span className="entry-evidence-description">{field.evidence.description}</span>
        ) : null}
      </div>
      {files.length > 0 ? (
        <ul className="entry-evidence-list">
          {files.map((f) => (
            <li key={f.id}>
              <span className="entry-evidence-name">{f.filename}</span>
              <span className="entry-evidence-size">{formatSize(f.size)}</span>
              {previewable(f.contentType) ? (
                <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => props.onPreview(f)}>
                  {t("entry.evidence.preview")}
                </Button>
              ) : null}
              <Button
                size="small"
                type="link"
                icon={<DownloadOutlined />}
                href={evidenceUrl(planId, unit, f.id)}
                aria-label={`${t("entry.evidence.download")} ${f.filename}`}
              >
                {t("entry.evidence.download")}
              </Button>
              {props.canDelete ? (
                <Popconfirm
                  title={t("entry.evidence.deleteConfirm", { name: f.filename })}
                  okText={t("entry.evidence.delete")}
                  cancelText={t("entry.cancel")}
                  onConfirm={() =>
                    remove
                      .mutateAsync(f.id)
                      .catch((e) => setProblem(e instanceof ApiError ? e.problem.title : String(e)))
                  }
                >
                  <Button
                    size="small"
                    type="link"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={`${t("entry.evidence.delete")} ${f.filename}`}
                  >
                    {t("entry.evidence.delete")}
                  </Button>
                </Popconfirm>
              ) : null}
            </li>
          ))}
        </ul>
      ) : props.canAdd ? null : (
        <div className="entry-hint">{t("entry.evidence.none")}</div>
      )}
      {props.canAdd && limits ? (
        <Upload.Dragger
          className="entry-dropzone"
          multiple={false}
          showUploadList={false}
          accept={limits.types.flatMap((x) => [x.contentType, ...(extensions[x.kind] ?? [])]).join(",")}
          beforeUpload={(file) => {
            send(file);
            return Upload.LIST_IGNORE;
          }}
          aria-label={t("entry.evidence.dropLabel", { code: field.code, period: field.period })}
        >
          <span className="entry-dropzone-text">
            <InboxOutlined aria-hidden />{" "}
            {t("entry.evidence.drop", { types, size: formatSize(limits.maxBytes) })}
          </span>
        </Upload.Dragger>
      ) : null}
      {progress ? <Progress percent={progress.percent} size="small" aria-label={progress.name} /> : null}
      {shownProblem ? (
        <div className="entry-error" role="alert">
          {shownProblem}
        </div>
      ) : null}
    </div>
  );
}
