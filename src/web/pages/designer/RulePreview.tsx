import { Alert, Typography } from "antd";
import { useMemo, useState } from "react";
import type { IndicatorSpec } from "../../../engine/index.js";
import { useLocale } from "../../locales";
import { NumberField } from "./fields";
import { previewRule, sampleActuals } from "./preview";

const fmt = (x: number) => String(Math.round(x * 100) / 100);

/** A rule tried out by the engine in the browser: one actual's points and sentence, and the curve. */
export function RulePreview({ leaf, points }: { leaf: Omit<IndicatorSpec, "children">; points: number }) {
  const { t, lang } = useLocale();
  const target = leaf.target;
  const start = () => {
    if (leaf.rule?.type === "completion" && target !== undefined) return fmt(target * 0.96);
    const xs = sampleActuals(leaf, points, target);
    return fmt(xs[Math.floor(xs.length * 0.6)] ?? 0);
  };
  const [actual, setActual] = useState<number | undefined>(() => Number(start()));
  const preview = useMemo(
    () => previewRule(leaf, points, target, actual ?? null),
    [leaf, points, target, actual],
  );
  if (!preview.ok)
    return (
      <Alert
        type="warning"
        showIcon
        title={t("designer.preview.refused", { message: preview.error.message[lang] })}
      />
    );
  const p = preview.value;
  const place = p.axis === "place";
  const one = p.one;
  const ratio =
    leaf.rule?.type === "completion" && one && target
      ? leaf.direction === -1
        ? target / one.actual
        : one.actual / target
      : null;
  const ruleName = leaf.rule ? t(`designer.rule.${leaf.rule.type}`) : "";
  const from = p.curve[0]?.x ?? 0;
  const to = p.curve.at(-1)?.x ?? 0;
  return (
    <div className="designer-preview">
      <NumberField label={t("designer.preview.actual")} value={actual} onChange={setActual} />
      {one ? (
        <div className="designer-preview-result" aria-live="polite">
          <Typography.Text strong>
            {ratio !== null
              ? t("designer.preview.completion", { pct: fmt(ratio * 100), points: fmt(one.points) })
              : t("designer.preview.result", { actual: fmt(one.actual), points: fmt(one.points) })}
          </Typography.Text>
          {p.peers ? (
            <Typography.Text type="secondary">
              {" "}
              （{t("designer.preview.peers", { n: p.peers })}）
            </Typography.Text>
          ) : null}
          <div className="designer-preview-text">{one.text[lang]}</div>
        </div>
      ) : null}
      <Curve
        points={p.curve}
        max={points}
        label={
          place
            ? t("designer.preview.curvePlace", { rule: ruleName, to: fmt(to) })
            : t("designer.preview.curve", { rule: ruleName, from: fmt(from), to: fmt(to) })
        }
        mark={one && !place ? { x: one.actual, y: one.points } : null}
        place={place}
      />
    </div>
  );
}

/** Points against the actual, as a plain SVG line (its label says what it shows; values in a table below). */
function Curve({
  points,
  max,
  label,
  mark,
  place,
}: {
  points: { x: number; points: number }[];
  max: number;
  label: string;
  mark: { x: number; y: number } | null;
  place: boolean;
}) {
  const { t } = useLocale();
  const W = 360;
  const H = 150;
  const pad = { l: 36, r: 10, t: 10, b: 24 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.points);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(0, ...ys);
  const y1 = Math.max(max, ...ys, 1e-9);
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (W - pad.l - pad.r);
  const sy = (y: number) => H - pad.b - ((y - y0) / (y1 - y0 || 1)) * (H - pad.t - pad.b);
  const line = points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.points).toFixed(1)}`).join(" ");
  return (
    <figure className="designer-curve">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <line x1={pad.l} y1={sy(y0)} x2={W - pad.r} y2={sy(y0)} stroke="#8c8c8c" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={H - pad.b} stroke="#8c8c8c" />
        <text x={pad.l - 4} y={sy(y1) + 4} textAnchor="end" fontSize="10" fill="#595959">
          {fmt(y1)}
        </text>
        <text x={pad.l - 4} y={sy(y0)} textAnchor="end" fontSize="10" fill="#595959">
          {fmt(y0)}
        </text>
        <text x={pad.l} y={H - 6} fontSize="10" fill="#595959">
          {fmt(x0)}
        </text>
        <text x={W - pad.r} y={H - 6} textAnchor="end" fontSize="10" fill="#595959">
          {fmt(x1)}
        </text>
        <polyline points={line} fill="none" stroke="#1677ff" strokeWidth="2" />
        {mark && mark.x >= x0 && mark.x <= x1 ? (
          <circle cx={sx(mark.x)} cy={sy(mark.y)} r="4" fill="#d4380d" />
        ) : null}
      </svg>
      <figcaption>{label}</figcaption>
      <details>
        <summary>{t("designer.preview.axisPoints")}</summary>
        <table className="designer-curve-table">
          <thead>
            <tr>
              <th scope="col">{t(place ? "designer.preview.place" : "designer.preview.actual")}</th>
              <th scope="col">{t("designer.preview.axisPoints")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.x}>
                <td>{fmt(p.x)}</td>
                <td>{fmt(p.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
