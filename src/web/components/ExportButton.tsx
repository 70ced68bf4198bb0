import { DownloadOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useLocale } from "../locales";
import { exportColumnsOf, sheetModel, type TableColumnLike } from "./export/sheet";

/** A table's columns with their export hints (`export`: how a cell is read and typed, or false). */
export type ExportColumns<T> = (ColumnsType<T>[number] & Pick<TableColumnLike<T>, "export">)[];

/**
 * The one export of a table to .xlsx: the same columns (and `export` hints) and rows the table shows,
 * written as a typed sheet (./export/sheet.ts) named by `title`'s parts — what it is, e.g. the plan's
 * name and "经济发展部门排名" — with ExcelJS loaded on the click, never with the page.
 */
export function ExportButton<T>({
  title,
  columns,
  rows,
  size = "small",
}: {
  /** The file's name parts, the last one also the sheet's name (the table's own title). */
  title: readonly (string | undefined | null)[];
  columns: readonly TableColumnLike<T>[];
  rows: readonly T[];
  size?: "small" | "middle";
}) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const name = title.filter((p) => typeof p === "string" && p !== "").at(-1) ?? "";
  const run = async () => {
    setBusy(true);
    try {
      const model = sheetModel({ title, columns: exportColumnsOf(columns, rows), rows });
      const { workbookBytes, saveFile, XLSX_TYPE } = await import("./export/xlsx");
      saveFile(await workbookBytes(model), model.fileName, XLSX_TYPE);
    } catch (e) {
      void message.error(t("export.failed", { reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      className="export-button"
      size={size}
      icon={<DownloadOutlined />}
      loading={busy}
      disabled={rows.length === 0}
      title={rows.length === 0 ? t("export.empty") : undefined}
      aria-label={t("export.xlsx.label", { name })}
      onClick={() => void run()}
    >
      {t("export.xlsx")}
    </Button>
  );
}
