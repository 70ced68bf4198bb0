import { DownloadOutlined, SaveOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Modal, Skeleton, Space, Tabs, Typography, Upload } from "antd";
import { lazy, Suspense, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import {
  checkIndicatorDepth,
  describeIssue,
  diffPlans,
  type Plan,
  planSchema,
} from "../../../engine/index.js";
import { saveFile, XLSX_TYPE } from "../../components/export/xlsx";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useLocale } from "../../locales";
import { useOrganisations } from "../../services/organisations";
import { useCreatePlan, usePlan, useRevisePlan } from "../../services/plans";
import { checkPlan, type Problem } from "./check";
import { DiffList } from "./DiffList";
import { NumberField, TextField } from "./fields";
import { GradesTab } from "./GradesTab";
import { IndicatorTree } from "./IndicatorTree";
import { NodeForm } from "./NodeForm";
import { emptyPlan, keyOfCode, toDesigner, toPlan } from "./state";
import { treeSums } from "./sums";
import { updateNode } from "./tree-edit";
import { UnitsTab } from "./UnitsTab";
import "./designer.css";

// 加减分与否决 (four table forms) loads when its tab is first opened, not with the tree.
const ItemsTab = lazy(() => import("./ItemsTab").then((m) => ({ default: m.ItemsTab })));

/**
 * 方案设计 (the office): a plan's document edited as a tree and forms, checked and tried out by the
 * engine in the browser at every change; saved as a new plan (a draft) or, for a plan that exists,
 * as a new version with its reason, after the diff against the version in force is shown.
 */
export default function DesignerPage() {
  const { planId } = useParams();
  const { t } = useLocale();
  const plan = usePlan(planId);
  if (planId && plan.isPending)
    return (
      <div className="page">
        <Card>
          <Skeleton active />
        </Card>
      </div>
    );
  if (planId && plan.isError)
    return (
      <div className="page">
        <ProblemAlert error={plan.error} title={t("error.load")} />
      </div>
    );
  const current =
    planId && plan.data ? { document: plan.data.document as Plan, version: plan.data.version } : null;
  return (
    <Designer key={current ? `${planId}:${current.version}` : "new"} planId={planId} current={current} />
  );
}

function Designer({
  planId,
  current,
}: {
  planId: string | undefined;
  current: { document: Plan; version: number } | null;
}) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [state, setState] = useState(() =>
    toDesigner(
      current?.document ?? emptyPlan("new-plan", t("designer.new"), String(new Date().getFullYear())),
    ),
  );
  const [selected, setSelected] = useState<string | null>(state.roots[0] ?? null);
  const [saving, setSaving] = useState(false);
  const [reason, setReason] = useState("");
  const [importError, setImportError] = useState<string | null>(null);
  const create = useCreatePlan();
  const revise = useRevisePlan(planId);
  const document = useMemo(() => toPlan(state), [state]);
  const organisations = useOrganisations();
  const registered = useMemo(
    () => (organisations.data?.items ?? []).map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` })),
    [organisations.data],
  );
  const checked = useMemo(
    () =>
      checkPlan(
        document,
        registered.map((o) => o.value),
      ),
    [document, registered],
  );
  // 适用单位: the plan's units; 牵头部门: those, the plan's organisations and the registered ones.
  const unitOptions = useMemo(
    () => document.units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` })),
    [document.units],
  );
  const leadOptions = useMemo(() => {
    const seen = new Set<string>();
    return [
      ...unitOptions,
      ...(document.organisations ?? []).map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` })),
      ...registered,
    ].filter((o) => !seen.has(o.value) && seen.add(o.value));
  }, [unitOptions, document.organisations, registered]);
  const sums = useMemo(() => treeSums(state), [state]);
  const byCode = useMemo(() => {
    const m = new Map<string, Problem[]>();
    for (const p of checked.problems) if (p.indicator) m.set(p.indicator, [...(m.get(p.indicator) ?? []), p]);
    return m;
  }, [checked]);
  // The diff against the version in force, only while the save dialog shows it (not at every keystroke).
  const diff = useMemo(
    () => (saving && current ? diffPlans(current.document, document) : null),
    [saving, current, document],
  );
  const setPlan = (patch: Partial<Plan>) => {
    const next: Record<string, unknown> = { ...state.plan };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    setState({ ...state, plan: next as typeof state.plan });
  };
  const node = selected ? state.nodes[selected] : undefined;

  const importFile = async (file: File) => {
    try {
      // As the server checks it: depth first (a deep tree would exhaust the schema's recursion), then
      // the schema, its first issue in the user's language.
      const json: unknown = JSON.parse(await file.text());
      const deep = checkIndicatorDepth(json);
      if (deep) throw new Error(deep.message[lang]);
      const parsed = planSchema.safeParse(json);
      if (!parsed.success) throw new Error(describeIssue(parsed.error.issues[0]!, json)[lang]);
      const next = toDesigner(parsed.data);
      setState(next);
      setSelected(next.roots[0] ?? null);
      setImportError(null);
      message.success(t("designer.imported", { name: parsed.data.name }));
    } catch (e) {
      setImportError(e instanceof Error ? e.message : String(e));
    }
    return false;
  };
  const exportFile = () =>
    saveFile(`${JSON.stringify(document, null, 2)}\n`, `${document.id}.json`, "application/json");
  const exportSheet = async () => {
    try {
      const { indicatorWorkbook } = await import("./xlsx");
      saveFile(await indicatorWorkbook(document.indicators), `${document.id}-指标体系.xlsx`, XLSX_TYPE);
    } catch (e) {
      message.error(t("designer.exportFailed", { message: e instanceof Error ? e.message : String(e) }));
    }
  };
  const importSheet = async (file: File) => {
    try {
      const { readIndicatorWorkbook } = await import("./xlsx");
      const read = await readIndicatorWorkbook(await file.arrayBuffer());
      if (!read.ok) throw new Error(read.error.message[lang]);
      const next = toDesigner({ ...document, indicators: read.indicators });
      setState(next);
      setSelected(next.roots[0] ?? null);
      setImportError(null);
      message.success(t("designer.importedSheet", { n: read.indicators.length }));
    } catch (e) {
      setImportError(e instanceof Error ? e.message : String(e));
    }
    return false;
  };
  const save = () => {
    if (!current) {
      create.mutate(document, {
        onSuccess: (created) => {
          message.success(t("designer.save.created"));
          setSaving(false);
          navigate(`/designer/${created.planId}`);
        },
      });
      return;
    }
    revise.mutate(
      { document, reason, baseVersion: current.version },
      {
        onSuccess: (r) => {
          message.success(t("designer.save.revised", { version: r.version }));
          setSaving(false);
          setReason("");
        },
      },
    );
  };

  const problemList = checked.problems.length > 0 && (
    <Alert
      className="form-alert-top"
      type="error"
      showIcon
      title={t("designer.problems", { n: checked.problems.length })}
      description={
        <ul className="designer-problems">
          {checked.problems.map((p) => (
            <li key={`${p.code}:${p.path}:${p.indicator}`}>
              {p.indicator ? (
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    const k = keyOfCode(state, p.indicator!);
                    if (k) setSelected(k);
                  }}
                >
                  {p.indicator}
                </Button>
              ) : (
                <span>{t("designer.problemWhole")}：</span>
              )}
              {p.message[lang]}
            </li>
          ))}
        </ul>
      }
    />
  );

  return (
    <div className="page designer">
      <div className="page-head">
        <Typography.Title level={2}>
          {t("designer.title")} · {document.name}
          {current ? ` · v${current.version}` : ""}
        </Typography.Title>
        <Space wrap>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={importFile}>
            <Button icon={<UploadOutlined />}>{t("designer.import")}</Button>
          </Upload>
          <Button icon={<DownloadOutlined />} onClick={exportFile}>
            {t("designer.export")}
          </Button>
          <Upload accept={`.xlsx,${XLSX_TYPE}`} showUploadList={false} beforeUpload={importSheet}>
            <Button icon={<UploadOutlined />}>{t("designer.importSheet")}</Button>
          </Upload>
          <Button icon={<DownloadOutlined />} onClick={() => void exportSheet()}>
            {t("designer.exportSheet")}
          </Button>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            disabled={checked.problems.length > 0}
            onClick={() => setSaving(true)}
          >
            {current ? t("designer.saveRevision") : t("designer.saveNew")}
          </Button>
        </Space>
      </div>
      <Typography.Paragraph type="secondary">{t("designer.intro")}</Typography.Paragraph>
      {importError ? (
        <Alert
          className="form-alert-top"
          type="error"
          role="alert"
          showIcon
          title={t("designer.importFailed", { message: importError })}
        />
      ) : null}
      {checked.problems.length === 0 ? (
        <Alert className="form-alert-top" type="success" showIcon title={t("designer.valid")} />
      ) : (
        problemList
      )}
      <Tabs
        items={[
          {
            key: "tree",
            label: t("designer.tab.tree"),
            children: (
              <div className="designer-grid">
                <Card className="section">
                  <IndicatorTree
                    state={state}
                    sums={sums}
                    problems={byCode}
                    selected={selected}
                    onSelect={setSelected}
                    onChange={setState}
                  />
                </Card>
                {node ? (
                  <NodeForm
                    key={node.key}
                    spec={node.spec}
                    leaf={!node.children}
                    sum={sums.nodes[node.key]}
                    problems={byCode.get(node.spec.code) ?? []}
                    units={unitOptions}
                    leads={leadOptions}
                    onChange={(patch) => setState((s) => updateNode(s, node.key, patch))}
                  />
                ) : (
                  <Card>
                    <Typography.Text type="secondary">{t("designer.node.none")}</Typography.Text>
                  </Card>
                )}
              </div>
            ),
          },
          {
            key: "basics",
            label: t("designer.tab.basics"),
            children: (
              <Card className="section">
                <div className="designer-fields">
                  <TextField
                    label={t("designer.basics.id")}
                    value={document.id}
                    required
                    onChange={(id) => setPlan({ id: id ?? "" })}
                  />
                  <TextField
                    label={t("designer.basics.name")}
                    value={document.name}
                    required
                    onChange={(name) => setPlan({ name: name ?? "" })}
                  />
                  <TextField
                    label={t("designer.basics.nameEn")}
                    value={document.nameEn}
                    onChange={(nameEn) => setPlan({ nameEn })}
                  />
                  <TextField
                    label={t("designer.basics.period")}
                    value={document.period.key}
                    required
                    onChange={(key) => setPlan({ period: { ...document.period, key: key ?? "" } })}
                  />
                  <TextField
                    label={t("designer.basics.previous")}
                    value={document.period.previous}
                    onChange={(previous) => {
                      const { previous: _p, ...rest } = document.period;
                      setPlan({ period: previous ? { ...rest, previous } : rest });
                    }}
                  />
                  <NumberField
                    label={t("designer.basics.pointsTotal")}
                    value={document.pointsTotal}
                    min={0}
                    onChange={(pointsTotal) => setPlan({ pointsTotal })}
                  />
                </div>
              </Card>
            ),
          },
          {
            key: "units",
            label: t("designer.tab.units"),
            children: <UnitsTab plan={document} problems={checked.problems} onChange={(p) => setPlan(p)} />,
          },
          {
            key: "grades",
            label: t("designer.tab.grades"),
            children: <GradesTab plan={document} onChange={(grades) => setPlan({ grades })} />,
          },
          {
            key: "items",
            label: t("designer.tab.items"),
            children: (
              <Suspense fallback={<Skeleton active />}>
                <ItemsTab plan={document} problems={checked.problems} onChange={setPlan} />
              </Suspense>
            ),
          },
        ]}
      />
      <Modal
        open={saving}
        title={t("designer.save.title")}
        okText={t("designer.save")}
        cancelText={t("confirm.cancel")}
        onCancel={() => setSaving(false)}
        onOk={save}
        okButtonProps={{
          loading: create.isPending || revise.isPending,
          disabled: current !== null && (reason.trim() === "" || diff?.same === true),
        }}
        destroyOnHidden
      >
        {current && diff ? (
          <>
            <Typography.Paragraph strong>
              {t("designer.save.diff", { version: current.version })}
            </Typography.Paragraph>
            {diff.same ? (
              <Typography.Paragraph>{t("designer.save.same")}</Typography.Paragraph>
            ) : (
              <DiffList diff={diff} plan={document} />
            )}
            <TextField
              label={t("designer.save.reason")}
              value={reason}
              required
              onChange={(r) => setReason(r ?? "")}
            />
          </>
        ) : (
          <Typography.Paragraph>{t("designer.save.newNote")}</Typography.Paragraph>
        )}
        <ProblemAlert
          className="form-alert"
          error={create.error ?? revise.error}
          title={t("designer.save.failed")}
        />
      </Modal>
    </div>
  );
}
