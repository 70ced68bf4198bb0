import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { importFiles } from "../../db/schema/index.js";
import { notFound } from "../../errors.js";

/** A file sent to import, as kept while its job runs. */
export interface ImportFile {
  filename: string;
  kind: "xlsx" | "csv";
  content: Buffer;
}

/**
 * The files of the office's import jobs, kept in a table while the job runs (so that the job's params
 * hold only the file's id, not its rows) and deleted when it ends.
 */
export function createImportFileStore(db: Database) {
  return {
    async add(planId: string, file: ImportFile, uploadedBy: string): Promise<string> {
      const [row] = await db
        .insert(importFiles)
        .values({
          planId,
          filename: file.filename,
          contentType: file.kind,
          size: file.content.length,
          sha256: createHash("sha256").update(file.content).digest("hex"),
          content: file.content,
          uploadedBy,
        })
        .returning({ id: importFiles.id });
      return row!.id;
    },

    async get(id: string): Promise<ImportFile> {
      const [row] = await db.select().from(importFiles).where(eq(importFiles.id, id));
      if (!row) throw notFound("导入文件不存在", "import file not found");
      return {
        filename: row.filename,
        kind: row.contentType === "xlsx" ? "xlsx" : "csv",
        content: row.content,
      };
    },

    async remove(id: string, tx: Database = db): Promise<void> {
      await tx.delete(importFiles).where(eq(importFiles.id, id));
    },
  };
}

export type ImportFileStore = ReturnType<typeof createImportFileStore>;
