/*
 * The element names of the HTML standard (with the obsolete ones old government sites still use, such
 * as <center> and <font>), for telling the junk tags spam injects (the seed's <delect>) from markup.
 * Custom elements (with a hyphen) are not judged here.
 */
export const htmlElements: ReadonlySet<string> = new Set(
  `a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite
  code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure
  footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link
  main map mark menu meta meter nav noscript object ol optgroup option output p param picture pre progress
  q rp rt ruby s samp script search section select slot small source span strong style sub summary sup
  table tbody td template textarea tfoot th thead time title tr track u ul var video wbr svg math
  acronym basefont big center font frame frameset nobr noframes strike tt marquee`
    .split(/\s+/)
    .filter(Boolean),
);

/** Attributes whose value is a URL the page links to (a reader follows it). */
export const linkAttributes: Readonly<Record<string, readonly string[]>> = {
  a: ["href"],
  area: ["href"],
  form: ["action"],
  button: ["formaction"],
  input: ["formaction"],
  base: ["href"],
};

/** Attributes whose value is a URL the page loads (an image, a style sheet, a video). */
export const resourceAttributes: Readonly<Record<string, readonly string[]>> = {
  img: ["src"],
  link: ["href"],
  source: ["src"],
  video: ["src", "poster"],
  audio: ["src"],
  track: ["src"],
  input: ["src"],
};

/** Elements that put another document inside the page. */
export const frameElements: ReadonlySet<string> = new Set([
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
]);

/** Attributes whose text a reader or a search engine sees, scanned for terms like the text itself. */
export const textAttributes: readonly string[] = [
  "title",
  "alt",
  "content",
  "aria-label",
  "placeholder",
  "value",
];

/** Script types that are data rather than code. */
export const dataScriptTypes: ReadonlySet<string> = new Set([
  "application/json",
  "application/ld+json",
  "importmap",
]);
