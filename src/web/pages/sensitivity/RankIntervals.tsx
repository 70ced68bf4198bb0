import type { UnitSensitivity } from "../../../engine/index.js";
import { useLocale } from "../../locales";
import { byCategory } from "./stability";

const ROW = 28;
const LEFT = 180;
const WIDTH = 720;

/**
 * The rank-interval chart, per category: for each unit a bar from its 5th to its 95th percentile rank,
 * a dot at its nominal rank and a tick at the median (rank 1 at the left). Plain SVG (no chart library
 * for this one), named and described for screen readers; the table view holds the same numbers.
 */
export function RankIntervals({
  units,
  nameOf,
  categoryOf,
}: {
  units: readonly UnitSensitivity[];
  nameOf: (unit: string) => string;
  categoryOf: (category: string | null) => string;
}) {
  const { t } = useLocale();
  return (
    <div className="rank-intervals">
      {byCategory(units).map(({ category, units: list }) => {
        const max = Math.max(...list.map((u) => u.p95Rank ?? u.nominalRank ?? 1), list.length);
        const x = (rank: number) => LEFT + ((rank - 1) / Math.max(1, max - 1)) * (WIDTH - LEFT - 24);
        const height = list.length * ROW + 28;
        const title = t("sensitivity.chartTitle", { category: categoryOf(category) });
        const description = list
          .map((u) =>
            t("sensitivity.chartUnit", {
              unit: nameOf(u.unit),
              rank: u.nominalRank ?? "—",
              low: u.p5Rank ?? "—",
              high: u.p95Rank ?? "—",
            }),
          )
          .join("；");
        const id = `ri-${category ?? "none"}`;
        return (
          <figure key={category ?? "none"} className="rank-interval-figure">
            <figcaption className="card-subtitle">{title}</figcaption>
            <svg
              viewBox={`0 0 ${WIDTH} ${height}`}
              width="100%"
              role="img"
              aria-labelledby={`${id}-t`}
              aria-describedby={`${id}-d`}
            >
              <title id={`${id}-t`}>{title}</title>
              <desc id={`${id}-d`}>{description}</desc>
              {Array.from({ length: max }, (_, k) => k + 1).map((r) => (
                <g key={r}>
                  <line x1={x(r)} x2={x(r)} y1={0} y2={height - 22} className="ri-grid" />
                  <text x={x(r)} y={height - 6} className="ri-axis" textAnchor="middle">
                    {r}
                  </text>
                </g>
              ))}
              {list.map((u, k) => {
                const y = k * ROW + ROW / 2;
                const low = u.p5Rank ?? u.nominalRank ?? 1;
                const high = u.p95Rank ?? u.nominalRank ?? 1;
                return (
                  <g key={u.unit} className="ri-unit">
                    <text x={LEFT - 10} y={y + 4} textAnchor="end" className="ri-name">
                      {nameOf(u.unit)}
                    </text>
                    <line x1={x(low)} x2={x(high)} y1={y} y2={y} className="ri-range" />
                    {u.medianRank !== null ? (
                      <line
                        x1={x(u.medianRank)}
                        x2={x(u.medianRank)}
                        y1={y - 7}
                        y2={y + 7}
                        className="ri-median"
                      />
                    ) : null}
                    <circle cx={x(u.nominalRank ?? 1)} cy={y} r={5} className="ri-nominal" />
                  </g>
                );
              })}
            </svg>
          </figure>
        );
      })}
      <p className="card-hint">{t("sensitivity.legend")}</p>
    </div>
  );
}
