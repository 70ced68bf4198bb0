// Only the parts the results' charts use (bars, lines, grid, mark lines, legend, tooltip, canvas), so this chunk
// stays small; it is loaded with the charts, never by the sign-in page or the ranking itself.
import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from "echarts/components";
import { type ComposeOption, type ECharts, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

let registered = false;

/**
 * An ECharts instance on `el`, the parts above registered first. Registered here, not at the module's
 * top: the project is "sideEffects": false, so a bare top-level use() would be dropped by the bundler
 * from a module whose other exports are only re-exports (the canvas renderer then missing at init).
 */
export function createChart(el: HTMLElement): ECharts {
  if (!registered) {
    use([
      BarChart,
      LineChart,
      GridComponent,
      LegendComponent,
      MarkLineComponent,
      TooltipComponent,
      CanvasRenderer,
    ]);
    registered = true;
  }
  return init(el, undefined, { renderer: "canvas" });
}
