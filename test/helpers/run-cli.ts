import { main } from "../../src/cli/main.js";

/** Runs the CLI in-process and collects what it prints. */
export async function runCli(args: string[], lang = "en") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    { KAOHE_LANG: lang },
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}
