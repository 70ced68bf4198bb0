import { Result } from "antd";
import { useLocale } from "../../locales";

/** Placeholder until the page is built. */
export default function EntryPage() {
  const { t } = useLocale();
  return <Result status="info" title={<h1 className="result-title">{t("nav.entry")}</h1>} />;
}
