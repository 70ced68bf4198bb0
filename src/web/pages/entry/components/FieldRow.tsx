import { Alert, Button, Input, Space } from "antd";
import { memo } from "react";
import type { EvidenceItem, EvidenceLimits } from "../../../../server/modules/evidence/schema.js";
import type { ConflictCurrent, ReportedValueView } from "../../../../server/modules/values/schema.js";
import { useLocale } from "../../../locales";
import type { EntryField } from "../fields";
import { EvidenceFiles } from "./EvidenceFiles";

/** What the user has typed into a field and what became of it, kept until it is saved. */
export interface RowDraft {
  text?: string;
  note?: string;
  response?: string;
  /** A problem at the field: from the check before sending, the server, or an uploaded template. */
  error?: { at: "value" | "note" | "response" | "evidence"; message: string };
  /** A stale save: the value as it now stands on the server (null: withdrawn), and what was typed. */
  conflict?: { theirs: ConflictCurrent };
  saving?: boolean;
}

export const domId = (field: EntryField) => `entry-${field.code}-${field.period}`.replace(/[^\w-]/g, "_");

const statusColor = { draft: "grey", submitted: "blue", approved: "green", returned: "red" } as const;

const shown = (v: number | null | undefined) => (v === null || v === undefined ? "—" : String(v));

export interface FieldRowProps {
  field: EntryField;
  /** What the field accepts, from the plan's value rule ("0–20，最多 1 位小数"); empty: no limits. */
  accepts: string;
  saved: ReportedValueView | undefined;
  draft: RowDraft | undefined;
  /** The user may write (a reporter, reporting open); a value under review or approved stays locked. */
  writer: boolean;
  planId: string;
  unit: string;
  files: EvidenceItem[];
  limits: EvidenceLimits | undefined;
  onChange(key: string, patch: Partial<RowDraft>): void;
  onSave(key: string): void;
  onResolve(key: string, choice: "theirs" | "mine"): void;
  onPreview(file: EvidenceItem): void;
}

/** One value of the form: the indicator, the field with its unit, target and last year, status, note, evidence. */
export const FieldRow = memo(function FieldRow(props: FieldRowProps) {
  const { field, saved, draft, writer, onChange, onSave, onResolve } = props;
  const status = saved?.status;
  const editable = writer && status !== "submitted" && status !== "approved";
  const { t, lang } = useLocale();
  const id = domId(field);
  const text = draft?.text ?? (saved ? String(saved.value) : "");
  const note = draft?.note ?? saved?.note ?? "";
  const dirty =
    (draft?.text !== undefined && draft.text !== (saved ? String(saved.value) : "")) ||
    (draft?.note !== undefined && draft.note !== (saved?.note ?? "")) ||
    (draft?.response !== undefined && draft.response !== (saved?.response ?? ""));
  const error = draft?.error;
  const periodLabel = field.current
    ? t("entry.period", { period: field.period })
    : t("entry.periodEarlier", { period: field.period });
  const hint = props.accepts;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error?.at === "value" ? errorId : "", hint ? hintId : ""].filter(Boolean).join(" ");
  const enter = () => onSave(field.key);
  const conflict = draft?.conflict;

  return (
    <div className={`entry-row${error ? " entry-row-error" : ""}`} id={id} data-field={field.key}>
      <div className="entry-indicator">
        <div className="entry-indicator-name">
          <span className="entry-code">{field.code}</span>
          <span>{field.name}</span>
        </div>
        {!field.current || field.must || field.evidence?.required ? (
          <div className="entry-indicator-tags">
            {field.current ? null : <span className="entry-tag">{periodLabel}</span>}
            {field.must ? <span className="entry-tag entry-tag-red">{t("entry.must")}</span> : null}
            {field.evidence?.required ? (
              <span className="entry-tag entry-tag-orange">{t("entry.evidenceRequired")}</span>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className="entry-value">
        <label className="sr-only" htmlFor={`${id}-value`}>
          {t("entry.valueLabel", { code: field.code, name: field.name, period: field.period })}
        </label>
        <div className={`entry-input-wrap${error?.at === "value" ? " entry-input-error" : ""}`}>
          <input
            id={`${id}-value`}
            className="entry-input"
            value={text}
            inputMode="decimal"
            autoComplete="off"
            disabled={!editable}
            aria-invalid={error?.at === "value" ? true : undefined}
            aria-describedby={describedBy || undefined}
            onChange={(e) => onChange(field.key, { text: e.target.value, error: undefined })}
            onKeyDown={(e) => {
              if (e.key === "Enter") enter();
            }}
          />
          {field.unit ? <span className="entry-uom">{field.unit}</span> : null}
        </div>
        {hint ? (
          <div className="entry-hint" id={hintId}>
            {hint}
          </div>
        ) : null}
      </div>
      <div className="entry-number">
        <span className="entry-mobile-label">{t("entry.col.target")}</span>
        {shown(field.target)}
      </div>
      <div className="entry-number">
        <span className="entry-mobile-label">{t("entry.col.baseline")}</span>
        {shown(field.baseline)}
      </div>
      <div className="entry-status">
        {dirty ? (
          <span className="entry-tag entry-tag-orange">{t("entry.status.unsaved")}</span>
        ) : status ? (
          <span className={`entry-tag entry-tag-${statusColor[status]}`}>{t(`entry.status.${status}`)}</span>
        ) : (
          <span className="entry-tag">{t("entry.status.none")}</span>
        )}
      </div>
      <div className="entry-note">
        <label className="sr-only" htmlFor={`${id}-note`}>
          {t("entry.noteLabel", { code: field.code, period: field.period })}
        </label>
        <div className={`entry-input-wrap${error?.at === "note" ? " entry-input-error" : ""}`}>
          <input
            id={`${id}-note`}
            className="entry-input"
            value={note}
            maxLength={2000}
            autoComplete="off"
            disabled={!editable}
            onChange={(e) => onChange(field.key, { note: e.target.value, error: undefined })}
            onKeyDown={(e) => {
              if (e.key === "Enter") enter();
            }}
          />
        </div>
      </div>
      <div className="entry-actions">
        {editable && (dirty || draft?.saving) ? (
          <Button
            size="small"
            type="primary"
            loading={draft?.saving}
            onClick={enter}
            aria-label={`${t("entry.save")} ${field.code}（${field.period}）`}
          >
            {t("entry.save")}
          </Button>
        ) : null}
      </div>
      {error && error.at !== "response" && error.at !== "evidence" ? (
        <div className="entry-detail entry-error" id={errorId} role="alert">
          {error.message}
        </div>
      ) : null}
      {conflict ? (
        <Alert
          className="entry-detail"
          type="warning"
          showIcon
          title={t("entry.conflict.title")}
          description={
            <div className="entry-conflict">
              <div>
                {conflict.theirs
                  ? t("entry.conflict.theirs", {
                      value: conflict.theirs.value,
                      time: new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "medium" }).format(
                        new Date(conflict.theirs.updatedAt),
                      ),
                    })
                  : t("entry.conflict.withdrawn")}
              </div>
              <div>{t("entry.conflict.yours", { value: text })}</div>
              <Space>
                <Button size="small" onClick={() => onResolve(field.key, "theirs")}>
                  {t("entry.conflict.useTheirs")}
                </Button>
                <Button size="small" type="primary" onClick={() => onResolve(field.key, "mine")}>
                  {t("entry.conflict.keepMine")}
                </Button>
              </Space>
            </div>
          }
        />
      ) : null}
      {status === "returned" ? (
        <div className="entry-detail entry-returned">
          <Alert
            type="error"
            showIcon
            title={t("entry.returned", { reason: saved?.returnReason ?? "" })}
            description={editable ? t("entry.returnedHint") : undefined}
          />
          <label className="entry-response-label" htmlFor={`${id}-response`}>
            {t("entry.response")}
          </label>
          <Input.TextArea
            id={`${id}-response`}
            value={draft?.response ?? saved?.response ?? ""}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={1000}
            disabled={!editable}
            status={error?.at === "response" ? "error" : undefined}
            aria-invalid={error?.at === "response" ? true : undefined}
            aria-describedby={error?.at === "response" ? errorId : undefined}
            onChange={(e) => onChange(field.key, { response: e.target.value, error: undefined })}
          />
          {error?.at === "response" ? (
            <div className="entry-error" id={errorId} role="alert">
              {error.message}
            </div>
          ) : null}
        </div>
      ) : null}
      {field.evidence || props.files.length > 0 ? (
        <EvidenceFiles
          planId={props.planId}
          unit={props.unit}
          field={field}
          files={props.files}
          limits={props.limits}
          canAdd={writer && status !== "approved"}
          canDelete={editable}
          error={error?.at === "evidence" ? error.message : undefined}
          onPreview={props.onPreview}
        />
      ) : null}
    </div>
  );
});
