import { Button, Result } from "antd";
import { useNavigate } from "react-router";
import { useLocale } from "../../locales";

export default function ForbiddenPage() {
  const { t } = useLocale();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={<h1 className="result-title">{t("exception.403.title")}</h1>}
      subTitle={t("exception.403.text")}
      extra={
        <Button type="primary" onClick={() => navigate("/home")}>
          {t("exception.back")}
        </Button>
      }
    />
  );
}
