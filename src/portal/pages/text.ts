import type { Lang } from "../../engine/errors.js";

/** Every word the portal's pages show, Chinese first. */
export const words = {
  "zh-CN": {
    site: "考核结果公开",
    colon: "：",
    home: "首页",
    results: "考核结果",
    latest: "最新考核结果",
    more: "更多",
    none: "暂无公示",
    noticeTitle: (plan: string) => `${plan}结果公示`,
    finalTitle: (plan: string) => `关于${plan}结果的通报`,
    published: "发布时间",
    source: "来源",
    views: "浏览次数",
    fontSize: "字号",
    sizes: { l: "大", m: "中", s: "小" },
    print: "打印",
    printHint: "打印本页：使用浏览器的打印功能（Ctrl+P），页面按A4排版",
    share: "分享本页",
    pdf: "下载 PDF 版（A4，可核验）",
    previous: "上一篇",
    next: "下一篇",
    noPrevious: "没有了",
    lead: (plan: string, until: string) =>
      `根据《${plan}》，现将考核结果予以公示。公示期至${until}。对结果有异议的单位，请于公示期内通过考核系统提出。`,
    finalLead: (plan: string, from: string, until: string, finalised: string) =>
      `根据《${plan}》，考核结果于${from}至${until}进行了公示。公示结束后，考核结果已于${finalised}确定为最终结果，现予通报。`,
    rank: "名次",
    unit: "单位",
    total: "得分",
    grade: "等次",
    titles: "称号",
    uncategorised: "其他单位",
    tableOf: (category: string) => `${category}考核结果（按名次排列）`,
    status: {
      notice: "公示中",
      final: "最终结果",
      withdrawn: "已撤回",
    },
    supersededBy: "本公示已被更正，请查看更正后的公示",
    supersedes: "本公示更正了此前的公示",
    earlier: "本通报所依据的公示（原文及 PDF 版，可核验）：",
    earlierArticle: "公示原文",
    earlierPdf: "公示 PDF 版",
    finalHashes: "本页内容哈希（定稿时记录）",
    hashes: "本页内容哈希（发布时记录）",
    verify: "核验",
    verifyTitle: "核验页面内容哈希",
    verifyLabel: "SM3 或 SHA-256 哈希（十六进制）",
    verifySubmit: "核验",
    verifyFound: "此哈希属于已发布的页面：",
    verifyMissing: "没有已发布的页面具有此哈希。",
    verifyHowTo:
      "保存页面中 id 为 notice 的 <article> 元素（或下载“原文”），计算其 UTF-8 字节的 SM3 或 SHA-256 哈希，填入下框。",
    verifyByHash: "按哈希核验",
    verifyByFile: "上传页面核验",
    verifyFileHowTo:
      "上传用 curl、wget 等保存的公示页面或其“原文”（HTML），或下载的 PDF 版，系统计算公示正文（或 PDF 文件）的哈希并与记录比对。浏览器“另存为”的页面会被重新排版，可能无法核验。",
    verifyFileLabel: "页面文件（HTML 或 PDF）",
    verifyPdf: "（PDF 版）",
    verifyNotice: "（公示原文）",
    verifyFinal: "（最终结果通报）",
    verifyFileFound: "文件与已发布的页面一致：",
    verifyFileMissing: "文件与任何已发布的页面都不一致（可能被改动过）。",
    verifyTooLarge: "文件过大（超过 5 MB），不是一个公示页面。",
    verifyBadForm: "没有收到文件：请选择页面文件后再提交。",
    original: "原文（哈希所依据的字节）",
    notFound: "页面不存在",
    notFoundText: "您访问的页面不存在或尚未发布。",
    language: "English",
    languageCode: "en" as Lang,
    languageName: "切换到英文版",
    skip: "跳到正文",
    breadcrumb: "当前位置",
    pages: "分页",
    footer: "本站由考核系统生成，无需登录即可访问。",
    bulletins: "喜报/通报",
    latestBulletins: "最新喜报/通报",
    noBulletins: "暂无喜报/通报",
  },
  en: {
    site: "Assessment results",
    colon: ": ",
    home: "Home",
    results: "Results",
    latest: "Latest results",
    more: "More",
    none: "No notices yet",
    noticeTitle: (plan: string) => `Public notice of results: ${plan}`,
    finalTitle: (plan: string) => `Final results: ${plan}`,
    published: "Published",
    source: "Source",
    views: "Views",
    fontSize: "Text size",
    sizes: { l: "Large", m: "Medium", s: "Small" },
    print: "Print",
    printHint: "To print this page use your browser's print command (Ctrl+P); it prints on A4",
    share: "Link to this page",
    pdf: "Download as PDF (A4, verifiable)",
    previous: "Previous",
    next: "Next",
    noPrevious: "None",
    lead: (plan: string, until: string) =>
      `Under "${plan}", the results are hereby put up for public notice until ${until}. A unit that objects to its result files its objection in the assessment system during the notice.`,
    finalLead: (plan: string, from: string, until: string, finalised: string) =>
      `Under "${plan}", the results were put up for public notice from ${from} to ${until}. The notice is over: on ${finalised} the results were made final, and are hereby announced as the final results.`,
    rank: "Rank",
    unit: "Unit",
    total: "Score",
    grade: "Grade",
    titles: "Titles",
    uncategorised: "Other units",
    tableOf: (category: string) => `${category}: results by rank`,
    status: {
      notice: "Under public notice",
      final: "Final results",
      withdrawn: "Withdrawn",
    },
    supersededBy: "This notice was corrected; see the corrected notice",
    supersedes: "This notice corrects an earlier one",
    earlier: "The public notice these final results follow (its original and PDF, verifiable): ",
    earlierArticle: "the notice's original",
    earlierPdf: "the notice's PDF",
    finalHashes: "This page's content hashes (recorded when the results were made final)",
    hashes: "This page's content hashes (recorded at publication)",
    verify: "Verify",
    verifyTitle: "Verify a page's content hash",
    verifyLabel: "SM3 or SHA-256 hash (hex)",
    verifySubmit: "Verify",
    verifyFound: "This hash belongs to a published page:",
    verifyMissing: "No published page has this hash.",
    verifyHowTo:
      'Save the page\'s <article> element with id "notice" (or download the "original"), hash its UTF-8 bytes with SM3 or SHA-256 and enter the hash below.',
    verifyByHash: "By hash",
    verifyByFile: "By uploading a page",
    verifyFileHowTo:
      'Upload a notice page saved with curl, wget or the like, its "original" (HTML), or its PDF: the article in it (or the PDF file) is hashed and compared with the hashes recorded. A page saved by a browser\'s "save as" is rewritten and may not verify.',
    verifyFileLabel: "Page file (HTML or PDF)",
    verifyPdf: " (its PDF)",
    verifyNotice: " (the public notice)",
    verifyFinal: " (the final results)",
    verifyFileFound: "The file is the published page:",
    verifyFileMissing: "The file matches no published page (it may have been altered).",
    verifyTooLarge: "The file is too large (over 5 MB) to be a notice page.",
    verifyBadForm: "No file received: choose the page's file, then submit.",
    original: "Original (the bytes hashed)",
    notFound: "Page not found",
    notFoundText: "The page does not exist or is not published yet.",
    language: "中文",
    languageCode: "zh-CN" as Lang,
    languageName: "切换到中文版 (Chinese)",
    skip: "Skip to content",
    breadcrumb: "You are here",
    pages: "Pages",
    footer: "Generated by the kaohe assessment system; open to everyone without signing in.",
    bulletins: "Bulletins",
    latestBulletins: "Latest bulletins",
    noBulletins: "No bulletins yet",
  },
} as const;

export type Words = (typeof words)[Lang];

/** The source (来源) every notice names: the assessment office that publishes it. */
export const SOURCE: Record<Lang, string> = { "zh-CN": "考核工作办公室", en: "Assessment Office" };

const parts = (at: Date) =>
  Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );

/** A date as the portal shows it, in Beijing time: 2023-02-01. */
export const day = (at: Date): string => {
  const p = parts(at);
  return `${p.year}-${p.month}-${p.day}`;
};

/** A moment in Beijing time to the minute: 2023-02-06 09:30 (the notifications' times too). */
export const minute = (at: Date): string => {
  const p = parts(at);
  return `${day(at)} ${p.hour}:${p.minute}`;
};
