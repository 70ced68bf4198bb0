import { memo, type ReactNode, useMemo } from "react";
import { ExportButton, type ExportColumns } from "./ExportButton";
import "./export/export.css";
import "./plain-table.css";

/** A leaf column: its header and how a row's cell is drawn (a column with `children` groups leaves). */
type Leaf<T> = {
  key: string;
  title: ReactNode;
  render: (value: unknown, row: T, index: number) => ReactNode;
};
type Column<T> = ExportColumns<T>[number];

const childrenOf = <T,>(c: Column<T>): Column<T>[] | undefined =>
  "children" in c && Array.isArray(c.children) ? (c.children as Column<T>[]) : undefined;

const leavesOf = <T,>(columns: readonly Column<T>[]): Leaf<T>[] =>
  columns.flatMap((c) => childrenOf(c)?.map((x) => x as Leaf<T>) ?? [c as Leaf<T>]);

/**
 * A table redrawn at every step of a drag (the what-if outcome): a plain HTML table in antd's small
 * table's looks, whose rows are memoised by their row object, so a step redraws only the rows whose
 * numbers moved. antd's Table redraws every row and cell of its body at each change of its data
 * (8-10 ms a step for the demo's outcome, most of a 60 fps frame). The same columns as an antd Table
 * (`title`, `key`, `render`, one level of `children`), and the same .xlsx export above it.
 */
export function PlainTable<T extends object>({
  exportTitle,
  columns,
  rows,
  rowKey,
  rowClassName,
  className,
}: {
  exportTitle: readonly (string | undefined | null)[];
  columns: ExportColumns<T>;
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowClassName?: (row: T) => string;
  className?: string;
}) {
  const leaves = useMemo(() => leavesOf(columns), [columns]);
  const grouped = columns.some((c) => childrenOf(c));
  return (
    <div className="export-table">
      <div className="export-table-bar">
        <ExportButton title={exportTitle} columns={columns} rows={rows} />
      </div>
      <table className={["plain-table", className].filter(Boolean).join(" ")}>
        <thead>
          <tr>
            {columns.map((c, k) => {
              const group = childrenOf(c);
              return (
                <th
                  key={String(c.key ?? k)}
                  scope={group ? "colgroup" : "col"}
                  colSpan={group ? group.length : undefined}
                  rowSpan={grouped && !group ? 2 : undefined}
                >
                  {c.title as ReactNode}
                </th>
              );
            })}
          </tr>
          {grouped ? (
            <tr>
              {columns.flatMap((c) =>
                (childrenOf(c) ?? []).map((x, k) => (
                  <th key={String(x.key ?? k)} scope="col">
                    {x.title as ReactNode}
                  </th>
                )),
              )}
            </tr>
          ) : null}
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <Row<T>
              key={rowKey(row)}
              row={row}
              index={index}
              leaves={leaves}
              className={rowClassName?.(row) ?? ""}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

// Memoised by the row object, its place, its class and the columns (kept the same by the caller).
const Row = memo(function Row<T>({
  row,
  index,
  leaves,
  className,
}: {
  row: T;
  index: number;
  leaves: Leaf<T>[];
  className: string;
}) {
  return (
    <tr className={className || undefined}>
      {leaves.map((c) => (
        <td key={c.key}>{c.render(undefined, row, index)}</td>
      ))}
    </tr>
  );
}) as <T>(props: { row: T; index: number; leaves: Leaf<T>[]; className: string }) => ReactNode;
