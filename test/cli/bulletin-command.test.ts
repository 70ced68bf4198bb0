import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../helpers/run-cli.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "bulletins");
const facts = join(fixtures, "facts.csv");
const history = join(fixtures, "history.csv");
const meta = join(fixtures, "meta.json");
const dir = mkdtempSync(join(tmpdir(), "kaohe-bulletin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const args = ["bulletin", "--data", facts, "--history", history, "--meta", meta];

describe("kaohe bulletin", () => {
  it("drafts the seed's bulletin as Markdown, Chinese first, each sentence's facts as a footnote", async () => {
    const r = await cli(args, "zh-CN");
    expect(r.code).toBe(0);
    const [zh, en] = r.out.split("\n---\n");
    expect(zh).toContain(
      "# 喜报！市科技局荣获2022年度目标责任制考核优秀单位及人才工作目标责任制考核优胜单位！",
    );
    expect(zh).toContain("全社会R&D经费占GDP比重2.87%，十年来首次由第五位提升至第四位[^z2]；");
    expect(zh).toContain("[^z2]: F01.value = 2.87; F01.rank(2022) = 4; F01.rank(2021) = 5;");
    expect(zh).toContain("## （三）科技人才引进培育");
    expect(en).toContain(
      "Gross R&D expenditure as share of GDP: 2.87%, up from fifth to fourth in the province, its best in ten years[^e2]",
    );
  });

  it("--format json: the bulletin with every sentence's facts; html: escaped, facts on hover", async () => {
    const json = JSON.parse((await cli([...args, "--format", "json"])).out);
    expect(json.highlights[1]).toEqual({
      "zh-CN": "规上工业研发费用占营业收入比重3.8%，全省第一位",
      en: "R&D spending of industrial firms above designated size as share of revenue: 3.8%, first in the province",
      facts: [
        { id: "F02", field: "value", value: 3.8 },
        { id: "F02", field: "rank", value: 1, year: 2022 },
      ],
    });
    const html = (await cli([...args, "--format", "html"])).out;
    expect(html).toContain('<span class="fact" title="F02.value = 3.8; F02.rank(2022) = 1"');
    expect(html).toContain("全社会R&amp;D经费占GDP比重2.87%");
    expect(html).not.toMatch(/R&D/);
  });

  it("--format html escapes what the tables say: a name with <, \" and ' stays text", async () => {
    const evil = `<img src=x onerror="alert('x')">`;
    const data = join(dir, "evil.csv");
    writeFileSync(
      data,
      readFileSync(facts, "utf8").replace(
        "F02,headline,规上工业研发费用占营业收入比重,",
        `F02,headline,"${evil.replaceAll('"', '""')}",`,
      ),
    );
    const r = await cli([
      "bulletin",
      "--data",
      data,
      "--history",
      history,
      "--meta",
      meta,
      "--format",
      "html",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;3.8%");
    expect(r.out).not.toContain("<img");
    expect(r.out).not.toContain(evil);
  });

  it("names the history file and its row for a fault in the history", async () => {
    const lines = readFileSync(history, "utf8").trimEnd().split("\n");
    const bad = join(dir, "history.csv");
    // 2021 is the year before, which facts.csv's previous_rank of F01 gives.
    writeFileSync(bad, `${[...lines, "F01,2021,5"].join("\n")}\n`);
    expect(await cli([...args.slice(0, 3), "--history", bad, "--meta", meta])).toMatchObject({
      code: 1,
      err: `history.csv, row ${lines.length + 1}, column year: 2021 is the year before, whose rank is the previous_rank of the facts' row 2`,
    });
    writeFileSync(bad, readFileSync(history, "utf8").replace("F01,2015,5", "F01,2015,五"));
    const row = lines.indexOf("F01,2015,5") + 1;
    expect(await cli([...args.slice(0, 3), "--history", bad, "--meta", meta], "zh-CN")).toMatchObject({
      code: 1,
      err: `history.csv 第 ${row} 行 rank 列：“五”不是数字`,
    });
    writeFileSync(bad, "id,rank\nF01,5\n");
    expect((await cli([...args.slice(0, 3), "--history", bad, "--meta", meta])).err).toBe(
      "history.csv, row 1, column year: required column year is missing",
    );
  });

  it("names the file, row and column of bad input, and refuses bad usage", async () => {
    const bad = join(dir, "facts.csv");
    writeFileSync(
      bad,
      readFileSync(facts, "utf8").replace(
        "F03,headline,高新技术产业投资增长,Growth of high-tech industry investment,48.2",
        "F03,headline,高新技术产业投资增长,Growth of high-tech industry investment,高",
      ),
    );
    expect(await cli(["bulletin", "--data", bad, "--meta", meta])).toMatchObject({
      code: 1,
      err: 'facts.csv, row 4, column value: "高" is not a number',
    });
    // A blank line moves the rows down: the row named is the file's line.
    const gap = join(dir, "gap.csv");
    writeFileSync(gap, readFileSync(bad, "utf8").replace("\nF02,", "\n\nF02,"));
    expect((await cli(["bulletin", "--data", gap, "--meta", meta])).err).toBe(
      'gap.csv, row 5, column value: "高" is not a number',
    );
    const noKind = join(dir, "no-kind.csv");
    writeFileSync(noKind, readFileSync(facts, "utf8").replace(/,kind,quote\n/, ",type,quote\n"));
    expect(await cli(["bulletin", "--data", noKind, "--meta", meta])).toMatchObject({
      code: 1,
      err: "no-kind.csv, row 1, column kind: required column kind is missing",
    });
    const badMeta = join(dir, "meta.json");
    writeFileSync(badMeta, JSON.stringify({ ...JSON.parse(readFileSync(meta, "utf8")), date: "2023-02-30" }));
    expect(await cli([...args.slice(0, 5), "--meta", badMeta])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^meta\.json: date: /),
    });
    const big = join(dir, "big.csv");
    writeFileSync(big, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    expect(await cli(["bulletin", "--data", big, "--meta", meta])).toMatchObject({
      code: 1,
      err: `${big}: larger than 4194304 bytes: not one unit's data`,
    });
    expect(await cli(["bulletin", "--data", join(dir, "none.csv"), "--meta", meta])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/none\.csv: cannot read file \(ENOENT/),
    });
    expect((await cli(["bulletin", "--data", facts])).code).toBe(2);
    expect((await cli([...args, "--format", "pdf"])).code).toBe(2);
  });
});
