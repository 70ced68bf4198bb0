import { Card, Typography } from "antd";
import type { BulletinDetail } from "../../../../server/modules/bulletins/schema.js";
import type { Lang } from "../../../locales";
import { useLocale } from "../../../locales";

type Sentence = BulletinDetail["draft"]["lead"][number];
type Fact = Sentence["facts"][number];

const factText = (f: Fact) =>
  `${f.id} · ${f.field}${f.year !== undefined ? ` (${f.year})` : ""} = ${String(f.value)}`;

/** Beside the editor: every drafted sentence with the numbers it states (the core's `facts`). */
export function FactsPanel({ draft, lang }: { draft: BulletinDetail["draft"]; lang: Lang }) {
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
                    <code>{factText(f)}</code>
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
