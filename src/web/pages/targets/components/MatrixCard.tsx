import { Button, Card, Empty, Tag, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { ReactNode } from "react";
import { ExportTable } from "../../../components/ExportTable";
import { useLocale } from "../../../locales";
import type { TargetCellError, TargetMatrix } from "../../../services/targets";

type Row = TargetMatrix["items"][number];
type Cell = Row["cells"][number];

/**
 * 目标值一览: a row per unit (the office sees them all, a unit its own), for each indicator the
 * baseline, the original target and the current one, with an adjusted or pending mark; cells an
 * upload refused are marked with the server's message.
 */
export function MatrixCard(props: {
  matrix: TargetMatrix;
  /** The refused upload's errors, and the unit that sent it. */
  errors: readonly TargetCellError[];
  errorUnit?: string | undefined;
  onRequest?: ((indicator: string) => void) | undefined;
  extra?: ReactNode;
}) {
  const { t, lang } = useLocale();
  const { indicators, items } = props.matrix;
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 4 });
  const show = (n: number | null | undefined) => (n === null || n === undefined ? "—" : number.format(n));
  const cellOf = (r: Row, code: string): Cell | undefined => r.cells.find((c) => c.indicator === code);
  const errorsAt = (r: Row, code: string) =>
    r.unit === props.errorUnit ? props.errors.filter((e) => e.indicator === code) : [];

  const columns: ColumnsType<Row> = [
    {
      title: t("targets.col.unit"),
      key: "unit",
      width: 150,
      render: (_, r) => (
        <span className="targets-unit">
          {r.name}
          <span className="targets-code">{r.unit}</span>
        </span>
      ),
    },
    ...indicators.map((i) => ({
      title: (
        <span>
          {i.code} {i.name}
          {i.measure ? <span className="targets-measure">（{i.measure}）</span> : null}
        </span>
      ),
      key: i.code,
      children: [
        {
          title: t("targets.col.baseline"),
          key: `${i.code}-baseline`,
          align: "right" as const,
          width: 90,
          render: (_: unknown, r: Row) => show(cellOf(r, i.code)?.baseline),
        },
        {
          title: t("targets.col.original"),
          key: `${i.code}-original`,
          align: "right" as const,
          width: 90,
          render: (_: unknown, r: Row) => show(cellOf(r, i.code)?.original),
        },
        {
          title: t("targets.col.current"),
          key: `${i.code}-current`,
          align: "right" as const,
          width: 150,
          onCell: (r: Row) => ({
            className: errorsAt(r, i.code).length > 0 ? "targets-cell-error" : "",
          }),
          render: (_: unknown, r: Row) => {
            const c = cellOf(r, i.code);
            if (!c) return "—";
            const errors = errorsAt(r, i.code);
            return (
              <div className="targets-current">
                <strong>{show(c.current)}</strong>
                {c.current !== c.original ? <Tag color="blue">{t("targets.adjusted")}</Tag> : null}
                {c.pending ? (
                  <Tag color="orange">{t("targets.pending", { value: show(c.pending.requested) })}</Tag>
                ) : null}
                {errors.length > 0 ? (
                  <Tooltip title={errors.map((e) => `${e.column}：${e.message}`).join("；")}>
                    <Tag color="red" tabIndex={0}>
                      {t("targets.cellError")}
                    </Tag>
                  </Tooltip>
                ) : null}
                {props.onRequest && !c.pending ? (
                  <Button
                    size="small"
                    color="primary"
                    variant="link"
                    onClick={() => props.onRequest?.(i.code)}
                    aria-label={`${t("targets.request")} ${i.code}`}
                  >
                    {t("targets.request")}
                  </Button>
                ) : null}
              </div>
            );
          },
        },
      ],
    })),
  ];

  return (
    <Card title={<h2 className="card-title">{t("targets.matrix")}</h2>} extra={props.extra}>
      {indicators.length === 0 ? (
        <Empty description={t("targets.matrix.empty")} />
      ) : (
        <>
          <div className="table-scroll">
            <ExportTable<Row>
              exportTitle={[t("targets.matrix")]}
              rowKey="unit"
              size="middle"
              bordered
              pagination={false}
              dataSource={items}
              columns={columns}
            />
          </div>
          <p className="targets-legend">{t("targets.legend")}</p>
        </>
      )}
    </Card>
  );
}
