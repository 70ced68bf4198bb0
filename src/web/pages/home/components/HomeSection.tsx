import type { UseQueryResult } from "@tanstack/react-query";
import { Alert, Card, Skeleton } from "antd";
import type { ReactNode } from "react";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";

/** A titled part of the workbench over one query: a skeleton while it loads, the problem if it fails. */
export function HomeSection<T>({
  id,
  title,
  query,
  children,
}: {
  id: string;
  title: string;
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}) {
  const { t } = useLocale();
  return (
    <section className="home-section" aria-labelledby={id}>
      <h2 id={id} className="home-section-title">
        {title}
      </h2>
      {query.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : query.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={query.error instanceof ApiError ? query.error.problem.title : undefined}
        />
      ) : (
        children(query.data)
      )}
    </section>
  );
}
