/** The shared components' texts on signed-in pages (exports); en must have exactly the keys of zhCN. */
export const zhCN = {
  "export.xlsx": "导出 Excel",
  "export.xlsx.label": "导出 Excel：{name}",
  "export.chart": "导出图片",
  "export.chart.label": "导出图片：{name}",
  "export.png": "PNG 图片",
  "export.svg": "SVG 矢量图",
  "export.failed": "导出失败：{reason}",
  "export.empty": "没有可导出的数据",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "export.xlsx": "Export to Excel",
  "export.xlsx.label": "Export to Excel: {name}",
  "export.chart": "Export image",
  "export.chart.label": "Export image: {name}",
  "export.png": "PNG image",
  "export.svg": "SVG vector",
  "export.failed": "Export failed: {reason}",
  "export.empty": "Nothing to export",
};
