import { Tag } from "antd";
import type { PlanView } from "../../../../server/modules/plans/schema.js";
import { useLocale } from "../../../locales";

const colours = { draft: "default", published: "green", frozen: "blue" } as const;

/** Draft (草稿), in force (执行中) or frozen (已冻结). */
export function PlanStatusTag({ status }: { status: PlanView["status"] }) {
  const { t } = useLocale();
  return <Tag color={colours[status]}>{t(`status.${status}`)}</Tag>;
}
