import sanitizeHtml from "sanitize-html";

/**
 * The one allow-list a bulletin's body is kept to (docs/bulletins.md): paragraphs, two heading levels,
 * emphasis, lists, line breaks, and the drafted sentences' `<span class="fact">` with their facts.
 * No links (a portal page links no other site: `kaohe portal check`), no images, scripts, styles,
 * classes other than `fact`, or event attributes; what is not allowed is dropped, its text kept
 * (script and style elements go with their content). sanitize-html is pinned in package.json.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "h2", "h3", "strong", "em", "b", "i", "u", "ul", "ol", "li", "br", "blockquote", "span"],
  allowedAttributes: { span: ["class", "title", "data-facts"] },
  allowedClasses: { span: ["fact"] },
  allowedSchemes: [],
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "template"],
  allowProtocolRelative: false,
  parseStyleAttributes: false,
};

/** A body as the office sent it, kept to the allow-list; whitespace around it trimmed. */
export const sanitiseBody = (html: string): string => sanitizeHtml(html, OPTIONS).trim();

/** A title: text only (any markup dropped, entities as the sanitiser writes them decoded back). */
export const sanitiseTitle = (text: string): string =>
  sanitizeHtml(text, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
