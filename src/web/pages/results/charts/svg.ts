// The SVG renderer, only for exporting a chart as SVG: its own chunk, loaded on that click.
import { init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { ChartOption } from "./echarts";

let registered = false;

/**
 * The chart of `option` drawn by ECharts' SVG renderer at `width` × `height` (server-side style, no
 * element), as an SVG document on a white background. The chart types it draws are the ones
 * createChart registered for the page's canvas.
 */
export function chartSvg(option: ChartOption, width: number, height: number): string {
  if (!registered) {
    use([SVGRenderer]);
    registered = true;
  }
  const chart = init(null, undefined, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ ...option, backgroundColor: "#fff" });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
