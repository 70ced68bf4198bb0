import {
  ArrowDownOutlined,
  ArrowLeftOutlined,
  ArrowRightOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  ExclamationCircleFilled,
  PlusOutlined,
} from "@ant-design/icons";
import { Button, Popconfirm, Space, Tag, Tree, type TreeDataNode, Typography } from "antd";
import { useMemo } from "react";
import { useLocale } from "../../locales";
import type { Problem } from "./check";
import type { DesignerState } from "./state";
import type { TreeSums } from "./sums";
import { addNode, dropMove, indentNode, outdentNode, removeNode, shiftNode } from "./tree-edit";

const fmt = (x: number) => String(Math.round(x * 100) / 100);

/** The indicator tree: draggable (antd Tree), with buttons doing the same for keyboard users. */
export function IndicatorTree({
  state,
  sums,
  problems,
  selected,
  onSelect,
  onChange,
}: {
  state: DesignerState;
  sums: TreeSums;
  problems: Map<string, Problem[]>;
  selected: string | null;
  onSelect: (key: string | null) => void;
  onChange: (s: DesignerState) => void;
}) {
  const { t, lang } = useLocale();
  const data = useMemo(() => {
    const build = (key: string): TreeDataNode => {
      const node = state.nodes[key]!;
      const sum = sums.nodes[key];
      const faults = problems.get(node.spec.code) ?? [];
      const kids = node.children ?? [];
      const pts =
        sum?.points === null || sum === undefined
          ? null
          : sum.derived
            ? t("designer.tree.pointsDerived", { points: fmt(sum.points) })
            : t("designer.tree.points", { points: fmt(sum.points) });
      return {
        key,
        title: (
          <span className="designer-tree-node" data-code={node.spec.code}>
            <span className="designer-tree-code">{node.spec.code}</span> {node.spec.name}
            {pts ? <span className="designer-tree-points"> · {pts}</span> : null}
            {kids.length > 0 && sum ? (
              <Tag
                className="designer-tree-sum"
                color={sum.mismatch || sum.weightMissing ? "error" : "default"}
              >
                {sum.combine === "weighted"
                  ? t("designer.tree.weights", { sum: fmt(sum.childWeights ?? 0) })
                  : t("designer.tree.sum", { sum: sum.childPoints === null ? "?" : fmt(sum.childPoints) })}
                {sum.mismatch ? `，${t("designer.tree.mismatch")}` : ""}
                {sum.weightMissing ? `，${t("designer.tree.weightMissing")}` : ""}
              </Tag>
            ) : null}
            {node.spec.adjustment ? <Tag>{t("designer.tree.adjustment")}</Tag> : null}
            {node.spec.must ? <Tag color="gold">{t("designer.tree.must")}</Tag> : null}
            {faults.length > 0 ? (
              <span className="designer-tree-fault" title={faults.map((f) => f.message[lang]).join("\n")}>
                <ExclamationCircleFilled aria-hidden /> {faults[0]!.message[lang]}
              </span>
            ) : null}
          </span>
        ),
        ...(kids.length > 0 ? { children: kids.map(build) } : { isLeaf: true }),
      };
    };
    return state.roots.map(build);
  }, [state, sums, problems, t, lang]);
  const allKeys = useMemo(() => Object.keys(state.nodes), [state.nodes]);
  const act = (next: DesignerState) => onChange(next);
  const sel = selected && state.nodes[selected] ? selected : null;
  const top = sums.top;
  return (
    <div className="designer-tree">
      <Space wrap className="designer-tree-actions" aria-label={t("designer.tree.label")}>
        <Button
          icon={<PlusOutlined />}
          onClick={() => {
            const added = addNode(state, null);
            act(added.state);
            onSelect(added.key);
          }}
        >
          {t("designer.act.addRoot")}
        </Button>
        <Button
          icon={<PlusOutlined />}
          disabled={!sel}
          onClick={() => {
            const added = addNode(state, sel);
            act(added.state);
            onSelect(added.key);
          }}
        >
          {t("designer.act.addChild")}
        </Button>
        <Button
          icon={<ArrowUpOutlined />}
          disabled={!sel}
          onClick={() => sel && act(shiftNode(state, sel, -1))}
        >
          {t("designer.act.up")}
        </Button>
        <Button
          icon={<ArrowDownOutlined />}
          disabled={!sel}
          onClick={() => sel && act(shiftNode(state, sel, 1))}
        >
          {t("designer.act.down")}
        </Button>
        <Button
          icon={<ArrowLeftOutlined />}
          disabled={!sel}
          onClick={() => sel && act(outdentNode(state, sel))}
        >
          {t("designer.act.outdent")}
        </Button>
        <Button
          icon={<ArrowRightOutlined />}
          disabled={!sel}
          onClick={() => sel && act(indentNode(state, sel))}
        >
          {t("designer.act.indent")}
        </Button>
        <Popconfirm
          title={t("designer.act.removeConfirm", { code: sel ? state.nodes[sel]!.spec.code : "" })}
          okText={t("designer.act.remove")}
          cancelText={t("confirm.cancel")}
          disabled={!sel}
          onConfirm={() => {
            if (!sel) return;
            act(removeNode(state, sel));
            onSelect(null);
          }}
        >
          <Button danger icon={<DeleteOutlined />} disabled={!sel}>
            {t("designer.act.remove")}
          </Button>
        </Popconfirm>
      </Space>
      <Typography.Paragraph className={top.mismatch ? "designer-total designer-bad" : "designer-total"}>
        {top.total === null
          ? t("designer.tree.total", { sum: top.points === null ? "?" : fmt(top.points) })
          : t("designer.tree.totalOf", {
              sum: top.points === null ? "?" : fmt(top.points),
              total: fmt(top.total),
            })}
      </Typography.Paragraph>
      <Tree
        aria-label={t("designer.tree.label")}
        treeData={data}
        draggable={{ icon: false }}
        blockNode
        expandedKeys={allKeys}
        selectedKeys={sel ? [sel] : []}
        onSelect={(_, info) => onSelect(String(info.node.key))}
        onDrop={(info) =>
          act(
            dropMove(state, {
              dragKey: String(info.dragNode.key),
              dropKey: String(info.node.key),
              dropPosition: info.dropPosition,
              dropToGap: info.dropToGap,
            }),
          )
        }
      />
    </div>
  );
}
