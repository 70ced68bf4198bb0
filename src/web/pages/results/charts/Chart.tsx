import { useEffect, useRef } from "react";
import { type ChartOption, createChart } from "./echarts";

/**
 * An ECharts canvas, drawn from `option` and redrawn on its change and on the container's resize. The
 * canvas itself says nothing to a screen reader: the container is an image named by its title and
 * described by the text under it (range, median, lines), and every chart has its table view beside it.
 */
export function Chart({
  option,
  label,
  describedBy,
}: {
  option: ChartOption;
  /** The chart's name (its title); its description is the element `describedBy` names. */
  label: string;
  describedBy: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = createChart(el);
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return (
    <div ref={ref} className="result-chart" role="img" aria-label={label} aria-describedby={describedBy} />
  );
}
