import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { basename } from "node:path";
import type { Lang } from "../../engine/errors.js";
import { generateSigningKeys, signDetached, verifyDetached } from "../../portal/pdf/signature.js";
import { loadConfig, readAuditKey } from "../../server/config.js";
import { type Database, openDatabase } from "../../server/db/client.js";
import { AppError } from "../../server/errors.js";
import { setAuditKey } from "../../server/modules/audit/service.js";
import { createNoticePdfService } from "../../server/modules/portal/pdf.js";
import { createPortalService } from "../../server/modules/portal/service.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A notice PDF is a few hundred KB; a file far larger is not one (and is not read whole). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

function readBounded(path: string): Buffer {
  if (!existsSync(path)) throw new CliError({ file: path }, bilingual("文件不存在", "no such file"));
  const bytes = readFileSync(path);
  if (bytes.length > MAX_FILE_BYTES)
    throw new CliError({ file: path }, bilingual("文件过大", "file too large"));
  return bytes;
}

const osUser = () => {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
};

/** Writes a file, refusing to replace one (a key, a signature) unless asked to. */
function writeNew(path: string, content: string | Buffer, mode?: number) {
  try {
    writeFileSync(path, content, { flag: "wx", ...(mode ? { mode } : {}) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST")
      throw new CliError({ file: path }, bilingual("文件已存在，不会覆盖", "file exists; not overwritten"));
    throw e;
  }
}

/**
 * kaohe notice pdf ID [--lang zh-CN|en] [--out FILE] [--sign KEY]: a notice's PDF from the service's
 * database, made and recorded as the office's download is (docs/portal.md), optionally signed.
 */
export async function runNoticePdf({
  positionals,
  values,
  lang,
  out,
  env,
}: CommandContext<{ out?: string; sign?: string; "pdf-lang": string }>): Promise<number> {
  const id = positionals[0]!;
  if (!UUID.test(id)) throw new CliError({}, bilingual("公示编号应为 UUID", "the notice id is a UUID"), 2);
  const pdfLang = values["pdf-lang"];
  if (pdfLang !== "zh-CN" && pdfLang !== "en")
    throw new CliError({}, bilingual("--pdf-lang 只能是 zh-CN 或 en", "--pdf-lang must be zh-CN or en"), 2);
  const key = values.sign ? readFileSync(values.sign, "utf8") : undefined;
  const file = values.out ?? `notice-${id}${pdfLang === "en" ? "-en" : ""}.pdf`;
  const config = loadConfig(env);
  setAuditKey(readAuditKey(config.auditKey)); // a first making is audited, sealed with the key
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const written = await writeNoticePdf(database.db, {
      id,
      lang: pdfLang,
      file,
      key,
      actor: `command line (${osUser()})`,
    });
    out(`${file}\nSHA-256 ${written.sha256}\nSM3     ${written.sm3}`);
    if (written.signature)
      out(lang === "zh-CN" ? `签名：${written.signature}` : `signature: ${written.signature}`);
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * Writes a notice's PDF (and, given the office's private key, its detached signature FILE.sig) from a
 * database, made and recorded as the office's download is.
 */
export async function writeNoticePdf(
  db: Database,
  props: { id: string; lang: Lang; file: string; key?: string | undefined; actor: string },
) {
  const portal = createPortalService({ db, now: () => new Date() });
  const pdfs = createNoticePdfService({ db, portal });
  const pdf = await pdfs
    .pdf(props.id, props.lang, { actor: props.actor, ip: null }, false)
    .catch((e: unknown) => {
      if (e instanceof AppError) throw new CliError({}, e.messages);
      throw e;
    });
  if (!pdf)
    throw new CliError({}, bilingual(`没有编号为 ${props.id} 的公示页面`, `no notice page ${props.id}`));
  writeFileSync(props.file, pdf.content);
  const signature = props.key ? `${props.file}.sig` : undefined;
  if (signature) writeFileSync(signature, signDetached(pdf.content, props.key!));
  return { sha256: pdf.sha256, sm3: pdf.sm3, signature };
}

/** kaohe notice keygen KEY: a new Ed25519 key pair, KEY (private, 0600) and KEY.pub. */
export function runNoticeKeygen({ positionals, lang, out }: CommandContext): number {
  const path = positionals[0]!;
  const keys = generateSigningKeys();
  writeNew(path, keys.privateKey, 0o600);
  writeNew(`${path}.pub`, keys.publicKey);
  out(
    lang === "zh-CN"
      ? `私钥：${path}（由考核办妥善保管）\n公钥：${path}.pub（随 PDF 公开，用于核验签名）`
      : `private key: ${path} (for the office to keep)\npublic key: ${path}.pub (published, to verify signatures)`,
  );
  return 0;
}

/** kaohe notice sign FILE --key KEY [--out SIG]: a detached Ed25519 signature of a file. */
export function runNoticeSign({
  positionals,
  values,
  out,
}: CommandContext<{ key?: string; out?: string }>): number {
  if (!values.key) throw new CliError({}, bilingual("缺少参数 --key", "missing --key"), 2);
  const file = positionals[0]!;
  const sig = values.out ?? `${file}.sig`;
  writeFileSync(sig, signDetached(readBounded(file), readFileSync(values.key, "utf8")));
  out(sig);
  return 0;
}

/**
 * kaohe notice verify FILE SIG --key KEY.pub: whether SIG is the office key's signature of exactly
 * FILE's bytes; exit 0 if so, 1 if not (with the reason).
 */
export function runNoticeVerify({
  positionals,
  values,
  lang,
  out,
  err,
}: CommandContext<{ key?: string }>): number {
  if (!values.key)
    throw new CliError(
      {},
      bilingual("缺少参数 --key（考核办的公钥）", "missing --key (the office's public key)"),
      2,
    );
  const [file, sig] = positionals as [string, string];
  const result = verifyDetached(
    readBounded(file),
    readBounded(sig).toString("utf8"),
    readFileSync(values.key, "utf8"),
  );
  if (result.ok) {
    out(
      lang === "zh-CN"
        ? `签名有效：${basename(file)} 由该公钥签名，未被改动`
        : `valid: ${basename(file)} was signed by this key and is unchanged`,
    );
    return 0;
  }
  const why = {
    malformed: bilingual("签名文件格式不对", "not a kaohe signature file"),
    "other-key": bilingual("签名不是由该公钥对应的私钥所签", "signed by another key"),
    "other-file": bilingual(
      "文件与签名时的文件不同（已被改动或不是同一文件）",
      "the file is not the one signed (changed, or another file)",
    ),
    "bad-signature": bilingual("签名无效（被篡改）", "the signature does not verify (forged or damaged)"),
  }[result.reason];
  err(lang === "zh-CN" ? `签名无效：${why["zh-CN"]}` : `invalid: ${why.en}`);
  return 1;
}
