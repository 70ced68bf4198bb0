import type { Lang } from "../engine/errors.js";
import { ENGINE_VERSION } from "../engine/version.js";
import { ConfigError } from "../server/config.js";
import { DataDirLockedError } from "../server/db/lock.js";
import { CliError } from "./cli-error.js";
import { dispatch } from "./command.js";
import { commands, common, head } from "./commands/index.js";
import { detectLang } from "./lang.js";

/**
 * Takes --lang (the next word, or --lang=xx) out of argv wherever it stands before `--`, so that
 * `kaohe --lang en score …` and `kaohe score … --lang en` are the same; returns the rest and the choice.
 */
function takeLang(argv: string[]): { rest: string[]; flag: string | undefined } {
  const rest: string[] = [];
  let flag: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === "--lang") flag = argv[++i] ?? "";
    else if (a.startsWith("--lang=")) flag = a.slice("--lang=".length);
    else rest.push(a);
  }
  return { rest, flag };
}

/** Runs the CLI and returns the exit code: 0 ok, 1 bad input or failed run, 2 bad usage. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<number> {
  const { rest, flag } = takeLang(argv);
  const lang: Lang = detectLang(flag, env);
  if (rest[0] === "--version" || rest[0] === "-v") {
    out(ENGINE_VERSION);
    return 0;
  }
  try {
    const found = dispatch(commands, rest, lang, { head, common });
    if (found.kind === "help") {
      out(found.text);
      return 0;
    }
    return await found.leaf.run({
      values: found.values,
      positionals: found.positionals,
      lang,
      out,
      err,
      env,
    });
  } catch (e) {
    if (e instanceof CliError) {
      err(e.format(lang));
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      err(e.messages[lang]);
      return 2;
    }
    // Any command that opens the embedded database can find it in use by another process.
    if (e instanceof DataDirLockedError) {
      err(
        lang === "zh-CN"
          ? `数据目录 ${e.dir} 已被进程 ${e.pid} 使用（嵌入式数据库只允许一个进程；多个进程请用 DATABASE_URL 连接 PostgreSQL）`
          : e.message,
      );
      return 1;
    }
    throw e;
  }
}
