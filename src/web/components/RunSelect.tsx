import { useCallback, useMemo, useRef } from "react";
import { useSearchParams } from "react-router";
import type { RunSummary } from "../../server/modules/runs/schema.js";
import { useLocale } from "../locales";
import { LabelledSelect } from "./LabelledSelect";
import { formatTime } from "./time";

/**
 * The scoring run a page works on: the one in the address (`?run=`, so a link or a reload keeps it),
 * else the newest. Returns its id, a way to choose another, and a labelled picker (time, plan version,
 * input hash).
 */
export function useRunChoice(runs: readonly RunSummary[], label: string, id: string, onChange?: () => void) {
  const { t, lang } = useLocale();
  const [params, setParams] = useSearchParams();
  const chosen = params.get("run");
  const runId = (chosen && runs.some((r) => r.id === chosen) ? chosen : undefined) ?? runs[0]?.id;
  // The latest callback, so that `choose` and the picker stay the same from one render to the next: a
  // page that re-renders at every step of a drag (the what-if slider) does not redraw its picker.
  const latest = useRef({ onChange, setParams });
  latest.current = { onChange, setParams };
  const choose = useCallback((run: string) => {
    latest.current.onChange?.();
    latest.current.setParams((p) => {
      const next = new URLSearchParams(p);
      next.set("run", run);
      return next;
    });
  }, []);
  const picker = useMemo(
    () => (
      <div className="plan-picker">
        <label htmlFor={id}>{label}</label>
        <LabelledSelect
          id={id}
          label={label}
          className="run-picker-select"
          value={runId}
          onChange={choose}
          options={runs.map((r, k) => ({
            value: r.id,
            label: `${formatTime(lang, r.createdAt)} · ${t("runs.version", { n: r.planVersion })} · ${r.inputHash.slice(0, 12)}${k === 0 ? ` · ${t("runs.status.latest")}` : ""}`,
          }))}
        />
      </div>
    ),
    [id, label, runId, choose, runs, lang, t],
  );
  return { runId, choose, picker };
}
