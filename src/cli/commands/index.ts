import { ENGINE_VERSION } from "../../engine/version.js";
import { type Group, leaf, type Text } from "../command.js";

/*
 * Every command of the CLI, declared once: what it is for, how it is called, its options and
 * arguments, and the function that runs it (loaded only then). `kaohe --help`, `kaohe <group> --help`
 * and `kaohe <command> --help` are all made from these entries, so a new command is one entry here
 * (and its run function): its help, its place in the lists and its --help test come with it.
 */

const file: Text = { "zh-CN": "文件", en: "FILE" };

export const head: Text = {
  "zh-CN": `kaohe ${ENGINE_VERSION} — 目标责任制考核与综合指标评价`,
  en: `kaohe ${ENGINE_VERSION} — target-responsibility assessment and composite-indicator scoring`,
};

/** The options every command takes, shown at the end of the top-level help. */
export const common: Text = {
  "zh-CN": `快速体验：kaohe serve --demo（空数据库时载入演示年度的方案、数据、公示、喜报和各角色演示账号）
通用参数：--help（-h）帮助；--version 版本；--lang zh-CN|en 界面语言（也可设 KAOHE_LANG），
          可放在任何位置，如 kaohe --lang en --help、kaohe --lang en score …`,
  en: `to try it: kaohe serve --demo (on an empty database, loads the demo year's plans, data, notices, bulletin and accounts)
common options: --help (-h); --version; --lang zh-CN|en (or KAOHE_LANG), anywhere on the line,
                e.g. kaohe --lang en --help, kaohe --lang en score ...`,
};

export const commands: Group = {
  summary: head,
  subcommands: {
    serve: leaf({
      summary: {
        "zh-CN": "启动考核服务（HTTP API；嵌入式 PGlite 或 DATABASE_URL 指定的 PostgreSQL）",
        en: "start the assessment service (HTTP API; embedded PGlite, or PostgreSQL via DATABASE_URL)",
      },
      usage: { "zh-CN": "kaohe serve [--port N] [--demo]", en: "kaohe serve [--port N] [--demo]" },
      details: {
        "zh-CN": `  --port   端口（也可设 PORT，默认 3000）；HOST 默认 127.0.0.1
  --demo   空数据库时载入演示年度（examples/demo-2022：2022年度两项考核的数据、审核、计分、公示、异议、定稿、
           喜报，以及可填报的2023年度方案）和各角色演示账号
数据库：默认使用嵌入式 PGlite，数据目录为 KAOHE_DATA_DIR（默认 ./data）；设置 DATABASE_URL 则使用 PostgreSQL。
启动时自动执行数据库迁移；空数据库首次启动时创建系统、安全、审计三个管理员账号并打印一次性密码（首次登录须修改）。
接口文档：/api/docs`,
        en: `  --port   port (or PORT, default 3000); HOST defaults to 127.0.0.1
  --demo   on an empty database, load the demo year (examples/demo-2022: the two 2022 assessments reported,
           reviewed, scored, under notice, objected to, final, a bulletin; the 2023 plan open for entry)
           and one demo account per role
Database: embedded PGlite in KAOHE_DATA_DIR (default ./data), or PostgreSQL when DATABASE_URL is set.
Migrations are applied at start-up; on an empty database the first start creates the system, security and
audit administrators and prints their one-time passwords (to be changed at first sign-in).
API documentation: /api/docs`,
      },
      options: { port: { type: "string" }, demo: { type: "boolean", default: false } },
      run: async (ctx) => (await import("./serve.js")).runServe(ctx),
    }),
    db: {
      summary: { "zh-CN": "数据库", en: "the database" },
      subcommands: {
        migrate: leaf({
          summary: {
            "zh-CN": "执行数据库迁移（PGlite 数据目录 KAOHE_DATA_DIR，或 DATABASE_URL）",
            en: "apply the migrations (PGlite in KAOHE_DATA_DIR, or DATABASE_URL)",
          },
          usage: { "zh-CN": "kaohe db migrate", en: "kaohe db migrate" },
          run: async (ctx) => (await import("./db.js")).runMigrate(ctx),
        }),
      },
    },
    audit: {
      summary: { "zh-CN": "审计日志", en: "the audit trail" },
      subcommands: {
        verify: leaf({
          summary: {
            "zh-CN":
              "逐条校验审计日志（哈希链、密钥 HMAC 链、计分与公示结果的内容哈希），指出第一条出错的记录",
            en: "check the audit trail (hash chains, keyed MACs, runs' and published views' hashes) and name the first entry at fault",
          },
          usage: {
            "zh-CN": "kaohe audit verify [--checkpoint 文件]",
            en: "kaohe audit verify [--checkpoint FILE]",
          },
          details: {
            "zh-CN": `  --checkpoint  检查点文件（kaohe audit checkpoint 写出）：还校验日志仍包含该条且未被改动
审计密钥：KAOHE_AUDIT_KEY 或 KAOHE_AUDIT_KEY_FILE（嵌入式数据库默认为数据目录旁的 .audit-key 文件）`,
            en: `  --checkpoint  a checkpoint file (from kaohe audit checkpoint): also check the trail still holds that entry unchanged
The audit key: KAOHE_AUDIT_KEY or KAOHE_AUDIT_KEY_FILE (the embedded database's default: <data dir>.audit-key)`,
          },
          options: { checkpoint: { type: "string" } },
          run: async (ctx) => (await import("./db.js")).runAuditVerify(ctx),
        }),
        checkpoint: leaf({
          summary: {
            "zh-CN": "把校验通过的日志链尾写成检查点文件，由审计管理员保存在数据库之外",
            en: "write the verified trail's head as a checkpoint file for the audit administrator to keep outside the database",
          },
          usage: { "zh-CN": "kaohe audit checkpoint 文件", en: "kaohe audit checkpoint FILE" },
          args: [{ name: file, required: true }],
          run: async (ctx) => (await import("./db.js")).runAuditCheckpoint(ctx),
        }),
      },
    },
    backup: leaf({
      summary: {
        "zh-CN": "备份数据库（一致性快照，gzip 压缩的 JSON；PGlite 与 PostgreSQL 通用）",
        en: "back up the database (a consistent snapshot as gzipped JSON; PGlite and PostgreSQL alike)",
      },
      usage: { "zh-CN": "kaohe backup 文件", en: "kaohe backup FILE" },
      args: [{ name: file, required: true }],
      run: async (ctx) => (await import("./db.js")).runBackup(ctx),
    }),
    restore: leaf({
      summary: {
        "zh-CN": "恢复到空数据库（全部成功或全部不写入），并校验审计日志哈希链",
        en: "restore into an empty database (all or nothing), then verify the audit chain",
      },
      usage: { "zh-CN": "kaohe restore 文件", en: "kaohe restore FILE" },
      args: [{ name: file, required: true }],
      run: async (ctx) => (await import("./db.js")).runRestore(ctx),
    }),
    users: {
      summary: { "zh-CN": "账号（在服务器本机执行）", en: "accounts (run on the server itself)" },
      subcommands: {
        unlock: leaf({
          summary: {
            "zh-CN": "解除账号的全部登录限制（各来源地址的和账号整体的），记入审计日志",
            en: "lift every sign-in throttle on an account (per address and account-wide), audited",
          },
          usage: { "zh-CN": "kaohe users unlock 用户名", en: "kaohe users unlock NAME" },
          details: {
            "zh-CN":
              "数据库：PGlite 数据目录 KAOHE_DATA_DIR，或 DATABASE_URL。安全管理员自己被限制时的恢复途径。",
            en: "The database: PGlite in KAOHE_DATA_DIR, or DATABASE_URL. The way back in when the security\nadministrator is the one held back.",
          },
          args: [{ name: { "zh-CN": "用户名", en: "NAME" }, required: true }],
          run: async (ctx) => (await import("./users.js")).runUsersUnlock(ctx),
        }),
      },
    },
    score: leaf({
      summary: {
        "zh-CN": "按考核方案计分、分类排名、评定等次，可解释每一分的来历",
        en: "score an assessment plan, rank within categories, grade, and explain every point",
      },
      usage: {
        "zh-CN": `kaohe score --plan plan.json --data values.csv [--out results.csv | --format json] [--explain 单位]
                  [--overrides overrides.csv] [--office 汇总部门]`,
        en: `kaohe score --plan plan.json --data values.csv [--out results.csv | --format json] [--explain UNIT]
                   [--overrides overrides.csv] [--office OFFICE]`,
      },
      details: {
        "zh-CN": `  --plan       考核方案（kaohe-plan/1 格式，见 kaohe plan schema）
  --data       长表数据：unit（单位）、indicator（指标）、period（期间）、value（数值），可选 source、level、ref、reviewer；
               支持 .csv 和 .xlsx
  --out        写入文件（不给则输出到标准输出）
  --format     csv（默认：每个单位一行，含总分、加减分、名次、等次及每个指标得分）或 json（含完整计分过程）
  --explain    打印某个单位每一项得分的来历
  --overrides  调整等次：unit、grade、reason（必须写明理由），结果中同时保留按规则的等次
  --office     只输出某个汇总部门（方案的 offices）汇总的单位；方案有 offices 时结果含 office、officeRank 列`,
        en: `  --plan       the assessment plan (kaohe-plan/1; see kaohe plan schema)
  --data       long-form data: unit, indicator, period, value [, source, level, ref, reviewer]; .csv or .xlsx
  --out        write to this file (default: standard output)
  --format     csv (default: one row per unit with total, bonus, penalty, rank, grade and every node's points)
               or json (everything, with the full trace of every score)
  --explain    print where every point of one unit came from
  --overrides  forced grades: unit, grade, reason (required); the grade by the rules is kept beside it
  --office     only the units this office collects (the plan's offices); with offices the results carry
               office and officeRank columns`,
      },
      options: {
        plan: { type: "string" },
        data: { type: "string" },
        out: { type: "string" },
        format: { type: "string", default: "csv" },
        explain: { type: "string" },
        overrides: { type: "string" },
        office: { type: "string" },
      },
      run: async (ctx) => (await import("./score.js")).runScore(ctx),
    }),
    sensitivity: leaf({
      summary: {
        "zh-CN": "蒙特卡洛不确定性与敏感性分析：名次区间、等次概率、敏感性指数",
        en: "Monte Carlo uncertainty and sensitivity: rank bands, grade probabilities, indices",
      },
      usage: {
        "zh-CN": `kaohe sensitivity --plan plan.json --data values.csv [--runs 1000] [--seed 1] [--weights 0.25]
                        [--normalisers] [--aggregation arithmetic,geometric] [--no-drop] [--no-indices]
                        [--workers N] [--out 文件] [--format csv|json]`,
        en: `kaohe sensitivity --plan plan.json --data values.csv [--runs 1000] [--seed 1] [--weights 0.25]
                         [--normalisers] [--aggregation arithmetic,geometric] [--no-drop] [--no-indices]
                         [--workers N] [--out FILE] [--format csv|json]`,
      },
      details: {
        "zh-CN": `  --runs         基础样本数 N（默认 1000）；计算敏感性指数时共评估 N ×（输入数 + 2）次（Saltelli 设计）
  --seed         随机数种子（默认 1），同一种子结果完全相同
  --weights      各节点权重的相对扰动幅度（均匀分布 ±，默认 0.25；0 表示不扰动；可按层级给出，如 0.1,0.2,0.3）
  --normalisers  相对评价规则在其 alternatives 标准化方法之间切换
  --aggregation  汇总方法在所列方法之间切换
  --no-drop      不做"逐一去掉一个指标"的检验（默认做）
  --no-indices   只做不确定性分析，不计算一阶和总敏感性指数
  --workers      并行线程数（默认 CPU 核数）
输出每个单位的名义名次、名次中位数、5% 和 95% 分位、各等次的概率（等次稳定性），以及每个输入的一阶和总敏感性指数。
在终端上显示进度条，管道输出时不显示。`,
        en: `  --runs         base sample size N (default 1000); with indices the plan is evaluated N x (inputs + 2) times
                 (Saltelli design)
  --seed         random seed (default 1): the same seed gives the same result
  --weights      relative noise on every node's weight (uniform +-, default 0.25; 0 = none; or one per level
                 of the tree, top first, e.g. 0.1,0.2,0.3)
  --normalisers  switch relative rules between their alternative normalisers
  --aggregation  switch every parent between these aggregation methods
  --no-drop      do not drop one indicator at a time (done by default)
  --no-indices   uncertainty only: no first-order and total sensitivity indices
  --workers      threads (default: the number of cores)
Prints per unit the nominal rank, median, 5th and 95th percentile rank and the probability of each grade,
and per input its first-order and total sensitivity index. A progress bar shows on a terminal only.`,
      },
      options: {
        plan: { type: "string" },
        data: { type: "string" },
        runs: { type: "string", default: "1000" },
        seed: { type: "string", default: "1" },
        weights: { type: "string", default: "0.25" },
        normalisers: { type: "boolean", default: false },
        aggregation: { type: "string" },
        "no-drop": { type: "boolean", default: false },
        "no-indices": { type: "boolean", default: false },
        workers: { type: "string" },
        out: { type: "string" },
        format: { type: "string", default: "csv" },
      },
      run: async (ctx) => (await import("./sensitivity.js")).runSensitivityCommand(ctx),
    }),
    portal: {
      summary: { "zh-CN": "公开门户网站", en: "the public portal" },
      subcommands: {
        check: leaf({
          summary: {
            "zh-CN":
              "检查公开页面是否被篡改（外站链接、脚本、框架、隐藏内容、自动跳转、赌博色情用语、垃圾标签）",
            en: "check public pages for tampering (other-host links, scripts, frames, hidden content, redirects, gambling and porn terms, junk tags)",
          },
          usage: {
            "zh-CN": `kaohe portal check [--base 网址]… [--max-pages 200] [--format text|json]
      kaohe portal check --file 页面.html… [--host 主机]… [--format text|json]`,
            en: `kaohe portal check [--base URL]... [--max-pages 200] [--format text|json]
       kaohe portal check --file PAGE.html... [--host HOST]... [--format text|json]`,
          },
          details: {
            "zh-CN": `  --base       从该网址（默认 http://127.0.0.1:3000/portal，可给多个）读取页面，并沿同一网站内的链接继续读取；
               外站链接不跟随。每页不超过 5 MB、10 秒，总计不超过 --max-pages 页、120 秒；
               公示页面的正文还与发布时记录的哈希比对
  --file       检查保存下来的页面文件（可给多个；每个不超过 5 MB；按 BOM、meta charset 识别编码，如 GBK）
  --host       本站主机名（如 www.example.gov.cn），指向它的链接不算外站链接；--base 的主机自动算作本站
  --format     text（默认：每处可疑内容一行，含行:列、类别、元素和原因）或 json
发现任何可疑内容、有页面未能检查或因上限未检查时退出码为 1；全部通过为 0。词表与各项规则见 docs/portal-check.md`,
            en: `  --base       fetch pages from this URL (default http://127.0.0.1:3000/portal; may be repeated) and the pages they
               link to on the same site; links to other hosts are not followed. At most 5 MB and 10 s a page,
               --max-pages pages and 120 s in all; a notice page's article is also compared with the hash
               recorded at its publication
  --file       check saved page files (may be repeated; up to 5 MB each; encoding from the BOM or meta charset, e.g. GBK)
  --host       the site's own host (e.g. www.example.gov.cn): links to it are not other-host links; --base's
               hosts count as the site's own
  --format     text (default: one line per finding with line:column, kind, element and reason) or json
Exit code 1 on any finding, on a page that could not be checked or was left out by a limit; 0 when all pass.
The word list and every rule: docs/portal-check.md`,
          },
          options: {
            file: { type: "string", multiple: true },
            base: { type: "string", multiple: true },
            host: { type: "string", multiple: true },
            "max-pages": { type: "string" },
            format: { type: "string", default: "text" },
          },
          run: async (ctx) => (await import("./portal.js")).runPortalCheck(ctx),
        }),
      },
    },
    notice: {
      summary: { "zh-CN": "结果公示的 PDF 版与签名", en: "results notices as PDF, and their signatures" },
      subcommands: {
        pdf: leaf({
          summary: {
            "zh-CN": "从服务的数据库取出公示的 PDF（首次取出时生成并记录哈希，与考核办下载的相同）",
            en: "a notice's PDF from the service's database (made and its hashes recorded the first time, as the office's download)",
          },
          usage: {
            "zh-CN": "kaohe notice pdf 公示编号 [--pdf-lang zh-CN|en] [--out 文件] [--sign 私钥]",
            en: "kaohe notice pdf ID [--pdf-lang zh-CN|en] [--out FILE] [--sign KEY]",
          },
          details: {
            "zh-CN": `  --pdf-lang  PDF 的语言（默认 zh-CN）
  --out       写入文件（默认 notice-编号.pdf）；打印其 SHA-256 和 SM3
  --sign      用考核办的 Ed25519 私钥（kaohe notice keygen）签名，写出 文件.sig
数据库：PGlite 数据目录 KAOHE_DATA_DIR，或 DATABASE_URL；需要 fonts-noto-cjk。见 docs/portal.md`,
            en: `  --pdf-lang  the PDF's language (default zh-CN)
  --out       write to this file (default notice-ID.pdf); prints its SHA-256 and SM3
  --sign      sign with the office's Ed25519 private key (kaohe notice keygen), writing FILE.sig
The database: PGlite in KAOHE_DATA_DIR, or DATABASE_URL; needs fonts-noto-cjk. See docs/portal.md`,
          },
          args: [{ name: { "zh-CN": "公示编号", en: "ID" }, required: true }],
          options: {
            "pdf-lang": { type: "string", default: "zh-CN" },
            out: { type: "string" },
            sign: { type: "string" },
          },
          run: async (ctx) => (await import("./notice.js")).runNoticePdf(ctx),
        }),
        keygen: leaf({
          summary: {
            "zh-CN": "生成考核办的 Ed25519 签名密钥：私钥（权限 0600，妥善保管）和公钥 .pub",
            en: "make the office's Ed25519 signing keys: the private key (mode 0600, kept safe) and KEY.pub",
          },
          usage: { "zh-CN": "kaohe notice keygen 私钥文件", en: "kaohe notice keygen KEY" },
          args: [{ name: { "zh-CN": "私钥文件", en: "KEY" }, required: true }],
          run: async (ctx) => (await import("./notice.js")).runNoticeKeygen(ctx),
        }),
        sign: leaf({
          summary: {
            "zh-CN": "用考核办的私钥对文件做分离签名（Ed25519），写出 文件.sig",
            en: "sign a file with the office's private key (a detached Ed25519 signature, FILE.sig)",
          },
          usage: {
            "zh-CN": "kaohe notice sign 文件 --key 私钥 [--out 签名文件]",
            en: "kaohe notice sign FILE --key KEY [--out SIG]",
          },
          args: [{ name: file, required: true }],
          options: { key: { type: "string" }, out: { type: "string" } },
          run: async (ctx) => (await import("./notice.js")).runNoticeSign(ctx),
        }),
        verify: leaf({
          summary: {
            "zh-CN": "核验分离签名：文件是否由该公钥签名且未被改动（有效退出码 0，否则 1）",
            en: "check a detached signature: was this exact file signed by this key (exit 0 if so, else 1)",
          },
          usage: {
            "zh-CN": "kaohe notice verify 文件 签名文件 --key 公钥",
            en: "kaohe notice verify FILE SIG --key KEY.pub",
          },
          args: [
            { name: file, required: true },
            { name: { "zh-CN": "签名文件", en: "SIG" }, required: true },
          ],
          options: { key: { type: "string" } },
          run: async (ctx) => (await import("./notice.js")).runNoticeVerify(ctx),
        }),
      },
    },
    bulletin: leaf({
      summary: {
        "zh-CN": "由考核结果起草喜报/通报（中英文，每句注明所依据的数据）",
        en: "draft a bulletin (喜报/通报) from results, in Chinese and English, every sentence with its facts",
      },
      usage: {
        "zh-CN":
          "kaohe bulletin --plan 方案 --unit 单位 [--run 计分结果] [--format md|html|json]\n       kaohe bulletin --data facts.csv [--history history.csv] --meta meta.json [--format md|html|json]",
        en: "kaohe bulletin --plan PLAN --unit UNIT [--run RUN] [--format md|html|json]\n       kaohe bulletin --data facts.csv [--history history.csv] --meta meta.json [--format md|html|json]",
      },
      details: {
        "zh-CN": `  --plan     服务数据库中的考核方案（id 或代码；DATABASE_URL，或 KAOHE_DATA_DIR 的嵌入式数据库）
  --unit     单位代码
  --run      计分结果的 id（默认：当前公示所依据的结果，否则最近一次计分）
  --data     一个单位的结果表（列：id、section、indicator_zh、indicator_en、value、unit、change、
             provincial_rank、previous_rank、kind），section 为 result 的行是考核等次
  --history  往年名次（列：id、year、rank），用于“N年来首次”
  --meta     单位名称、发布日期、信息来源、指标分组标题、等次英文名及是否为表彰等次（JSON）
  --format   md（默认：中文在前，英文在后，每句以脚注注明数据）、html 或 json（每句的 facts 列表）
只说数据支持的话：名次前三、名次上升、历史最好才写名次；未实现的加分项、位次下降不写。格式见 docs/bulletins.md`,
        en: `  --plan     a plan in the service's database (id or code; DATABASE_URL, or the embedded KAOHE_DATA_DIR)
  --unit     the unit's code
  --run      a scoring run's id (default: the run of the publication in force, else the latest run)
  --data     one unit's results (columns: id, section, indicator_zh, indicator_en, value, unit, change,
             provincial_rank, previous_rank, kind); section "result" rows are the grades
  --history  earlier years' ranks (columns: id, year, rank), for "the first time in N years"
  --meta     the unit's name, date, source, the groups' titles, the grades' English names and which are honours (JSON)
  --format   md (default: one language after the other, each sentence's facts as a footnote), html, or json
             (every sentence's facts list)
Says only what the data support: a rank only when top three, risen, or the best in years; bonus items
not achieved and falls are left out. The file formats: docs/bulletins.md`,
      },
      options: {
        plan: { type: "string" },
        unit: { type: "string" },
        run: { type: "string" },
        data: { type: "string" },
        history: { type: "string" },
        meta: { type: "string" },
        format: { type: "string", default: "md" },
      },
      run: async (ctx) => (await import("./bulletin.js")).runBulletin(ctx),
    }),
    plan: {
      summary: { "zh-CN": "考核方案文件", en: "assessment plan documents" },
      subcommands: {
        validate: leaf({
          summary: {
            "zh-CN": "检查方案（格式、分值合计、类别、名额比例、引用），出错时指出具体指标",
            en: "check a plan (format, points adding up, categories, quotas, references); errors name the indicator",
          },
          usage: { "zh-CN": "kaohe plan validate plan.json", en: "kaohe plan validate plan.json" },
          args: [{ name: { "zh-CN": "方案文件路径", en: "the plan file" }, required: true }],
          run: async (ctx) => (await import("./plan.js")).runPlanValidate(ctx),
        }),
        carry: leaf({
          summary: {
            "zh-CN": "把上期计分结果中牵头部门的违规（未拉开档次）结转到下期方案：取消其评优评先资格",
            en: "carry the earlier run's lead department breaches (tied scores) into the next plan: their commendations withheld",
          },
          usage: {
            "zh-CN": "kaohe plan carry --from 上期结果.json --plan 下期方案.json [--out 文件]",
            en: "kaohe plan carry --from RESULT.json --plan NEXT.json [--out FILE]",
          },
          details: {
            "zh-CN": `  --from   上期的计分结果（kaohe score --format json 的输出，或服务端的计分结果）
  --plan   下期方案：违规的牵头部门是其考核单位时，写入其 noCommendation（注明理由和来源：上期方案、考核期、
           计分结果哈希、违规代码和指标）；方案中标为 commendation 的等次和称号不授予这些单位
  --out    写入文件（不给则输出到标准输出）
不是下期方案考核单位的部门逐一列出、不结转；都不是时出错。已结转过的不重复写入。`,
            en: `  --from   the earlier run (kaohe score --format json's output, or a run from the server)
  --plan   the next plan: each breaching lead department that is one of its units goes into its
           noCommendation (with the reason and the source: the earlier plan, period, run hash, breach and
           indicator); the grades and titles the plan marks commendation are withheld from them
  --out    write to this file (default: standard output)
Departments that are not units of the next plan are listed and not carried; if none is, it is an error.
An entry already carried is not written twice.`,
          },
          options: { from: { type: "string" }, plan: { type: "string" }, out: { type: "string" } },
          run: async (ctx) => (await import("./plan-carry.js")).runPlanCarry(ctx),
        }),
        schema: leaf({
          summary: {
            "zh-CN": "输出方案格式的 JSON Schema（由代码所用的同一 zod 定义生成）",
            en: "print the JSON Schema of the plan format (generated from the zod schema the code uses)",
          },
          usage: { "zh-CN": "kaohe plan schema", en: "kaohe plan schema" },
          run: async (ctx) => (await import("./plan.js")).runPlanSchema(ctx),
        }),
      },
    },
    coin: leaf({
      summary: {
        "zh-CN": "按 COINr 约定运行综合指数流程（标准化、插补、筛选、异常值处理、归一化、汇总、排名）",
        en: "run a composite-indicator pipeline with COINr conventions (denominate, impute, screen, treat, normalise, aggregate, rank)",
      },
      usage: {
        "zh-CN":
          "kaohe coin --idata iData.csv --imeta iMeta.csv --spec spec.json --out 目录 [--format csv|json] [--ties min|dense|ordinal] [--stats]",
        en: `kaohe coin --idata iData.csv --imeta iMeta.csv --spec spec.json --out DIR [--format csv|json]
                  [--ties min|dense|ordinal] [--stats]`,
      },
      details: {
        "zh-CN": `  --idata   单位数据（uCode、uName、*_group 分组列、Time、分母列、各指标列）
  --imeta   指标元数据（Level、iCode、Parent、Direction、Weight、Type、Target、Denominator）
  --spec    流程步骤 JSON（denominate、impute、screen、treat、normalise、aggregate），见 docs/coin-pipeline.md
  --out     输出目录：每个数据集一个 CSV（Raw、Denominated、Imputed、Screened、Treated、Normalised、Aggregated），
            ranks.csv 及每个分组列的组内排名 ranks_by_<分组>.csv
  --ties    并列名次：min（默认，1,2,2,4）、dense（1,2,2,3）或 ordinal（按行序 1,2,3,4）
  --format  csv（默认）或 json（写入 目录/coin.json；不给 --out 时输出到标准输出）
  --stats   另写 stats_Raw.csv（各指标统计量）和 correlations.csv（各节点与上级的相关系数）；
            不给时不计算，大数据上省去大部分时间
出错时不写入任何文件，退出码非 0。`,
        en: `  --idata   unit data (uCode, uName, *_group columns, Time, denominators, one column per indicator)
  --imeta   indicator metadata (Level, iCode, Parent, Direction, Weight, Type, Target, Denominator)
  --spec    the steps as JSON (denominate, impute, screen, treat, normalise, aggregate); see docs/coin-pipeline.md
  --out     output folder: one CSV per dataset (Raw, Denominated, Imputed, Screened, Treated, Normalised,
            Aggregated), ranks.csv and, per group column, ranks within groups ranks_by_<group>.csv
  --ties    tied ranks: min (default, 1,2,2,4), dense (1,2,2,3) or ordinal (row order, 1,2,3,4)
  --format  csv (default) or json (DIR/coin.json, or standard output without --out)
  --stats   also write stats_Raw.csv (per-indicator statistics) and correlations.csv (each node with its
            parent); without it they are not computed, which on large data saves most of the time
On error nothing is written and the exit code is non-zero.`,
      },
      options: {
        idata: { type: "string" },
        imeta: { type: "string" },
        spec: { type: "string" },
        out: { type: "string" },
        format: { type: "string", default: "csv" },
        ties: { type: "string", default: "min" },
        stats: { type: "boolean", default: false },
      },
      run: async (ctx) => (await import("./coin.js")).runCoin(ctx),
    }),
  },
};
