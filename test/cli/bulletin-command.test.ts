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
    expect(html).not.toMatch(/<script|R&D/);
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
      err: 'facts.csv: row 4, column value: "高" is not a number',
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
    expect((await cli(["bulletin", "--data", facts])).code).toBe(2);
    expect((await cli([...args, "--format", "pdf"])).code).toBe(2);
  });
});
