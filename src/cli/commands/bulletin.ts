import { basename } from "node:path";
import { bulletinInputFromTables, REQUIRED_COLUMNS, type TableRow } from "../../bulletins/facts-table.js";
import { type BulletinInput, BulletinInputError, draftBulletin } from "../../bulletins/index.js";
import { bulletinMetaSchema } from "../../bulletins/meta-schema.js";
import { bulletinHtml, bulletinMarkdown } from "../../bulletins/render.js";
import type { Lang } from "../../engine/errors.js";
import { bilingual, CliError } from "../cli-error.js";
import { requireColumns } from "../coin-input.js";
import type { CommandContext } from "../command.js";
import { type CsvTable, parseCsv, readTextFile } from "../csv.js";
import { describeIssue } from "../json-path.js";

interface BulletinValues {
  data?: string;
  history?: string;
  meta?: string;
  plan?: string;
  unit?: string;
  run?: string;
  format: string;
}

const FORMATS = new Set(["md", "html", "json"]);
/** A unit's facts, history and meta are a few KB; anything near this is not one. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Reads one input file, refusing one too large to be a unit's (before reading it whole). */
const readInput = (path: string) =>
  readTextFile(path, {
    maxBytes: MAX_FILE_BYTES,
    tooLarge: bilingual(
      `文件超过 ${MAX_FILE_BYTES} 字节，不是一个单位的数据`,
      `larger than ${MAX_FILE_BYTES} bytes: not one unit's data`,
    ),
  });

/** A CSV input with the columns the table reader needs. */
function readTable(path: string, required: readonly string[]): CsvTable {
  const table = parseCsv(readInput(path), basename(path));
  requireColumns(table, required);
  return table;
}

/** A CSV table as rows by column name with their lines, for the pure table reader. */
const rows = (t: CsvTable): TableRow[] =>
  t.rows.map((r) => ({
    line: r.line,
    cells: Object.fromEntries(t.header.map((h, k) => [h, r.cells[k] ?? ""])),
  }));

/** The meta file (JSON), read as readJsonFile does but bounded. */
function readMeta(path: string) {
  const file = basename(path);
  const text = readInput(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    throw new CliError({ file }, bilingual(`JSON 格式错误（${message}）`, `invalid JSON (${message})`));
  }
  const parsed = bulletinMetaSchema.safeParse(json);
  if (!parsed.success) throw new CliError({ file }, describeIssue(parsed.error.issues[0]!, json));
  return parsed.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `--plan PLAN --unit UNIT [--run RUN]`: the unit's input read from the service's database (DATABASE_URL,
 * or the embedded data directory as the db commands open it), as the service drafts it; the plan by id
 * or code, the run by default the one of the publication in force.
 */
async function inputFromDatabase(values: BulletinValues): Promise<BulletinInput> {
  const { withDatabase } = await import("./db.js");
  const { bulletinInputOf } = await import("../../server/modules/bulletins/draft-input.js");
  const { plans } = await import("../../server/db/schema/index.js");
  const { AppError } = await import("../../server/errors.js");
  const { eq, or } = await import("drizzle-orm");
  const asked = values.plan as string;
  if (values.run !== undefined && !UUID.test(values.run))
    throw new CliError(
      {},
      bilingual(`--run ${values.run} 不是计分结果的 id`, `--run ${values.run} is not a run id`),
      2,
    );
  try {
    return await withDatabase(async (d) => {
      await d.migrate();
      const [plan] = await d.db
        .select({ id: plans.id })
        .from(plans)
        .where(UUID.test(asked) ? or(eq(plans.id, asked), eq(plans.code, asked)) : eq(plans.code, asked));
      if (!plan)
        throw new CliError(
          {},
          bilingual(`没有考核方案 ${asked}（方案的 id 或代码）`, `no plan ${asked} (a plan's id or code)`),
        );
      const { input } = await bulletinInputOf(d.db, {
        planId: plan.id,
        unit: values.unit as string,
        runId: values.run,
        now: new Date(),
      });
      return input;
    });
  } catch (e) {
    if (e instanceof AppError) throw new CliError({}, e.messages);
    throw e;
  }
}

/**
 * kaohe bulletin --data facts.csv [--history history.csv] --meta meta.json [--format md|html|json], or
 * --plan PLAN --unit UNIT [--run RUN] from the service's database: drafts a unit's bulletin
 * (docs/bulletins.md). JSON carries every sentence's facts.
 */
export async function runBulletin({ values, lang, out }: CommandContext<BulletinValues>): Promise<number> {
  if (!FORMATS.has(values.format))
    throw new CliError(
      {},
      bilingual("--format 只能是 md、html 或 json", "--format must be md, html or json"),
      2,
    );
  const fromDb = values.plan !== undefined || values.unit !== undefined || values.run !== undefined;
  if (fromDb && (values.data || values.meta || values.history))
    throw new CliError(
      {},
      bilingual(
        "--plan/--unit/--run 与 --data/--history/--meta 不能同时使用",
        "use --plan/--unit/--run or --data/--history/--meta, not both",
      ),
      2,
    );
  const required = fromDb ? (["plan", "unit"] as const) : (["data", "meta"] as const);
  for (const name of required)
    if (!values[name]) throw new CliError({}, bilingual(`缺少参数 --${name}`, `missing --${name}`), 2);
  const bulletin = fromDb ? draftFrom(await inputFromDatabase(values)) : fromFiles(values);
  const langs: Lang[] = lang === "en" ? ["en", "zh-CN"] : ["zh-CN", "en"];
  if (values.format === "json") out(JSON.stringify(bulletin, null, 2));
  else
    out(
      (values.format === "md" ? bulletinMarkdown(bulletin, langs) : bulletinHtml(bulletin, langs)).trimEnd(),
    );
  return 0;
}

/** The draft of an input from the database: its errors name the indicator (there is no file). */
function draftFrom(input: BulletinInput) {
  try {
    return draftBulletin(input);
  } catch (e) {
    if (!(e instanceof BulletinInputError)) throw e;
    throw new CliError({}, e.messages);
  }
}

/** The draft from the files: errors name the file, row and column. */
function fromFiles(values: BulletinValues) {
  const meta = readMeta(values.meta as string);
  const facts = readTable(values.data as string, REQUIRED_COLUMNS.facts);
  const history = values.history ? readTable(values.history, REQUIRED_COLUMNS.history) : undefined;
  let bulletin: ReturnType<typeof draftBulletin>;
  try {
    bulletin = draftBulletin(bulletinInputFromTables(rows(facts), history ? rows(history) : [], meta));
  } catch (e) {
    if (!(e instanceof BulletinInputError)) throw e;
    // Errors of a BulletinInput as a whole name the indicator; they come from the facts table.
    const { table = "facts", row, column } = e.place ?? {};
    const file = table === "history" && history ? history.file : facts.file;
    throw new CliError({ file, row, column }, e.messages);
  }
  return bulletin;
}
