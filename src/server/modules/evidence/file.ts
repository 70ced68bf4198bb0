import { createHash } from "node:crypto";
import type { EvidenceSettings } from "../../config.js";
import { appError } from "../../errors.js";
import { contentTypes, detectType } from "./detect.js";

/** A checked file, ready to store. */
export interface CheckedFile {
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Checks an uploaded evidence file (佐证材料) before anything is stored: not empty, within the size
 * limit, a kind the settings allow judged by its content (not its name), and declared as what it is.
 * Every file a unit sends, for a value or for an objection, goes through here.
 */
export function checkFile(data: Buffer, declared: string, settings: EvidenceSettings): CheckedFile {
  if (data.length === 0) throw appError(400, "EMPTY_FILE", "文件为空", "the file is empty");
  if (data.length > settings.maxBytes) {
    const mb = Math.round((settings.maxBytes / 1048576) * 10) / 10;
    throw appError(413, "FILE_TOO_LARGE", `文件超过 ${mb} MB 的上限`, `the file exceeds the ${mb} MB limit`);
  }
  const kind = detectType(data);
  if (!kind || !settings.types.includes(kind)) {
    throw appError(
      415,
      "FILE_TYPE",
      `不接受此类文件（允许：${settings.types.join("、")}）`,
      `this kind of file is not accepted (allowed: ${settings.types.join(", ")})`,
    );
  }
  if (declared.split(";")[0]!.trim().toLowerCase() !== contentTypes[kind]) {
    throw appError(
      415,
      "FILE_TYPE_MISMATCH",
      `文件内容是 ${kind}，与声明的类型 ${declared} 不符`,
      `the file is ${kind}, not the declared ${declared}`,
    );
  }
  return {
    contentType: contentTypes[kind],
    size: data.length,
    sha256: createHash("sha256").update(data).digest("hex"),
  };
}
