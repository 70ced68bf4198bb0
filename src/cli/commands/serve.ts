import { parseArgs } from "node:util";
import type { Lang } from "../../engine/index.js";
import { loadConfig } from "../../server/config.js";
import { startServer } from "../../server/server.js";
import { bilingual, CliError } from "../cli-error.js";

export const serveHelp: Record<Lang, string> = {
  "zh-CN": `kaohe serve — 启动考核服务

用法：kaohe serve [--port N] [--demo]

  --port   端口（也可设 PORT，默认 3000）；HOST 默认 127.0.0.1
  --demo   空数据库时载入演示数据（示例考核方案、已审核数据、计分结果、公示）和各角色演示账号
数据库：默认使用嵌入式 PGlite，数据目录为 KAOHE_DATA_DIR（默认 ./data）；设置 DATABASE_URL 则使用 PostgreSQL。
启动时自动执行数据库迁移；空数据库首次启动时创建系统、安全、审计三个管理员账号并打印一次性密码（首次登录须修改）。
接口文档：/api/docs`,
  en: `kaohe serve — start the assessment service

usage: kaohe serve [--port N] [--demo]

  --port   port (or PORT, default 3000); HOST defaults to 127.0.0.1
  --demo   on an empty database, load demo data (the example plan, approved values, a scoring run under
           public notice) and one demo account per role
Database: embedded PGlite in KAOHE_DATA_DIR (default ./data), or PostgreSQL when DATABASE_URL is set.
Migrations are applied at start-up; on an empty database the first start creates the system, security and
audit administrators and prints their one-time passwords (to be changed at first sign-in).
API documentation: /api/docs`,
};

export async function runServe(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      demo: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
      lang: { type: "string" },
    },
    strict: true,
  });
  if (values.help) {
    out(serveHelp[lang]);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new CliError({}, bilingual("--port 必须是端口号", "--port must be a port number"), 2);
  }
  const config = loadConfig(process.env, port === undefined ? {} : { port });
  const server = await startServer(config, true, values.demo);
  for (const { username, password, role } of server.demo) {
    out(
      lang === "zh-CN"
        ? `演示账号 ${username}（${role}），密码：${password}`
        : `demo account ${username} (${role}), password: ${password}`,
    );
  }
  for (const { username, password } of server.created) {
    out(
      lang === "zh-CN"
        ? `已创建管理员 ${username}，一次性密码：${password}`
        : `created administrator ${username}, one-time password: ${password}`,
    );
  }
  out(
    lang === "zh-CN"
      ? `考核服务已启动：${server.url}（接口文档 ${server.url}/api/docs）`
      : `kaohe is serving on ${server.url} (API docs at ${server.url}/api/docs)`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      void server.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
