import type { EvidenceType } from "../../config.js";

/** The declared content type each kind of evidence file must come with. */
export const contentTypes: Record<EvidenceType, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpeg: "image/jpeg",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ofd: "application/ofd",
};

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((b, i) => data[i] === b);

/**
 * What a file really is, from its first bytes (its magic number and, for the ZIP-based office and OFD
 * formats, the names of its parts), whatever its name or declared type says. Null if none we accept.
 */
export function detectType(data: Buffer): EvidenceType | null {
  if (data.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(data, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) {
    const head = data.subarray(0, 64 * 1024).toString("latin1");
    if (head.includes("OFD.xml")) return "ofd";
    if (head.includes("xl/")) return "xlsx";
    if (head.includes("word/")) return "docx";
  }
  return null;
}
