import { App, Form, Modal, Select } from "antd";
import { useState } from "react";
import type { Plan } from "../../../../engine/index.js";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { useDraftBulletin } from "../../../services/bulletins";
import { useRuns } from "../../../services/runs";

/** Drafts a unit's bulletin from a run of the plan (by default the run of the publication in force). */
export function DraftModal({
  planId,
  plan,
  open,
  onClose,
  onDrafted,
}: {
  planId: string;
  plan: Plan | undefined;
  open: boolean;
  onClose: () => void;
  onDrafted: (id: string) => void;
}) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const runs = useRuns(open ? planId : undefined);
  const draft = useDraftBulletin(planId);
  const [unit, setUnit] = useState<string>();
  const [runId, setRunId] = useState<string>("");
  return (
    <Modal
      open={open}
      title={t("bulletins.draft.title")}
      okText={t("bulletins.draft.submit")}
      cancelText={t("confirm.cancel")}
      okButtonProps={{ disabled: !unit, loading: draft.isPending }}
      onCancel={onClose}
      onOk={() =>
        draft.mutate(
          { unit: unit!, ...(runId ? { runId } : {}) },
          {
            onSuccess: (b) => {
              void message.success(t("bulletins.draft"));
              onDrafted(b.id);
            },
          },
        )
      }
    >
      <ProblemAlert className="form-alert-top" error={draft.error} title={t("bulletins.draft.failed")} />
      <Form layout="vertical">
        <Form.Item label={t("bulletins.draft.unit")} htmlFor="bulletin-unit">
          <Select
            id="bulletin-unit"
            showSearch
            optionFilterProp="label"
            value={unit}
            onChange={setUnit}
            options={(plan?.units ?? []).map((u) => ({
              value: u.code,
              label: lang === "en" ? (u.nameEn ?? u.name) : u.name,
            }))}
          />
        </Form.Item>
        <Form.Item label={t("bulletins.draft.run")} htmlFor="bulletin-run">
          <Select
            id="bulletin-run"
            value={runId}
            onChange={setRunId}
            options={[
              { value: "", label: t("bulletins.draft.runDefault") },
              ...(runs.data?.items ?? []).map((r) => ({
                value: r.id,
                label: `${formatTime(lang, r.createdAt)} · ${r.inputHash.slice(0, 8)}`,
              })),
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
