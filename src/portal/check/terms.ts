/*
 * The word list of kaohe portal check: terms that have no place on a government portal and that spam
 * injected into copied government pages is made of (the seed document's "365bet…娱乐场" is one).
 * Data only; docs/portal-check.md documents it and how to propose a change. Chinese terms match as
 * substrings (Chinese has no word breaks); English ones as whole words, case-insensitively, so that
 * "bet" never matches "between" or "alphabet". `pattern` entries are regular expressions for the
 * numbered brand names spam sites use (365bet, bet365, 188bet).
 *
 * Kept narrow on purpose: words a notice may legitimately use (彩票 for the welfare lottery, 赌博 in a
 * notice on fighting gambling, 色情 in 扫黄打非) are left out, since a finding must mean tampering.
 */

export type TermCategory = "gambling" | "pornography";

export interface TermList {
  category: TermCategory;
  zh: readonly string[];
  en: readonly string[];
  pattern?: readonly string[];
}

export const termLists: readonly TermList[] = [
  {
    category: "gambling",
    zh: [
      "娱乐场",
      "博彩",
      "赌场",
      "百家乐",
      "老虎机",
      "时时彩",
      "六合彩",
      "北京赛车",
      "真人娱乐",
      "真人荷官",
      "电子游艺",
      "体育投注",
      "皇冠体育",
      "新葡京",
      "澳门威尼斯人",
      "金沙娱乐",
    ],
    en: [
      "casino",
      "baccarat",
      "sportsbook",
      "roulette",
      "jackpot",
      "poker",
      "slot machine",
      "gambling",
      "betting",
    ],
    pattern: ["\\b\\d{2,4}bet\\b", "\\bbet\\d{2,4}\\b"],
  },
  {
    category: "pornography",
    zh: [
      "成人视频",
      "成人影院",
      "成人网站",
      "黄色网站",
      "色情网站",
      "色情视频",
      "激情视频",
      "裸聊",
      "约炮",
      "一夜情",
      "三级片",
      "无码",
      "女优",
      "av女优",
    ],
    en: ["porn", "porno", "pornhub", "hentai", "xvideos", "camgirl", "sex video", "adult video"],
  },
];
