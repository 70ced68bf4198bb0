import { dataScriptTypes, frameElements, linkAttributes, resourceAttributes } from "./elements.js";
import { excerpt, type Finding } from "./finding.js";
import { attr, attrPlace, describe, type Element, placeOf } from "./tree.js";
import { judgeUrl } from "./urls.js";

type Hosts = ReadonlySet<string>;

const finding = (
  code: Finding["code"],
  el: Element,
  name: string | undefined,
  zh: string,
  en: string,
): Finding => ({
  code,
  ...(name ? attrPlace(el, name) : placeOf(el)),
  element: describe(el, name),
  reason: { "zh-CN": zh, en },
});

/** A <script>: one from another host, or any inline code (a published page runs none of its own). */
function script(el: Element, hosts: Hosts): Finding[] {
  const src = attr(el, "src");
  if (src !== undefined) {
    const v = judgeUrl(src, hosts);
    if (v.kind === "other-host")
      return [
        finding(
          "script",
          el,
          "src",
          `引用其他网站（${v.host}）的脚本`,
          `a script from another host (${v.host})`,
        ),
      ];
    if (v.kind !== "local")
      return [
        finding("script", el, "src", `以 ${v.kind}: 网址加载的脚本`, `a script loaded from a ${v.kind}: URL`),
      ];
    return [];
  }
  const type = (attr(el, "type") ?? "").trim().toLowerCase();
  const code = el.childNodes.map((t) => ("value" in t ? t.value : "")).join("");
  if (dataScriptTypes.has(type) || code.trim() === "") return [];
  return [
    finding(
      "script",
      el,
      undefined,
      `内嵌脚本：${excerpt(code, 60)}`,
      `an inline script: ${excerpt(code, 60)}`,
    ),
  ];
}

/** The URL attributes of an element: links and loaded resources on other hosts, script and data URLs. */
function urls(el: Element, hosts: Hosts): Finding[] {
  const out: Finding[] = [];
  const check = (names: readonly string[] | undefined, code: "external-link" | "external-resource") => {
    for (const name of names ?? []) {
      const value = attr(el, name);
      if (value === undefined) continue;
      const v = judgeUrl(value, hosts);
      if (v.kind === "other-host")
        out.push(
          code === "external-link"
            ? finding(code, el, name, `指向其他网站（${v.host}）的链接`, `a link to another host (${v.host})`)
            : finding(
                code,
                el,
                name,
                `从其他网站（${v.host}）加载内容`,
                `loads content from another host (${v.host})`,
              ),
        );
      else if (v.kind === "script")
        out.push(
          finding(
            "script",
            el,
            name,
            "javascript: 网址（点击即运行脚本）",
            "a javascript: URL (runs a script)",
          ),
        );
      else if (v.kind === "data" && code === "external-link")
        out.push(
          finding(
            code,
            el,
            name,
            "data: 网址链接（内容藏在链接里）",
            "a data: URL link (content hidden in the link)",
          ),
        );
    }
  };
  check(linkAttributes[el.tagName], "external-link");
  check(resourceAttributes[el.tagName], "external-resource");
  return out;
}

/** Everything checked on one element itself (its content is checked by the scan). */
export function checkElement(el: Element, hosts: Hosts): Finding[] {
  const out: Finding[] = [];
  if (el.tagName === "script") out.push(...script(el, hosts));
  if (frameElements.has(el.tagName)) {
    const name = ["src", "data"].find((a) => attr(el, a) !== undefined);
    out.push(
      finding(
        "iframe",
        el,
        name,
        `嵌入的框架或对象 <${el.tagName}>`,
        `an embedded frame or object <${el.tagName}>`,
      ),
    );
  }
  if (el.tagName === "meta" && (attr(el, "http-equiv") ?? "").trim().toLowerCase() === "refresh")
    out.push(
      finding(
        "meta-refresh",
        el,
        "content",
        "meta refresh：页面会自动跳转或刷新",
        "a meta refresh: the page redirects or reloads by itself",
      ),
    );
  for (const a of el.attrs) {
    if (a.name.startsWith("on"))
      out.push(
        finding(
          "script",
          el,
          a.name,
          `事件属性 ${a.name} 中的脚本：${excerpt(a.value, 40)}`,
          `a script in the ${a.name} attribute: ${excerpt(a.value, 40)}`,
        ),
      );
  }
  out.push(...urls(el, hosts));
  return out;
}
