import { Alert } from "antd";
import { useLocale } from "../locales";
import { ApiError } from "../services/http";

/**
 * A failed request as an Alert: the server's RFC 9457 title (in the interface language), and the field
 * it names when it names one; `title` is what was being done ("加载失败", "发布失败").
 */
export function ProblemAlert({
  error,
  title,
  className,
}: {
  error: unknown;
  title?: string;
  className?: string;
}) {
  const { t } = useLocale();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const message = problem?.title ?? (error instanceof Error ? error.message : String(error));
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className={className ?? "problem-alert"}
      title={title ?? message}
      description={
        title || problem?.field ? (
          <>
            {title ? <div>{message}</div> : null}
            {problem?.field ? (
              <div className="problem-field">{t("problem.field", { field: problem.field })}</div>
            ) : null}
          </>
        ) : undefined
      }
    />
  );
}
