import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Lang } from "../engine/errors.js";
import { bilingual, CliError } from "./cli-error.js";

export type Text = Record<Lang, string>;
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** What a command's run function gets: its parsed options and arguments, the language and the outputs. */
export interface CommandContext<V = Record<string, string | boolean | undefined>> {
  values: V;
  positionals: string[];
  lang: Lang;
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** A command that does something: `kaohe score`, `kaohe db migrate`. */
export interface Leaf {
  /** One line: shown in the list of commands and as the title of the command's help. */
  summary: Text;
  /** `kaohe …` with its options; the first line is also shown in the parent's list. */
  usage: Text;
  /** The rest of the help: options, files, what it prints. */
  details?: Text;
  /** Options, as node:util parseArgs takes them (--help and --lang are handled before). */
  options?: ParseArgsOptionsConfig;
  /** Positional arguments in order (their names as the help shows them). */
  args?: { name: Text; required: boolean }[];
  /** Loaded only when the command runs, so that --help never opens a database or loads the server. */
  run: (ctx: CommandContext) => number | Promise<number>;
}

/** A command with subcommands: `kaohe db`, `kaohe plan`. Its help lists them. */
export interface Group {
  summary: Text;
  subcommands: Record<string, Command>;
}

export type Command = Leaf | Group;

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>["values"];

/** Declares a command, typing its run function's values by its options. */
export function leaf<const O extends ParseArgsOptionsConfig = Record<never, never>>(
  def: Omit<Leaf, "options" | "run"> & {
    options?: O;
    run: (ctx: CommandContext<Values<O>>) => number | Promise<number>;
  },
): Leaf {
  return def as Leaf;
}

const isGroup = (c: Command): c is Group => "subcommands" in c;

const words = {
  "zh-CN": {
    usage: "用法：",
    commands: "命令：",
    details: (path: string) => `每个命令的详细说明：${path} <命令> --help`,
    unknown: (path: string, name: string) => `未知命令“${name}”。运行 ${path} --help 查看可用命令。`,
    missing: (path: string, name: string) => `缺少参数 ${name}。运行 ${path} --help 查看用法。`,
    extra: (path: string, arg: string) => `多余的参数“${arg}”。运行 ${path} --help 查看用法。`,
    badArgs: (path: string, message: string) => `参数错误：${message}。运行 ${path} --help 查看用法。`,
  },
  en: {
    usage: "usage: ",
    commands: "commands:",
    details: (path: string) => `details of a command: ${path} <command> --help`,
    unknown: (path: string, name: string) => `unknown command "${name}"; see ${path} --help`,
    missing: (path: string, name: string) => `missing ${name}; see ${path} --help`,
    extra: (path: string, arg: string) => `unexpected argument "${arg}"; see ${path} --help`,
    badArgs: (path: string, message: string) => `bad arguments: ${message} (see ${path} --help)`,
  },
} as const;

/** A usage error (exit 2) in both languages. */
const usage = (key: "unknown" | "extra" | "badArgs", path: string, arg: string) =>
  new CliError({}, bilingual(words["zh-CN"][key](path, arg), words.en[key](path, arg)), 2);

const pad = (s: string, width: number) => s + " ".repeat(Math.max(1, width - s.length));
const firstLine = (s: string) => s.split("\n")[0] as string;

/** Every command under a group, depth first. */
function leaves(group: Group): Leaf[] {
  return Object.values(group.subcommands).flatMap((c) => (isGroup(c) ? leaves(c) : [c]));
}

/** The first usage line of every command under a group, with its summary (for the group's help). */
const listing = (group: Group, lang: Lang): string[] =>
  leaves(group).map((c) => `  ${pad(firstLine(c.usage[lang]), 34)}${c.summary[lang]}`);

/** The help of a command, made from its declaration: every command has one the same way. */
export function renderHelp(c: Command, path: string[], lang: Lang, top?: TopHelp): string {
  const w = words[lang];
  const name = path.join(" ");
  if (!isGroup(c)) {
    return [
      `${name} — ${c.summary[lang]}`,
      "",
      `${w.usage}${c.usage[lang]}`,
      ...(c.details ? ["", c.details[lang]] : []),
    ].join("\n");
  }
  if (path.length > 1) {
    return [`${name} — ${c.summary[lang]}`, "", w.usage.trimEnd(), ...listing(c, lang)].join("\n");
  }
  // The top level: each command with its summary and how it is called.
  const lines = [
    top?.head[lang] ?? name,
    "",
    `${w.usage}${name} <${lang === "zh-CN" ? "命令" : "command"}> [${lang === "zh-CN" ? "参数" : "options"}]`,
    "",
  ];
  lines.push(w.commands);
  for (const [sub, s] of Object.entries(c.subcommands)) {
    lines.push(`  ${pad(sub, 14)}${s.summary[lang]}`);
    for (const c of isGroup(s) ? leaves(s) : [s]) lines.push(`${" ".repeat(16)}${firstLine(c.usage[lang])}`);
  }
  lines.push("", ...(top ? [top.common[lang]] : []), w.details(name));
  return lines.join("\n");
}

/** The top-level help's first line and its closing note on the options every command takes. */
export interface TopHelp {
  head: Text;
  common: Text;
}

/** The outcome of reading a command line against the tree. */
export type Dispatch =
  | { kind: "help"; text: string }
  | { kind: "run"; leaf: Leaf; path: string[]; values: CommandContext["values"]; positionals: string[] };

/**
 * Finds the command named by the leading words of argv and either its help (asked for with --help
 * or -h anywhere before `--`, or a group named without a subcommand) or its parsed options.
 * Throws a CliError (exit 2) for an unknown command or bad arguments.
 */
export function dispatch(root: Group, argv: string[], lang: Lang, top: TopHelp): Dispatch {
  const end = argv.indexOf("--");
  const before = end < 0 ? argv : argv.slice(0, end);
  const after = end < 0 ? [] : argv.slice(end);
  let help = before.some((a) => a === "--help" || a === "-h");
  const rest = before.filter((a) => a !== "--help" && a !== "-h");
  if (rest[0] === "help") {
    help = true;
    rest.shift();
  }
  let node: Command = root;
  const path = ["kaohe"];
  while (isGroup(node) && rest.length > 0 && !(rest[0] as string).startsWith("-")) {
    const name = rest[0] as string;
    const next: Command | undefined = Object.hasOwn(node.subcommands, name)
      ? node.subcommands[name]
      : undefined;
    if (!next) throw usage("unknown", path.join(" "), name);
    node = next;
    path.push(name);
    rest.shift();
  }
  if (help || (isGroup(node) && rest.length === 0 && after.length === 0))
    return { kind: "help", text: renderHelp(node, path, lang, top) };
  const name = path.join(" ");
  if (isGroup(node)) {
    const arg = (rest[0] ?? after[0]) as string;
    throw usage("unknown", name, arg);
  }
  let parsed: { values: CommandContext["values"]; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...rest, ...after],
      options: node.options ?? {},
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (e) {
    if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))
      throw usage("badArgs", name, e.message);
    throw e;
  }
  const args = node.args ?? [];
  const extra = parsed.positionals[args.length];
  if (extra !== undefined) throw usage("extra", name, extra);
  const missing = args.find((a, k) => a.required && parsed.positionals[k] === undefined);
  if (missing)
    throw new CliError(
      {},
      bilingual(words["zh-CN"].missing(name, missing.name["zh-CN"]), words.en.missing(name, missing.name.en)),
      2,
    );
  return { kind: "run", leaf: node, path, ...parsed };
}
