import type { UseQueryResult } from "@tanstack/react-query";
import { Card, Skeleton } from "antd";
import type { ReactNode } from "react";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";

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
        <ProblemAlert error={query.error} title={t("error.load")} />
      ) : (
        children(query.data)
      )}
    </section>
  );
}
