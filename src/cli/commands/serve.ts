import { loadConfig } from "../../server/config.js";
import { startServer } from "../../server/server.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";

export async function runServe({
  values,
  lang,
  out,
}: CommandContext<{ port?: string; demo: boolean }>): Promise<number> {
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new CliError({}, bilingual("--port 必须是端口号", "--port must be a port number"), 2);
  }
  const config = loadConfig(process.env, port === undefined ? {} : { port });
  const server = await startServer(config, true, values.demo);
  if (server.demoSeedMs !== undefined) {
    const seconds = (server.demoSeedMs / 1000).toFixed(1);
    out(lang === "zh-CN" ? `演示数据已载入（${seconds} 秒）` : `demo data loaded in ${seconds} s`);
  }
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
