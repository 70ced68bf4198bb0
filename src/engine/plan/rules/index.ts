import type { EngineWarning } from "../../errors.js";
import { scoreCompletion } from "./completion.js";
import type { LeafScore, RuleContext } from "./context.js";
import { scoreExpert } from "./expert.js";
import { scoreMark } from "./mark.js";
import { scoreRank } from "./rank.js";
import { scoreRelative } from "./relative.js";
import { scoreTiers } from "./tiers.js";
import { scoreYesNo } from "./yes-no.js";

export type { LeafScore, RuleContext } from "./context.js";

/** Scores one leaf with its rule. */
export function scoreLeaf(ctx: RuleContext): LeafScore & { warnings?: EngineWarning[] } {
  const rule = ctx.leaf.rule!;
  switch (rule.type) {
    case "completion":
      return scoreCompletion(ctx, rule);
    case "tiers":
      return scoreTiers(ctx, rule);
    case "yesno":
      return scoreYesNo(ctx, rule);
    case "rank":
      return scoreRank(ctx, rule);
    case "relative":
      return scoreRelative(ctx, rule);
    case "expert":
      return scoreExpert(ctx, rule);
    case "mark":
      return scoreMark(ctx, rule);
  }
}
