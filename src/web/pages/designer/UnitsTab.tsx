import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Checkbox, Input, Table, Tag, Typography } from "antd";
import { useId, useState } from "react";
import { LabelledSelect } from "../../components/LabelledSelect";
import { useLocale } from "../../locales";
import { useOrganisations } from "../../services/organisations";
import type { Problem } from "./check";
import { firstFreeCode } from "./codes";
import { assignUnit, board, type Place, placeUnit, setStandalone, type Units } from "./units";

/** The engine's faults about units and categories: on a unit, or in the units and categories lists. */
const UNIT_CODES = new Set(["DUPLICATE_UNIT", "DUPLICATE_CATEGORY", "UNKNOWN_UNIT", "UNKNOWN_CATEGORY"]);
const aboutUnits = (p: Problem) =>
  p.unit !== undefined ||
  UNIT_CODES.has(p.code) ||
  (p.path !== null && (p.path.startsWith("units") || p.path.startsWith("categories")));

/** The plan's units (from the registered organisations), each in a category or 单列; the categories. */
export function UnitsTab({
  plan,
  problems,
  onChange,
}: {
  plan: Units;
  problems: readonly Problem[];
  onChange: (p: Units) => void;
}) {
  const { t, lang } = useLocale();
  const [over, setOver] = useState<string | null>(null);
  const faults = problems.filter(aboutUnits);
  const nameOf = (code: string) => plan.units.find((u) => u.code === code)?.name ?? code;
  const organisations = useOrganisations();
  const pickId = useId();
  const [newCategory, setNewCategory] = useState("");
  const inPlan = new Set(plan.units.map((u) => u.code));
  const categoryOf = (unit: string) => plan.categories.find((c) => c.units.includes(unit))?.code ?? null;
  const options = (organisations.data?.items ?? [])
    .filter((o) => !inPlan.has(o.code))
    .map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` }));
  const places = board(plan).map((b) => {
    const place: Place = b.standalone
      ? "standalone"
      : b.category === null
        ? "none"
        : { category: b.category };
    const key = b.standalone ? "standalone" : (b.category ?? "none");
    const title = b.standalone
      ? t("designer.units.standaloneGroup")
      : b.category === null
        ? t("designer.units.unassigned")
        : (plan.categories.find((c) => c.code === b.category)?.name ?? b.category);
    return { ...b, place, key, title };
  });
  return (
    <div>
      {/* A unit's own fault shows on its row; the lists' faults here. */}
      {faults
        .filter((p) => p.unit === undefined)
        .map((p) => (
          <Alert
            key={`${p.code}${p.path}${p.unit}`}
            className="form-alert-top"
            type="error"
            showIcon
            title={p.message[lang]}
          />
        ))}
      <div className="designer-two">
        <Card className="section" title={<h3 className="card-title">{t("designer.units.title")}</h3>}>
          <div className="designer-field">
            <label htmlFor={pickId}>{t("designer.units.pick")}</label>
            <LabelledSelect<string>
              id={pickId}
              label={t("designer.units.pick")}
              className="designer-select-wide"
              showSearch={{ optionFilterProp: "label" }}
              value={null as unknown as string}
              options={options}
              onChange={(code) => {
                const o = organisations.data?.items.find((x) => x.code === code);
                if (!o) return;
                onChange({ ...plan, units: [...plan.units, { code: o.code, name: o.name }] });
              }}
            />
          </div>
          <Table
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={plan.units}
            columns={[
              { title: t("designer.units.code"), dataIndex: "code", width: 70 },
              {
                title: t("designer.units.name"),
                render: (_, u) => (
                  <>
                    {u.name}
                    {faults
                      .filter((p) => p.unit === u.code)
                      .map((p) => (
                        <div key={p.code} className="designer-tree-fault">
                          {p.message[lang]}
                        </div>
                      ))}
                  </>
                ),
              },
              {
                title: t("designer.units.standalone"),
                width: 70,
                render: (_, u) => (
                  <Checkbox
                    aria-label={t("designer.units.standaloneOf", { name: u.name })}
                    checked={u.standalone ?? false}
                    onChange={(e) => onChange(setStandalone(plan, u.code, e.target.checked))}
                  />
                ),
              },
              {
                title: t("designer.units.category"),
                width: 200,
                render: (_, u) => (
                  <LabelledSelect<string>
                    id={`unit-category-${u.code}`}
                    label={t("designer.units.categoryOf", { name: u.name })}
                    aria-label={t("designer.units.categoryOf", { name: u.name })}
                    className="designer-select"
                    disabled={u.standalone ?? false}
                    value={categoryOf(u.code) ?? ""}
                    options={[
                      { value: "", label: t("designer.units.none") },
                      ...plan.categories.map((c) => ({ value: c.code, label: c.name })),
                    ]}
                    onChange={(c) => onChange(assignUnit(plan, u.code, c || null))}
                  />
                ),
              },
              {
                title: "",
                width: 50,
                render: (_, u) => (
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t("designer.units.remove", { name: u.name })}
                    onClick={() =>
                      onChange({
                        units: plan.units.filter((x) => x.code !== u.code),
                        categories: assignUnit(plan, u.code, null).categories,
                      })
                    }
                  />
                ),
              },
            ]}
          />
        </Card>
        <Card className="section" title={<h3 className="card-title">{t("designer.categories.title")}</h3>}>
          <Table
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={plan.categories}
            columns={[
              { title: t("designer.categories.code"), dataIndex: "code", width: 90 },
              {
                title: t("designer.categories.name"),
                render: (_, c) => (
                  <Input
                    aria-label={`${t("designer.categories.name")} ${c.code}`}
                    value={c.name}
                    onChange={(e) =>
                      onChange({
                        ...plan,
                        categories: plan.categories.map((x) =>
                          x.code === c.code ? { ...x, name: e.target.value } : x,
                        ),
                      })
                    }
                  />
                ),
              },
              {
                title: "",
                width: 90,
                render: (_, c) => t("designer.categories.count", { n: c.units.length }),
              },
              {
                title: "",
                width: 50,
                render: (_, c) => (
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t("designer.categories.remove", { name: c.name })}
                    onClick={() =>
                      onChange({ ...plan, categories: plan.categories.filter((x) => x.code !== c.code) })
                    }
                  />
                ),
              },
            ]}
          />
          <div className="designer-row">
            <Input
              aria-label={t("designer.categories.name")}
              placeholder={t("designer.categories.name")}
              value={newCategory}
              onChange={(e) => setNewCategory(e.target.value)}
            />
            <Button
              icon={<PlusOutlined />}
              disabled={newCategory.trim() === ""}
              onClick={() => {
                const code = firstFreeCode(
                  new Set(plan.categories.map((c) => c.code)),
                  "c",
                  plan.categories.length + 1,
                );
                onChange({
                  ...plan,
                  categories: [...plan.categories, { code, name: newCategory.trim(), units: [] }],
                });
                setNewCategory("");
              }}
            >
              {t("designer.categories.add")}
            </Button>
          </div>
        </Card>
      </div>
      <Card className="section" title={<h3 className="card-title">{t("designer.units.board")}</h3>}>
        <Typography.Paragraph type="secondary">{t("designer.units.drag")}</Typography.Paragraph>
        <div className="designer-board">
          {places.map((b) => (
            <section
              key={b.key}
              aria-label={b.title}
              data-place={b.key}
              className={`designer-board-place${over === b.key ? " designer-board-over" : ""}`}
              onDragOver={(e) => {
                e.preventDefault();
                e.dataTransfer.dropEffect = "move";
                setOver(b.key);
              }}
              onDragLeave={() => setOver((o) => (o === b.key ? null : o))}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                const unit = e.dataTransfer.getData("text/plain");
                if (plan.units.some((u) => u.code === unit)) onChange(placeUnit(plan, unit, b.place));
              }}
            >
              <h4>
                {b.title} <span className="designer-board-count">{b.units.length}</span>
              </h4>
              {b.units.length === 0 ? (
                <span className="designer-board-empty">{t("designer.units.dropHere")}</span>
              ) : null}
              {b.units.map((u) => (
                <Tag
                  key={u}
                  data-unit={u}
                  className="designer-board-unit"
                  draggable
                  onDragStart={(e) => {
                    e.dataTransfer.setData("text/plain", u);
                    e.dataTransfer.effectAllowed = "move";
                  }}
                >
                  {nameOf(u)}
                </Tag>
              ))}
            </section>
          ))}
        </div>
      </Card>
    </div>
  );
}
