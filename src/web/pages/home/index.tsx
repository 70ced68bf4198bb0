import { Card, Typography } from "antd";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";

/** The workbench: what needs this user's action now (filled in as the year's screens land). */
export default function HomePage() {
  const { t } = useLocale();
  const session = useSession();
  const user = session.data?.user;
  return (
    <div className="page">
      <Typography.Title level={2}>{t("home.welcome", { name: user?.displayName ?? "" })}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t("home.placeholder")}</Typography.Paragraph>
      </Card>
    </div>
  );
}
