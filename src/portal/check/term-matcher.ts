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
  // Longer alternatives first, so that of two terms starting at the same place the longer is
  // reported. (A term inside one that starts earlier, 女优 in av女优, needs no ordering: the
  // leftmost match wins, and matchAll goes on after it.)
  parts.sort((a, b) => b.length - a.length);
  return new RegExp(parts.join("|"), "giu");
}

/** Finds the listed terms in a text; each hit with its category and where it starts. */
export function termMatcher(lists: readonly TermList[] = termLists): (text: string) => TermHit[] {
  // matchAll works on a copy of each expression, so the compiled ones can be shared between calls.
  const compiled = lists.map((l) => ({ category: l.category, re: compile(l) }));
  return (text) => {
    const hits: TermHit[] = [];
    for (const { category, re } of compiled) {
      for (const m of text.matchAll(re)) hits.push({ category, term: m[0].toLowerCase(), index: m.index });
    }
    return hits.sort((a, b) => a.index - b.index);
  };
}
