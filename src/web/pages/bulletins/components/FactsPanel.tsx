import { Card, Typography } from "antd";
import type { BulletinDetail } from "../../../../server/modules/bulletins/schema.js";
import type { Lang } from "../../../locales";
import { useLocale } from "../../../locales";

/** What a fact's id names: the indicator or the assessment, in the language (the id for older drafts). */
const sourceName = (draft: BulletinDetail["draft"], id: string, lang: Lang) =>
  draft.sources?.[id]?.[lang] ?? id;

/** Beside the editor: every drafted sentence with the numbers it states (the core's `facts`), by name. */
export function FactsPanel({
  draft,
  lang,
  uiLang,
}: {
  draft: BulletinDetail["draft"];
  /** The version being edited: its sentences are shown. */
  lang: Lang;
  /** The interface's language: the facts are named in it. */
  uiLang: Lang;
}) {
  const { t } = useLocale();
  const sentences = [
    draft.title,
    ...draft.lead,
    ...draft.highlights,
    ...draft.sections.flatMap((s) => s.sentences),
  ];
  return (
    <Card
      size="small"
      title={<h2 className="card-title">{t("bulletins.facts.title")}</h2>}
      className="bulletin-facts"
    >
      <ol className="bulletin-facts-list">
        {sentences.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the draft never changes
          <li key={i}>
            <Typography.Text>{s[lang]}</Typography.Text>
            <ul>
              {s.facts.length === 0 ? (
                <li>{t("bulletins.facts.empty")}</li>
              ) : (
                s.facts.map((f, k) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the draft never changes
                  <li key={k}>
                    {sourceName(draft, f.id, uiLang)} · {t(`bulletins.facts.field.${f.field}`)}
                    {f.year !== undefined ? ` (${t("bulletins.facts.year", { year: f.year })})` : ""}
                    {" = "}
                    <code>{typeof f.value === "boolean" ? (f.value ? "✓" : "✗") : String(f.value)}</code>
                  </li>
                ))
              )}
            </ul>
          </li>
        ))}
      </ol>
    </Card>
  );
}
