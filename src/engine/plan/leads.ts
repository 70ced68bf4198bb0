import { type EngineError, engineError } from "../errors.js";
import type { PlanStructure } from "./structure.js";

/**
 * The first node whose own lead department (牵头部门) is not among the known organisations, as an
 * error naming the node: the server knows its registered organisations; a plan read alone (`kaohe
 * score`) knows its units and its `organisations` list.
 */
export function unknownLead(structure: PlanStructure, known: ReadonlySet<string>): EngineError | null {
  const node = structure.nodes.find((n) => n.spec.lead !== undefined && !known.has(n.spec.lead));
  if (!node) return null;
  return engineError(
    "UNKNOWN_LEAD",
    `指标 ${node.code} 的牵头部门 ${node.spec.lead} 不是方案中的单位，也不在方案的 organisations 中`,
    `the lead department ${node.spec.lead} of indicator ${node.code} is neither a unit of the plan nor in its organisations`,
    {
      indicator: node.code,
      hint: {
        "zh-CN": `在方案的 organisations 中列出 ${node.spec.lead}（代码和名称），或改正代码。`,
        en: `list ${node.spec.lead} (code and name) in the plan's organisations, or correct the code.`,
      },
    },
  );
}

/** The organisations a plan read alone knows: its units and its `organisations`. */
export const planOrganisations = (structure: PlanStructure): Set<string> =>
  new Set([...structure.units, ...(structure.plan.organisations ?? []).map((o) => o.code)]);
