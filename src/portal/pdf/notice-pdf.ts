import PDFDocument from "pdfkit";
import type { Lang } from "../../engine/errors.js";
import type { PageHashes } from "../pages/hashes.js";
import { type NoticeColumn, type NoticeContent, NUMERIC, noticeModel } from "../pages/notice-model.js";
import { NOTO_CJK } from "./fonts.js";
import { pdfWords } from "./words.js";

/** The simplified Chinese faces inside the collections (a .ttc needs the face's PostScript name). */
const FACES = { regular: "NotoSansCJKsc-Regular", bold: "NotoSansCJKsc-Bold" } as const;

export interface NoticePdfProps {
  /** The publication's id: named in the document's metadata, so two notices never share a file ID. */
  id: string;
  content: NoticeContent;
  lang: Lang;
  /**
   * The hashes of the notice's published article (the portal page) in this language, printed in the
   * footer: for the final results notice, those of the final article recorded at finalisation.
   */
  articleHashes: PageHashes;
  fonts?: { regular: string; bold: string };
}

const MARGIN = 56;
/** Below the footer: less than the other margins, so a page holds more rows. */
const BOTTOM = 32;
const FOOTER = 52;
const PAD = 3.5;
/** Relative widths of the columns besides the unit's name (the name takes what is left). */
const WIDTH: Record<NoticeColumn, number> = { rank: 0.08, total: 0.11, grade: 0.14, titles: 0.25 };

/**
 * A results notice as an A4 PDF: the notice as the portal shows it (noticeModel: title, date, source,
 * lead paragraph with the notice period and how to object, one table per category with the columns the
 * plan publishes, the issuing office and date), Noto Sans CJK embedded as a subset so the text is
 * selectable, and on every page a footer with the published article's hashes and the page number.
 *
 * Deterministic: the same props give the same bytes (the dates in its metadata are the notice's
 * publication, and the file ID is derived from the metadata, which names the publication), so its
 * own hash, recorded when it is first made, stays that of any copy made later. It cannot print its own
 * hash; it prints the article's, which verify also knows.
 */
export function renderNoticePdf(props: NoticePdfProps): Promise<Buffer> {
  const fonts = props.fonts ?? NOTO_CJK;
  const m = noticeModel(props.content, props.lang);
  const w = pdfWords[props.lang];
  // The final results notice is its own document: its dates and keywords (so its file ID) differ.
  const at = m.issuedAt;
  const final = props.content.finalisedAt !== undefined;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: BOTTOM + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: props.lang,
    displayTitle: true,
    info: {
      Title: m.title,
      Author: m.source,
      Subject: final ? w.finalSubject : w.subject,
      Keywords: `kaohe ${final ? "final" : "notice"} ${props.id}`,
      Creator: "kaohe",
      Producer: "kaohe (PDFKit)",
      CreationDate: at,
      ModDate: at,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", fonts.regular, FACES.regular);
  doc.registerFont("bold", fonts.bold, FACES.bold);
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  // The title on one line where it fits at 15 pt or more (a lone character wrapped reads badly), else wrapped at 18.
  doc.font("bold");
  const fits = [18, 17, 16, 15].find((size) => doc.fontSize(size).widthOfString(m.title) <= width);
  doc.fontSize(fits ?? 18).text(m.title, { align: "center" });
  doc.moveDown(0.4);
  doc
    .font("regular")
    .fontSize(10)
    .fillColor("#444444")
    .text(`${w.published}${m.day}    ${w.source}${m.source}`, { align: "center" });
  doc.fillColor("#000000").moveDown(1);
  doc.fontSize(11).text(m.lead, {
    align: props.lang === "en" ? "left" : "justify",
    lineGap: 3,
    indent: props.lang === "en" ? 0 : 22,
  });
  doc.moveDown(0.8);

  const rest = 1 - m.columns.reduce((s, c) => s + WIDTH[c], 0);
  const widths = m.order.map((c) => (c === "unit" ? rest : WIDTH[c]) * width);
  const align = m.order.map((c): "left" | "right" => (NUMERIC.has(c) ? "right" : "left"));
  const row = (cells: string[], font: "regular" | "bold", shade: boolean) => {
    // Measured and drawn in the same font and size, so no cell's text runs out of its row.
    const set = () => doc.font(font).fontSize(10);
    set();
    const height =
      Math.max(...cells.map((text, i) => doc.heightOfString(text, { width: widths[i]! - 2 * PAD }))) +
      2 * PAD;
    return {
      height,
      draw(y: number) {
        let x = left;
        if (shade) doc.rect(left, y, width, height).fill("#eeeeee").fillColor("#000000");
        doc.lineWidth(0.5).strokeColor("#888888");
        cells.forEach((text, i) => {
          doc.rect(x, y, widths[i]!, height).stroke();
          set().text(text, x + PAD, y + PAD, { width: widths[i]! - 2 * PAD, align: align[i]! });
          x += widths[i]!;
        });
        doc.x = left;
        doc.y = y + height;
      },
    };
  };
  for (const table of m.tables) {
    const header = row(
      m.order.map((c) => m.headers[c]),
      "bold",
      true,
    );
    const rows = table.rows.map((r) =>
      row(
        m.order.map((c) => (c === "unit" ? r.name : r.cells[c])),
        "regular",
        false,
      ),
    );
    // A heading stays with its header and first row; a header is repeated on each page its table reaches.
    doc.font("bold").fontSize(13);
    const heading = doc.heightOfString(table.name) + 6;
    if (doc.y + heading + header.height + (rows[0]?.height ?? 0) > bottom()) doc.addPage();
    doc.text(table.name, left, doc.y);
    doc.moveDown(0.3);
    header.draw(doc.y);
    for (const r of rows) {
      if (doc.y + r.height > bottom()) {
        doc.addPage();
        header.draw(doc.y);
      }
      r.draw(doc.y);
    }
    doc.moveDown(1);
  }
  doc.font("regular").fontSize(11);
  if (doc.y + 40 > bottom()) doc.addPage();
  doc.moveDown(1);
  doc.text(m.source, left, doc.y, { width, align: "right" });
  doc.text(m.day, { width, align: "right" });

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const y = doc.page.height - BOTTOM - FOOTER + 4;
    // Below the bottom margin: text there must not open a new page.
    doc.page.margins.bottom = 0;
    doc
      .lineWidth(0.5)
      .strokeColor("#888888")
      .moveTo(left, y)
      .lineTo(left + width, y)
      .stroke();
    doc.font("regular").fontSize(7.5).fillColor("#444444");
    const line = (k: number, text: string, align: "left" | "right" = "left") =>
      doc.text(text, left, y + 5 + 10 * k, { width, align, lineBreak: false });
    line(0, final ? w.finalHashes : w.hashes);
    line(1, `SM3: ${props.articleHashes.sm3}`);
    line(2, `SHA-256: ${props.articleHashes.sha256}`);
    line(3, w.verifyHint);
    line(3, w.page(i + 1, range.count), "right");
  }
  doc.end();
  return done;
}
