import { existsSync } from "node:fs";

/** Debian's fonts-noto-cjk: Noto Sans CJK, of which the PDF embeds the glyphs it uses (a subset). */
export const NOTO_CJK = {
  regular: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
  bold: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
} as const;

/** Whether the fonts a notice PDF needs are installed (apt-get install fonts-noto-cjk). */
export const pdfFontsInstalled = (fonts: { regular: string; bold: string } = NOTO_CJK) =>
  existsSync(fonts.regular) && existsSync(fonts.bold);
