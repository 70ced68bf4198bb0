import { DownOutlined, PictureOutlined } from "@ant-design/icons";
import { App, Button, Dropdown } from "antd";
import type { ECharts } from "echarts/core";
import { useEffect, useRef } from "react";
import { fileNameOf } from "../../../components/export/sheet";
import { useLocale } from "../../../locales";
import { type ChartOption, createChart } from "./echarts";

/** A data: URL's bytes. */
const bytesOf = (url: string) => {
  const [head, body = ""] = url.split(",", 2);
  if (head?.endsWith(";base64")) return Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new TextEncoder().encode(decodeURIComponent(body));
};

/**
 * An ECharts canvas, drawn from `option` and redrawn on its change and on the container's resize. The
 * canvas itself says nothing to a screen reader: the container is an image named by its title and
 * described by the text under it (range, median, lines), and every chart has its table view beside it.
 * Its export control saves it as PNG (the canvas at twice its resolution) or SVG (the same option drawn
 * by ECharts' SVG renderer), named by `file` and its title.
 */
export function Chart({
  option,
  label,
  describedBy,
  file = [],
  height,
}: {
  option: ChartOption;
  /** The chart's name (its title); its description is the element `describedBy` names. */
  label: string;
  describedBy: string;
  /** What the exported file's name starts with (the plan's name), before the chart's title. */
  file?: readonly (string | undefined)[];
  /** The chart's height in pixels where it is not the usual one (a bar per unit needs more). */
  height?: number;
}) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const ref = useRef<HTMLDivElement>(null);
  const instance = useRef<ECharts | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = createChart(el);
    instance.current = chart;
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.current = null;
      chart.dispose();
    };
  }, [option]);
  const save = async (kind: "png" | "svg") => {
    const chart = instance.current;
    if (!chart) return;
    try {
      const { saveFile } = await import("../../../components/export/xlsx");
      const name = fileNameOf([...file, label], kind);
      if (kind === "png") {
        const url = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
        saveFile(bytesOf(url), name, "image/png");
      } else {
        const { chartSvg } = await import("./svg");
        saveFile(chartSvg(option, chart.getWidth(), chart.getHeight()), name, "image/svg+xml");
      }
    } catch (e) {
      void message.error(t("export.failed", { reason: e instanceof Error ? e.message : String(e) }));
    }
  };
  return (
    <div className="result-chart-box">
      <div className="chart-toolbar">
        <Dropdown
          trigger={["click"]}
          menu={{
            items: [
              { key: "png", label: t("export.png") },
              { key: "svg", label: t("export.svg") },
            ],
            onClick: ({ key }) => void save(key as "png" | "svg"),
          }}
        >
          <Button
            size="small"
            icon={<PictureOutlined />}
            aria-label={t("export.chart.label", { name: label })}
          >
            {t("export.chart")} <DownOutlined />
          </Button>
        </Dropdown>
      </div>
      <div
        ref={ref}
        className="result-chart"
        style={height === undefined ? undefined : { height }}
        role="img"
        aria-label={label}
        aria-describedby={describedBy}
      />
    </div>
  );
}
