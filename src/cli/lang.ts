import type { Lang } from "../engine/index.js";

/** Chinese first: English only when asked for (--lang en, KAOHE_LANG=en, or an English LANG). */
export function detectLang(flag: string | undefined, env: NodeJS.ProcessEnv): Lang {
  const choice = flag ?? env.KAOHE_LANG ?? env.LC_ALL ?? env.LANG ?? "";
  return choice.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}
