import type { Lang } from "../../engine/errors.js";

/** The words only the notice PDF shows (the rest are the portal's, through noticeModel). */
export const pdfWords: Record<
  Lang,
  {
    subject: string;
    finalSubject: string;
    published: string;
    source: string;
    hashes: string;
    finalHashes: string;
    verifyHint: string;
    page: (n: number, of: number) => string;
  }
> = {
  "zh-CN": {
    subject: "考核结果公示",
    finalSubject: "考核最终结果通报",
    published: "发布时间：",
    source: "来源：",
    hashes: "网页公示正文的内容哈希（发布时记录）",
    finalHashes: "网页通报正文的内容哈希（定稿时记录）",
    verifyHint: "核验：门户 /portal/verify 上传本文件，或按上列哈希核验网页原文",
    page: (n, of) => `第 ${n} 页 / 共 ${of} 页`,
  },
  en: {
    subject: "Public notice of assessment results",
    finalSubject: "Final assessment results",
    published: "Published: ",
    source: "Source: ",
    hashes: "Content hashes of the notice's web article (recorded at publication)",
    finalHashes: "Content hashes of the final results' web article (recorded when made final)",
    verifyHint:
      "Verify: upload this file at /portal/verify, or check the web article against the hashes above",
    page: (n, of) => `Page ${n} of ${of}`,
  },
};
