/**
 * A plan of two districts (甲区 d1, 乙区 d2) in one category around the given indicators: the lead
 * department tests' common frame (发改委, fgw, is registered as an organisation but not assessed).
 */
export function districtsPlan(id: string, indicators: unknown[], extra: Record<string, unknown> = {}) {
  return {
    format: "kaohe-plan/1",
    id,
    name: "牵头部门评分",
    period: { key: "2025" },
    units: [
      { code: "d1", name: "甲区" },
      { code: "d2", name: "乙区" },
    ],
    categories: [{ code: "district", name: "区", units: ["d1", "d2"] }],
    indicators,
    ...extra,
  };
}
