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
