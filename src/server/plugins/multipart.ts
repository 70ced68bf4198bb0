import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError, appError } from "../errors.js";

/** A form's one file: its bytes (at most the limit plus one byte: `truncated` says it was cut there). */
export interface FormFile {
  body: Buffer;
  filename: string;
  type: string;
  truncated: boolean;
}

/**
 * Lets a plugin's routes also take `multipart/form-data` (the browser's natural form for a file): one
 * file of at most `maxBytes` (a larger one arrives cut at `maxBytes + 1`, so that the route's own check
 * names the limit), and a few small fields.
 */
export async function acceptForms(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: maxBytes + 1, files: 1, fields: 10, parts: 11, fieldSize: 1024, headerPairs: 100 },
  });
}

const tooManyParts = () =>
  new AppError(
    413,
    "FORM_TOO_LARGE",
    { "zh-CN": "表单只能包含一个文件和少量字段", en: "a form carries one file and a few fields" },
    "file",
  );

/** The one file a multipart request carries; a second file, too many fields or a broken form is refused. */
export async function readFormFile(request: FastifyRequest): Promise<FormFile> {
  let file: FormFile | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== "file") continue;
      if (file) throw tooManyParts();
      const body = await part.toBuffer();
      file = { body, filename: part.filename, type: part.mimetype, truncated: part.file.truncated };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === "FST_FILES_LIMIT" || code === "FST_FIELDS_LIMIT" || code === "FST_PARTS_LIMIT")
      throw tooManyParts();
    throw appError(400, "FORM_INVALID", "表单格式错误", "malformed form data", "file");
  }
  if (!file) throw appError(400, "FORM_INVALID", "表单中没有文件", "the form carries no file", "file");
  // The name is text the database keeps (as the query's filename would be, which the request check covers).
  if (file.filename.includes("\u0000"))
    throw appError(
      400,
      "NUL_CHARACTER",
      "文件名中含有 NUL 字符（\\u0000），不予接受",
      "the file name contains a NUL character (\\u0000), which is not accepted",
      "filename",
    );
  return file;
}

/** An uploaded file as a route receives it: the raw body with its own content type, or a form's one file. */
export interface Upload {
  /** Undefined when the body was not a file (the caller's check says so, after its own access checks). */
  data: Buffer | undefined;
  declared: string;
  /** The query's name, else the form file's; undefined when neither gives one. */
  filename: string | undefined;
}

/** Reads an upload either way it may come (every upload route takes both); `filename` from the query wins. */
export async function readUpload(request: FastifyRequest, filename?: string): Promise<Upload> {
  if (request.isMultipart()) {
    // A larger file arrives cut one byte past the limit, so the service's check names the limit.
    const file = await readFormFile(request);
    return { data: file.body, declared: file.type, filename: filename ?? (file.filename || undefined) };
  }
  return {
    data: Buffer.isBuffer(request.body) ? request.body : undefined,
    declared: String(request.headers["content-type"] ?? ""),
    filename,
  };
}

/** The name a stored file is kept under: required, at most 255 characters. */
export function uploadFilename(filename: string | undefined): string {
  if (!filename || filename.length > 255)
    throw appError(
      400,
      "FILENAME",
      "请给出文件名（最多 255 个字符）",
      "give the file name (at most 255 characters)",
      "filename",
    );
  return filename;
}
