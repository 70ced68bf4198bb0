import { Result } from "antd";
import { useLocale } from "../../locales";

/** Placeholder until the page is built. */
export default function NotificationsPage() {
  const { t } = useLocale();
  return <Result status="info" title={<h1 className="result-title">{t("nav.notifications")}</h1>} />;
}
