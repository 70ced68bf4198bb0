import { ENGINE_VERSION, type Lang } from "../engine/index.js";
import { ConfigError } from "../server/config.js";
import { DataDirLockedError } from "../server/db/lock.js";
import { CliError } from "./cli-error.js";
import { coinHelp, runCoin } from "./commands/coin.js";
import { auditHelp, backupHelp, dbHelp, runAudit, runBackup, runDb, runRestore } from "./commands/db.js";
import { planHelp, runPlan } from "./commands/plan.js";
import { runScore, scoreHelp } from "./commands/score.js";
import { runSensitivityCommand, sensitivityHelp } from "./commands/sensitivity.js";
import { runServe, serveHelp } from "./commands/serve.js";
import { runUsers, usersHelp } from "./commands/users.js";
import { detectLang } from "./lang.js";

const help: Record<Lang, string> = {
  "zh-CN": `kaohe ${ENGINE_VERSION} — 目标责任制考核与综合指标评价

用法：kaohe <命令> [参数]

命令：
  serve         启动考核服务（HTTP API；嵌入式 PGlite 或 DATABASE_URL 指定的 PostgreSQL）
                kaohe serve [--port 3000]
  db            数据库迁移：kaohe db migrate
  audit         校验审计日志哈希链：kaohe audit verify
  backup        备份数据库：kaohe backup 文件；恢复到空数据库：kaohe restore 文件
  users         解除账号的登录限制（在服务器本机）：kaohe users unlock 用户名
  score         按考核方案计分、分类排名、评定等次，可解释每一分的来历
                kaohe score --plan plan.json --data values.csv [--out results.csv|--format json] [--explain 单位]
  sensitivity   蒙特卡洛不确定性与敏感性分析：名次区间、等次概率、敏感性指数
                kaohe sensitivity --plan plan.json --data values.csv --runs 1000 --seed 1
  plan          检查考核方案或输出其 JSON Schema
                kaohe plan validate plan.json；kaohe plan schema
  coin          按 COINr 约定运行综合指数流程（标准化、插补、筛选、异常值处理、归一化、汇总、排名）
                kaohe coin --idata iData.csv --imeta iMeta.csv --spec spec.json --out 目录

通用参数：--help 帮助；--version 版本；--lang zh-CN|en 界面语言（也可设 KAOHE_LANG）
每个命令的详细说明：kaohe <命令> --help`,
  en: `kaohe ${ENGINE_VERSION} — target-responsibility assessment and composite-indicator scoring

usage: kaohe <command> [options]

commands:
  serve         start the assessment service (HTTP API; embedded PGlite, or PostgreSQL via DATABASE_URL)
                kaohe serve [--port 3000]
  db            apply database migrations: kaohe db migrate
  audit         check the audit trail's hash chain: kaohe audit verify
  backup        back up the database: kaohe backup FILE; restore into an empty one: kaohe restore FILE
  users         lift the sign-in throttles on an account (on the server): kaohe users unlock NAME
  score         score an assessment plan, rank within categories, grade, and explain every point
                kaohe score --plan plan.json --data values.csv [--out results.csv|--format json] [--explain UNIT]
  sensitivity   Monte Carlo uncertainty and sensitivity: rank bands, grade probabilities, indices
                kaohe sensitivity --plan plan.json --data values.csv --runs 1000 --seed 1
  plan          check an assessment plan, or print its JSON Schema
                kaohe plan validate plan.json; kaohe plan schema
  coin          run a composite-indicator pipeline with COINr conventions (denominate, impute, screen,
                treat, normalise, aggregate, rank)
                kaohe coin --idata iData.csv --imeta iMeta.csv --spec spec.json --out DIR

common options: --help; --version; --lang zh-CN|en (or KAOHE_LANG)
details of a command: kaohe <command> --help`,
};

type Runner = (
  argv: string[],
  lang: Lang,
  out: (s: string) => void,
  err: (s: string) => void,
) => number | Promise<number>;

const commands: Record<string, { run: Runner; help: Record<Lang, string> }> = {
  serve: { run: runServe, help: serveHelp },
  db: { run: runDb, help: dbHelp },
  audit: { run: runAudit, help: auditHelp },
  backup: { run: runBackup, help: backupHelp },
  restore: { run: runRestore, help: backupHelp },
  users: { run: runUsers, help: usersHelp },
  score: { run: runScore, help: scoreHelp },
  sensitivity: { run: runSensitivityCommand, help: sensitivityHelp },
  plan: { run: runPlan, help: planHelp },
  coin: { run: runCoin, help: coinHelp },
};

/** Runs the CLI and returns the exit code: 0 ok, 1 bad input or failed run, 2 bad usage. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<number> {
  const langFlag = argv.indexOf("--lang");
  const lang = detectLang(langFlag >= 0 ? argv[langFlag + 1] : undefined, env);
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    out(help[lang]);
    return 0;
  }
  if (name === "--version" || name === "-v") {
    out(ENGINE_VERSION);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    err(
      lang === "zh-CN"
        ? `未知命令“${name}”。运行 kaohe --help 查看可用命令。`
        : `unknown command "${name}"; see kaohe --help`,
    );
    return 2;
  }
  try {
    return await command.run(rest, lang, out, err);
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
    if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) {
      err(`${lang === "zh-CN" ? "参数错误" : "bad arguments"}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
