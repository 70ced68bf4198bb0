import { type TermCategory, type TermList, termLists } from "./terms.js";

export interface TermHit {
  category: TermCategory;
  term: string;
  index: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One regular expression per list: Chinese terms as substrings, English ones as whole words. */
function compile(list: TermList): RegExp {
  const parts = [
    ...list.zh.map(escapeRegExp),
    ...list.en.map((w) => `(?<![a-z0-9])${escapeRegExp(w).replace(/ /g, "\\s+")}(?![a-z0-9])`),
    ...(list.pattern ?? []),
  ];
  // Longer alternatives first, so "av女优" is reported rather than "女优".
  parts.sort((a, b) => b.length - a.length);
  return new RegExp(parts.join("|"), "giu");
}

/** Finds the listed terms in a text; each hit with its category and where it starts. */
export function termMatcher(lists: readonly TermList[] = termLists): (text: string) => TermHit[] {
  const compiled = lists.map((l) => ({ category: l.category, re: compile(l) }));
  return (text) => {
    const hits: TermHit[] = [];
    for (const { category, re } of compiled) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) hits.push({ category, term: m[0].toLowerCase(), index: m.index });
    }
    return hits.sort((a, b) => a.index - b.index);
  };
}
