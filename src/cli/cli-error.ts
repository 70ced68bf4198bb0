import type { EngineError, Lang } from "../engine/index.js";

/** Where in an input file something is wrong; all parts optional. */
export interface Place {
  file?: string;
  /** Worksheet name, for Excel files. */
  sheet?: string;
  /** 1-based line of the record in the file (the header is row 1). */
  row?: number;
  column?: string;
}

/** A user-facing error: a place and a message in both languages. Thrown only inside the CLI layer. */
export class CliError extends Error {
  constructor(
    readonly place: Place,
    readonly messages: Record<Lang, string>,
    readonly exitCode = 1,
  ) {
    super(messages.en);
  }

  static fromEngine(error: EngineError, place: Place = {}): CliError {
    const hint = error.hint;
    return new CliError(place, {
      "zh-CN": hint ? `${error.message["zh-CN"]}。${hint["zh-CN"]}` : error.message["zh-CN"],
      en: hint ? `${error.message.en}. ${hint.en}` : error.message.en,
    });
  }

  format(lang: Lang): string {
    const { file, sheet, row, column } = this.place;
    const parts: string[] = [];
    if (lang === "zh-CN") {
      if (file) parts.push(file);
      if (sheet) parts.push(`工作表 ${sheet}`);
      if (row !== undefined) parts.push(`第 ${row} 行`);
      if (column !== undefined) parts.push(`${column} 列`);
      return parts.length ? `${parts.join(" ")}：${this.messages[lang]}` : this.messages[lang];
    }
    if (file) parts.push(file);
    if (sheet) parts.push(`sheet ${sheet}`);
    if (row !== undefined) parts.push(`row ${row}`);
    if (column !== undefined) parts.push(`column ${column}`);
    return parts.length ? `${parts.join(", ")}: ${this.messages[lang]}` : this.messages[lang];
  }
}

export const bilingual = (zh: string, en: string): Record<Lang, string> => ({ "zh-CN": zh, en });
