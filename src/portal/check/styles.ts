import type { Lang } from "../../engine/errors.js";

/*
 * When CSS hides an element from a reader while leaving it for a search engine: the ways spam hides
 * injected links (display:none, visibility:hidden, opacity 0, moved far off-screen, a font too small
 * to read, a box of no size with its overflow hidden). Only inline styles and simple class or id rules
 * in the page's own <style> elements are read; rules for print (@media print) hide nothing on screen.
 */

type Reason = Record<Lang, string>;

const OFF_SCREEN = new Set(["left", "top", "right", "margin-left", "margin-top", "text-indent"]);

/** A CSS length in px (1em = 16px, 1pt = 4/3 px); null for what is not a plain length. */
function px(value: string): number | null {
  const m = /^(-?\d*\.?\d+)(px|pt|em|rem|%)?$/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  switch (m[2]) {
    case "pt":
      return (n * 4) / 3;
    case "em":
    case "rem":
      return n * 16;
    case "%":
      return (n * 16) / 100;
    default:
      return n;
  }
}

/** Declarations of a style attribute or rule, by lower-case property, `!important` dropped. */
function declarations(css: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of css.replace(/\/\*[\s\S]*?\*\//g, "").split(";")) {
    const k = part.indexOf(":");
    if (k < 0) continue;
    const value = part
      .slice(k + 1)
      .replace(/!\s*important/i, "")
      .trim()
      .toLowerCase();
    out.set(part.slice(0, k).trim().toLowerCase(), value);
  }
  return out;
}

/** Why these declarations hide what they apply to, or null when they do not. */
export function hidingReason(css: string): Reason | null {
  const d = declarations(css);
  const get = (p: string) => d.get(p) ?? "";
  if (get("display") === "none") return { "zh-CN": "display:none 隐藏", en: "hidden by display:none" };
  if (get("visibility") === "hidden" || get("visibility") === "collapse")
    return { "zh-CN": "visibility:hidden 隐藏", en: "hidden by visibility:hidden" };
  const opacity = px(get("opacity"));
  if (opacity !== null && opacity <= 0.05 && !get("opacity").endsWith("%"))
    return { "zh-CN": "透明度为 0", en: "made transparent (opacity 0)" };
  for (const p of OFF_SCREEN) {
    const v = px(get(p));
    if (v !== null && v <= -500)
      return { "zh-CN": `移出屏幕（${p}:${get(p)}）`, en: `moved off-screen (${p}:${get(p)})` };
  }
  const size = px(get("font-size"));
  if (size !== null && size < 4)
    return {
      "zh-CN": `字号过小（font-size:${get("font-size")}）`,
      en: `font too small to read (font-size:${get("font-size")})`,
    };
  const h = px(get("height"));
  const w = px(get("width"));
  if (get("overflow") === "hidden" && ((h !== null && h <= 1) || (w !== null && w <= 1)))
    return { "zh-CN": "尺寸为 0 且溢出隐藏", en: "a box of no size with its overflow hidden" };
  return null;
}

/**
 * The class and id selectors (".x", "#y", also "div.x") that the page's own style sheets hide on
 * screen, with the reason. Read with a brace counter, so that the rules inside @media print are
 * told apart from the others.
 */
export function hiddenSelectors(sheet: string): Map<string, Reason> {
  const out = new Map<string, Reason>();
  const css = sheet.replace(/\/\*[\s\S]*?\*\//g, "");
  const blocks: string[] = []; // the preludes of the blocks we are inside
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === "{") {
      blocks.push(css.slice(start, i).trim());
      start = i + 1;
    } else if (c === "}") {
      const prelude = blocks.pop();
      const forPrint = blocks.some(
        (b) => /^@media\b/i.test(b) && /\bprint\b/i.test(b) && !/\bscreen\b/i.test(b),
      );
      if (prelude !== undefined && !prelude.startsWith("@") && !forPrint) {
        const reason = hidingReason(css.slice(start, i));
        if (reason) {
          for (const sel of prelude.split(",")) {
            const m = /^[a-z]*([.#][\w-]+)$/i.exec(sel.trim());
            if (m) out.set(m[1] as string, reason);
          }
        }
      }
      start = i + 1;
    }
  }
  return out;
}
