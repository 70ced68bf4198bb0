import { DownloadOutlined, SaveOutlined, SendOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Empty, Modal, Select, Skeleton, Space, Typography, Upload } from "antd";
import { useCallback, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import type { Plan } from "../../../engine/index.js";
import type { EvidenceItem } from "../../../server/modules/evidence/schema.js";
import type {
  ConflictCurrent,
  ReportedValueView,
  UploadCellError,
} from "../../../server/modules/values/schema.js";
import { can } from "../../access";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { evidenceUrl, useEvidence, useEvidenceLimits } from "../../services/evidence";
import { ApiError } from "../../services/http";
import { usePlan, usePlans } from "../../services/plans";
import {
  templateUrl,
  useSaveValue,
  useSubmitValues,
  useUnitValues,
  useUploadTemplate,
} from "../../services/values";
import ForbiddenPage from "../exception/403";
import "./entry.css";
import { Deadline } from "../home/components/Deadline";
import { domId, FieldRow, type RowDraft } from "./components/FieldRow";
import { TemplateErrors } from "./components/TemplateErrors";
import {
  allFields,
  type EntryField,
  type EntryGroup,
  entryForm,
  fieldKey,
  fieldRule,
  inputProblem,
  valueCheck,
} from "./fields";
import { entryPlanChoice } from "./prefetch";
import { valueLimits } from "./value-limits";

const problemOf = (e: unknown) => (e instanceof ApiError ? e.problem.title : String(e));

/** The unit's data entry: its plan's tree as a form, saved value by value, submitted by the leader. */
export default function EntryPage() {
  const { t } = useLocale();
  const session = useSession();
  const user = session.data?.user;
  const plans = usePlans();
  const [params, setParams] = useSearchParams();
  // A unit's own people enter their own unit's values; another unit in the address gets the server's 403.
  const unit = params.get("unit") ?? user?.organisationCode ?? undefined;
  const { choices, planId } = entryPlanChoice(plans.data?.items ?? [], unit, params.get("plan"));

  const header = (
    <div className="entry-header">
      <Typography.Title level={2}>{t("entry.title")}</Typography.Title>
      {choices.length > 1 ? (
        <div className="entry-plan-picker">
          <label htmlFor="entry-plan">{t("entry.plan")}</label>
          <Select
            id="entry-plan"
            className="entry-plan-select"
            value={planId}
            onChange={(id: string) => setParams((p) => ({ ...Object.fromEntries(p), plan: id }))}
            options={choices.map((p) => ({ value: p.planId, label: `${p.name}（v${p.version}）` }))}
          />
        </div>
      ) : null}
    </div>
  );

  let body: React.ReactNode;
  // A plan named in the address loads at once, without waiting for the list of plans (the picker's).
  if (session.isPending || (plans.isPending && !params.get("plan"))) body = <LoadingCard />;
  else if (plans.isError && !params.get("plan")) body = <LoadError error={plans.error} />;
  else if (!unit || !planId) body = <EmptyCard text={t("entry.noPlans")} />;
  else body = <EntryForm key={`${planId}/${unit}`} planId={planId} unit={unit} />;
  return (
    <div className="page entry-page">
      {header}
      {body}
    </div>
  );
}

function LoadingCard() {
  return (
    <Card>
      <Skeleton active paragraph={{ rows: 8 }} />
    </Card>
  );
}

function EmptyCard({ text }: { text: string }) {
  return (
    <Card>
      <Empty description={text} />
    </Card>
  );
}

function LoadError({ error }: { error: unknown }) {
  const { t } = useLocale();
  return <Alert type="error" showIcon title={t("error.load")} description={problemOf(error)} />;
}

function EntryForm({ planId, unit }: { planId: string; unit: string }) {
  const { t, lang } = useLocale();
  const { message, modal } = App.useApp();
  const session = useSession();
  const roles = session.data?.user.roles ?? [];
  const plan = usePlan(planId);
  const values = useUnitValues(planId, unit);
  const evidence = useEvidence(planId, unit);
  const limits = useEvidenceLimits(planId, unit);
  const save = useSaveValue(planId, unit);
  const submit = useSubmitValues(planId, unit);
  const uploadTemplate = useUploadTemplate(planId, unit);
  const [drafts, setDrafts] = useState<Record<string, RowDraft>>({});
  const [templateProblem, setTemplateProblem] = useState<{
    title: string;
    errors: UploadCellError[];
    total: number;
  } | null>(null);
  const [submitProblem, setSubmitProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<EvidenceItem | null>(null);

  const document = plan.data?.document as Plan | undefined;
  const groups = useMemo(() => (document ? entryForm(document, unit, lang) : []), [document, unit, lang]);
  const fields = useMemo(() => allFields(groups), [groups]);
  // The engine's value rules of the plan, to check each value as the server will and show its limits.
  const check = useMemo(() => (document ? valueCheck(document, unit) : undefined), [document, unit]);
  const accepts = useMemo(
    () => new Map(fields.map((f) => [f.key, valueLimits(fieldRule(check, f), check, f.code, t, lang)])),
    [fields, check, t, lang],
  );
  const byKey = useMemo(() => new Map(fields.map((f) => [f.key, f])), [fields]);
  const saved = useMemo(
    () => new Map((values.data?.items ?? []).map((v) => [fieldKey(v.indicator, v.period), v])),
    [values.data],
  );
  const files = useMemo(() => {
    const m = new Map<string, EvidenceItem[]>();
    for (const f of evidence.data?.items ?? []) {
      const k = fieldKey(f.indicator, f.period);
      m.set(k, [...(m.get(k) ?? []), f]);
    }
    return m;
  }, [evidence.data]);

  const writer = can(roles, "values.write") && Boolean(plan.data?.reporting.open);
  const leader = can(roles, "values.submit");
  const latest = useRef({ drafts, saved, byKey, check });
  latest.current = { drafts, saved, byKey, check };

  const patch = useCallback((key: string, p: Partial<RowDraft>) => {
    setDrafts((d) => ({ ...d, [key]: { ...d[key], ...p } }));
  }, []);

  /** Saves one field; true when saved. What was typed stays in the field whatever the server answers. */
  const saveOne = useCallback(
    async (key: string, revision?: number): Promise<boolean> => {
      const { drafts: ds, saved: sv, byKey: fs, check: rules } = latest.current;
      const field = fs.get(key);
      if (!field) return false;
      const d = ds[key];
      const s = sv.get(key);
      const text = d?.text ?? (s ? String(s.value) : "");
      const problem = inputProblem(field, text, rules, lang);
      if (problem) {
        patch(key, { error: { at: "value", message: "key" in problem ? t(problem.key) : problem.message } });
        return false;
      }
      const note = d?.note ?? s?.note ?? "";
      const response = d?.response ?? s?.response ?? "";
      patch(key, { saving: true, error: undefined });
      try {
        await save.mutateAsync({
          indicator: field.code,
          period: field.period,
          value: Number(text.trim()),
          ...(note ? { note } : {}),
          ...(s?.source ? { source: s.source } : {}),
          ...(response ? { response } : {}),
          revision: revision ?? s?.revision ?? 0,
        });
        setDrafts(({ [key]: _, ...rest }) => rest);
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.code === "CONFLICT") {
          // Someone saved first: keep what was typed, show theirs beside it, and read the page again.
          patch(key, {
            saving: false,
            text,
            note,
            conflict: { theirs: (e.problem.current as ConflictCurrent) ?? null },
          });
          void values.refetch();
        } else {
          const f = e instanceof ApiError ? e.field : undefined;
          const at = f === "response" || f === "note" || f === "evidence" ? f : "value";
          patch(key, { saving: false, text, error: { at, message: problemOf(e) } });
        }
        return false;
      }
    },
    [patch, save, t, lang, values],
  );

  const onSave = useCallback(
    (key: string) => {
      const { drafts: ds } = latest.current;
      if (!ds[key] || ds[key]?.saving) return;
      void saveOne(key).then((ok) => {
        if (ok) message.success(t("entry.saved"));
      });
    },
    [saveOne, message, t],
  );

  const onResolve = useCallback(
    (key: string, choice: "theirs" | "mine") => {
      const theirs = latest.current.drafts[key]?.conflict?.theirs;
      if (choice === "theirs") setDrafts(({ [key]: _, ...rest }) => rest);
      else {
        patch(key, { conflict: undefined });
        void saveOne(key, theirs?.revision ?? 0);
      }
    },
    [patch, saveOne],
  );

  const dirtyKeys = () =>
    Object.entries(latest.current.drafts)
      .filter(([, d]) => d.text !== undefined || d.note !== undefined || d.response !== undefined)
      .map(([k]) => k);

  const saveAll = async () => {
    const keys = dirtyKeys();
    if (keys.length === 0) return void message.info(t("entry.saveAllNone"));
    let ok = 0;
    for (const k of keys) if (await saveOne(k)) ok++;
    if (ok === keys.length) message.success(t("entry.saveAllDone", { count: ok }));
    else message.error(t("entry.saveAllFailed", { count: keys.length - ok }));
  };

  const goto = (indicator: string, period: string) => {
    const field = latest.current.byKey.get(fieldKey(indicator, period));
    if (!field) return;
    const input = globalThis.document.getElementById(`${domId(field)}-value`);
    input?.scrollIntoView({ block: "center" });
    input?.focus();
  };

  const onTemplate = (file: File) => {
    setTemplateProblem(null);
    uploadTemplate.mutate(file, {
      onSuccess: (r) => {
        message.success(t("entry.template.saved", { count: r.saved }));
        // The earlier file's errors are gone with it; what was typed and not saved stays.
        setDrafts((d) =>
          Object.fromEntries(
            Object.entries(d)
              .map(([k, { error: _, ...rest }]) => [k, rest] as const)
              .filter(
                ([, r]) =>
                  r.text !== undefined || r.note !== undefined || r.response !== undefined || r.conflict,
              ),
          ),
        );
      },
      onError: (e) => {
        const errors =
          (e instanceof ApiError ? (e.problem.errors as UploadCellError[] | undefined) : undefined) ?? [];
        const total = e instanceof ApiError ? Number(e.problem.total ?? errors.length) : 0;
        setTemplateProblem({ title: problemOf(e), errors, total });
        // Each error at the field its row is about.
        for (const err of errors) {
          if (!err.indicator || !err.period) continue;
          const key = fieldKey(err.indicator, err.period);
          if (!latest.current.byKey.has(key)) continue;
          patch(key, {
            error: {
              at: "value",
              message: t("entry.template.errorField", {
                row: err.row,
                column: err.column,
                message: err.message,
              }),
            },
          });
        }
        const first = errors.find((x) => x.indicator && x.period);
        if (first) setTimeout(() => goto(first.indicator!, first.period!), 0);
      },
    });
  };

  const onSubmit = () => {
    if (dirtyKeys().length > 0) return void message.warning(t("entry.unsavedBeforeSubmit"));
    setSubmitProblem(null);
    modal.confirm({
      title: t("entry.submit"),
      content: t("entry.submitConfirm"),
      okText: t("entry.submitOk"),
      cancelText: t("entry.cancel"),
      getContainer: false,
      onOk: () =>
        submit.mutateAsync(undefined).then(
          (r) =>
            r.submitted > 0
              ? message.success(t("entry.submitted", { count: r.submitted }))
              : message.info(t("entry.submitNothing")),
          (e) => {
            setSubmitProblem(problemOf(e));
            const missing =
              e instanceof ApiError ? (e.problem.missing as { indicator: string; period: string }[]) : [];
            for (const m of missing ?? [])
              patch(fieldKey(m.indicator, m.period), {
                error: { at: "evidence", message: t("entry.evidence.missing") },
              });
          },
        ),
    });
  };

  if (values.error instanceof ApiError && values.error.status === 403) return <ForbiddenPage />;
  if (plan.isPending || values.isPending) return <LoadingCard />;
  if (plan.isError) return <LoadError error={plan.error} />;
  if (values.isError) return <LoadError error={values.error} />;
  if (fields.length === 0) return <EmptyCard text={t("entry.noFields")} />;

  const counts = summary(fields, saved);
  const closedBy = plan.data.reporting.closedBy;
  return (
    <>
      <Card className="entry-toolbar">
        <div className="entry-toolbar-row">
          <div className="entry-plan">
            <h2 className="card-title">{plan.data.name}</h2>
            <Deadline deadline={plan.data.deadline} open={plan.data.reporting.open} closedBy={closedBy} />
            <div className="entry-summary">{t("entry.summary", counts)}</div>
          </div>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={templateUrl(planId, unit)}>
              {t("entry.template.download")}
            </Button>
            {writer ? (
              <>
                <Upload
                  accept=".xlsx,.csv"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    onTemplate(file);
                    return Upload.LIST_IGNORE;
                  }}
                >
                  <Button icon={<UploadOutlined />} loading={uploadTemplate.isPending}>
                    {t("entry.template.upload")}
                  </Button>
                </Upload>
                <Button type="primary" icon={<SaveOutlined />} onClick={() => void saveAll()}>
                  {t("entry.saveAll")}
                </Button>
              </>
            ) : null}
            {leader ? (
              <Button
                type="primary"
                icon={<SendOutlined />}
                disabled={!plan.data.reporting.open}
                loading={submit.isPending}
                onClick={onSubmit}
              >
                {t("entry.submit")}
              </Button>
            ) : null}
          </Space>
        </div>
        {writer ? <div className="entry-hint">{t("entry.enterHint")}</div> : null}
      </Card>
      {!plan.data.reporting.open && closedBy ? (
        <Alert
          className="entry-alert"
          type="warning"
          showIcon
          title={t("entry.closed", { reason: t(`home.reporting.${closedBy}`) })}
        />
      ) : !writer && !leader ? null : !can(roles, "values.write") ? (
        <Alert className="entry-alert" type="info" showIcon title={t("entry.readOnly")} />
      ) : null}
      {submitProblem ? (
        <Alert
          className="entry-alert"
          type="error"
          showIcon
          title={submitProblem}
          closable={{ onClose: () => setSubmitProblem(null) }}
        />
      ) : null}
      {templateProblem ? (
        <TemplateErrors
          {...templateProblem}
          onGoto={(e) => goto(e.indicator!, e.period!)}
          onClose={() => setTemplateProblem(null)}
        />
      ) : null}
      {groups.map((g) => (
        <Card key={g.code || "loose"} className="entry-group" title={<GroupTitle group={g} level={2} />}>
          <ColumnHeads />
          <GroupBody
            group={g}
            render={(f) => (
              <FieldRow
                key={f.key}
                field={f}
                accepts={accepts.get(f.key) ?? ""}
                saved={saved.get(f.key)}
                draft={drafts[f.key]}
                writer={writer}
                planId={planId}
                unit={unit}
                files={files.get(f.key) ?? noFiles}
                limits={limits.data}
                onChange={patch}
                onSave={onSave}
                onResolve={onResolve}
                onPreview={setPreview}
              />
            )}
          />
        </Card>
      ))}
      <Modal
        open={preview !== null}
        title={preview ? t("entry.evidence.previewTitle", { name: preview.filename }) : ""}
        footer={null}
        width={920}
        onCancel={() => setPreview(null)}
        destroyOnHidden
        // In place, not in a portal on <body>: the portal's scroll lock inserts a <style> without the
        // page's nonce, which the Content-Security-Policy refuses.
        getContainer={false}
      >
        {preview ? (
          preview.contentType === "application/pdf" ? (
            <iframe
              className="entry-preview-frame"
              title={preview.filename}
              src={evidenceUrl(planId, unit, preview.id, true)}
            />
          ) : (
            <img
              className="entry-preview-image"
              alt={preview.filename}
              src={evidenceUrl(planId, unit, preview.id, true)}
            />
          )
        ) : null}
      </Modal>
    </>
  );
}

const noFiles: EvidenceItem[] = [];

function GroupTitle({ group, level }: { group: EntryGroup; level: 2 | 3 }) {
  const { t } = useLocale();
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <Heading className={level === 2 ? "card-title" : "entry-subgroup-title"}>
      {group.code ? <span className="entry-code">{group.code}</span> : null}
      {group.name}
      {group.points !== undefined ? (
        <span className="entry-points">{t("entry.points", { points: group.points })}</span>
      ) : null}
    </Heading>
  );
}

function GroupBody({ group, render }: { group: EntryGroup; render(f: EntryField): React.ReactNode }) {
  return (
    <>
      {group.fields.map(render)}
      {group.groups.map((g) => (
        <section key={g.code} className="entry-subgroup" aria-label={g.name}>
          <GroupTitle group={g} level={3} />
          <GroupBody group={g} render={render} />
        </section>
      ))}
    </>
  );
}

/** The columns' names over the rows (each field has its own label for assistive technology). */
function ColumnHeads() {
  const { t } = useLocale();
  return (
    <div className="entry-row entry-heads" aria-hidden>
      <div>{t("entry.col.indicator")}</div>
      <div>{t("entry.col.value")}</div>
      <div className="entry-number">{t("entry.col.target")}</div>
      <div className="entry-number">{t("entry.col.baseline")}</div>
      <div>{t("entry.col.status")}</div>
      <div>{t("entry.col.note")}</div>
      <div />
    </div>
  );
}

function summary(fields: EntryField[], saved: Map<string, ReportedValueView>) {
  const counts = { total: fields.length, entered: 0, draft: 0, submitted: 0, returned: 0, approved: 0 };
  for (const f of fields) {
    const v = saved.get(f.key);
    if (!v) continue;
    counts.entered++;
    counts[v.status]++;
  }
  return counts;
}
