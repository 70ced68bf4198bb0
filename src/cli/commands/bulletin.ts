import { statSync } from "node:fs";
import { bulletinInputFromTables, type FactRow } from "../../bulletins/facts-table.js";
import { BulletinInputError, draftBulletin } from "../../bulletins/index.js";
import { bulletinMetaSchema } from "../../bulletins/meta-schema.js";
import { bulletinHtml, bulletinMarkdown } from "../../bulletins/render.js";
import type { Lang } from "../../engine/errors.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";
import { type CsvTable, readCsv } from "../csv.js";
import { describeIssue, readJsonFile } from "../json-path.js";

interface BulletinValues {
  data?: string;
  history?: string;
  meta?: string;
  format: string;
}

const FORMATS = new Set(["md", "html", "json"]);
/** A unit's facts, history and meta are a few KB; anything near this is not one. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Refuses a file too large to be a bulletin's input before it is read (a missing one is left to the reader). */
function bounded(path: string): string {
  const size = (() => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  })();
  if (size > MAX_FILE_BYTES)
    throw new CliError(
      { file: path },
      bilingual(
        `文件超过 ${MAX_FILE_BYTES} 字节，不是一个单位的数据`,
        `larger than ${MAX_FILE_BYTES} bytes: not one unit's data`,
      ),
    );
  return path;
}

/** A CSV table as rows by column name, for the pure table reader. */
const records = (t: CsvTable): FactRow[] =>
  t.rows.map((r) => Object.fromEntries(t.header.map((h, k) => [h, r.cells[k] ?? ""])));

function readMeta(path: string) {
  const { json, file } = readJsonFile(path);
  const parsed = bulletinMetaSchema.safeParse(json);
  if (!parsed.success) throw new CliError({ file }, describeIssue(parsed.error.issues[0]!, json));
  return parsed.data;
}

/**
 * kaohe bulletin --data facts.csv [--history history.csv] --meta meta.json [--format md|html|json]:
 * drafts a unit's bulletin from files alone (docs/bulletins.md). JSON carries every sentence's facts.
 */
export function runBulletin({ values, lang, out }: CommandContext<BulletinValues>): number {
  for (const name of ["data", "meta"] as const)
    if (!values[name]) throw new CliError({}, bilingual(`缺少参数 --${name}`, `missing --${name}`), 2);
  if (!FORMATS.has(values.format))
    throw new CliError(
      {},
      bilingual("--format 只能是 md、html 或 json", "--format must be md, html or json"),
      2,
    );
  const meta = readMeta(bounded(values.meta as string));
  const facts = readCsv(bounded(values.data as string));
  const history = values.history ? readCsv(bounded(values.history)) : undefined;
  let bulletin: ReturnType<typeof draftBulletin>;
  try {
    bulletin = draftBulletin(bulletinInputFromTables(records(facts), history ? records(history) : [], meta));
  } catch (e) {
    if (!(e instanceof BulletinInputError)) throw e;
    const file = e.table === "history" ? history?.file : facts.file;
    throw new CliError(file ? { file } : {}, e.messages);
  }
  const langs: Lang[] = lang === "en" ? ["en", "zh-CN"] : ["zh-CN", "en"];
  if (values.format === "json") out(JSON.stringify(bulletin, null, 2));
  else
    out(
      (values.format === "md" ? bulletinMarkdown(bulletin, langs) : bulletinHtml(bulletin, langs)).trimEnd(),
    );
  return 0;
}
