import { Table, type TableProps } from "antd";
import { ExportButton, type ExportColumns } from "./ExportButton";
import "./export/export.css";

/**
 * antd's Table with its export to .xlsx above it (ExportButton): the same columns (with their `export`
 * hints) and the rows it shows. `exportTitle` names the file and the sheet (the plan, then the table).
 */
export function ExportTable<T extends object>({
  exportTitle,
  columns,
  ...props
}: Omit<TableProps<T>, "columns"> & {
  columns: ExportColumns<T>;
  exportTitle: readonly (string | undefined | null)[];
}) {
  return (
    <div className="export-table">
      <div className="export-table-bar">
        <ExportButton title={exportTitle} columns={columns} rows={props.dataSource ?? []} />
      </div>
      <Table<T> {...props} columns={columns} />
    </div>
  );
}
