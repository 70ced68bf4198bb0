import { crc32, createDeflateRaw } from "node:zlib";

/** One file of a zip: its bytes (or chunks, repeated `times`), and optionally a size to declare instead. */
export interface ZipEntry {
  name: string;
  data: Buffer | { chunk: Buffer; times: number; head?: Buffer; tail?: Buffer };
  /** A lie about the uncompressed size, written in both headers (the real size otherwise). */
  declaredSize?: number;
}

async function deflate(parts: Iterable<Buffer>): Promise<{ data: Buffer; crc: number; size: number }> {
  const out: Buffer[] = [];
  const stream = createDeflateRaw({ level: 9 });
  stream.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => stream.on("end", resolve));
  let crc = 0;
  let size = 0;
  for (const part of parts) {
    crc = crc32(part, crc);
    size += part.length;
    if (!stream.write(part)) await new Promise((resolve) => stream.once("drain", resolve));
  }
  stream.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

function* partsOf(data: ZipEntry["data"]): Generator<Buffer> {
  if (Buffer.isBuffer(data)) {
    yield data;
    return;
  }
  if (data.head) yield data.head;
  for (let i = 0; i < data.times; i++) yield data.chunk;
  if (data.tail) yield data.tail;
}

/**
 * Writes a zip (deflated entries, no data descriptors), streaming large entries through the compressor
 * so that a file which inflates to hundreds of MB never exists inflated in memory.
 */
export async function writeZip(entries: ZipEntry[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { data, crc, size } = await deflate(partsOf(entry.data));
    const name = Buffer.from(entry.name, "utf8");
    const declared = entry.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts of a one-sheet .xlsx around its sheet XML (named 填报 unless said otherwise). */
export function workbookEntries(
  sheet: ZipEntry["data"],
  options: { sheetName?: string; declaredSize?: number } = {},
) {
  const xml = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  return [
    {
      name: "[Content_Types].xml",
      data: xml(
        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      ),
    },
    {
      name: "_rels/.rels",
      data: xml(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: "xl/workbook.xml",
      data: xml(
        `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="${options.sheetName ?? "填报"}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: xml(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
    {
      name: "xl/worksheets/sheet1.xml",
      data: sheet,
      ...(options.declaredSize !== undefined ? { declaredSize: options.declaredSize } : {}),
    },
  ] satisfies ZipEntry[];
}

/** A sheet XML's opening and closing around its rows. */
export const sheetXml = {
  head: Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`,
  ),
  tail: Buffer.from("</sheetData></worksheet>"),
};

/** An inline-string cell. */
export const textCell = (ref: string, text: string) =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
