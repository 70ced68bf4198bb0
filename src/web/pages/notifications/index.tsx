import { Alert, Button, Card, Empty, List, Segmented, Skeleton, Tag, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { useLocale } from "../../locales";
import { ApiError } from "../../services/http";
import {
  type NotificationView,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
} from "../../services/notifications";
import { EmailSettings } from "./components/EmailSettings";
import { formatTime, kindStyle } from "./components/kind";
import "./notifications.css";

const PAGE_SIZE = 20;

/** The inbox: every notification of the account, newest first, read or unread, each linking to what it concerns. */
export default function NotificationsPage() {
  const { t, lang } = useLocale();
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<"all" | "unread">("all");
  const list = useNotifications(page, PAGE_SIZE, filter === "unread");
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const unread = list.data?.unread ?? 0;

  const item = (n: NotificationView) => {
    const style = kindStyle[n.kind];
    return (
      <List.Item className={`notice-item${n.readAt ? "" : " notice-item-unread"}`} key={n.id}>
        <div className="notice-item-main">
          <div className="notice-item-subject">
            <span
              className={n.readAt ? "notice-read-dot" : "notice-unread-dot"}
              role="img"
              aria-label={n.readAt ? t("notifications.read") : t("notifications.unread")}
            />
            <Tag className={style.className} icon={style.icon}>
              {t(`notifications.kind.${n.kind}`)}
            </Tag>
            <Typography.Text strong={!n.readAt}>{n.subject}</Typography.Text>
          </div>
          <p className="notice-item-body">{n.body}</p>
          <span className="notice-time">{formatTime(n.createdAt, lang)}</span>
        </div>
        <div className="notice-item-actions">
          <Link
            className="notice-open-link"
            to={n.link}
            onClick={() => (n.readAt ? undefined : markRead.mutate(n.id))}
          >
            {t("notifications.open")}
          </Link>
          {n.readAt ? null : (
            <Button
              type="link"
              onClick={() => markRead.mutate(n.id)}
              loading={markRead.isPending && markRead.variables === n.id}
            >
              {t("notifications.markRead")}
            </Button>
          )}
        </div>
      </List.Item>
    );
  };

  return (
    <div className="page">
      <div className="notice-page-head">
        <Typography.Title level={2}>{t("notifications.title")}</Typography.Title>
        <div className="notice-page-tools">
          <span id="notice-filter-label">{t("notifications.filter")}</span>
          <Segmented
            aria-labelledby="notice-filter-label"
            value={filter}
            onChange={(v) => {
              setFilter(v as "all" | "unread");
              setPage(1);
            }}
            options={[
              { value: "all", label: t("notifications.filter.all") },
              { value: "unread", label: t("notifications.filter.unread") },
            ]}
          />
          <Button disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()}>
            {t("notifications.markAllRead")}
          </Button>
        </div>
      </div>
      <div className="notice-layout">
        <Card
          title={
            list.data
              ? `${t("notifications.total", { count: list.data.total })} · ${t("notifications.unreadCount", { count: unread })}`
              : t("notifications.title")
          }
        >
          {list.isPending ? (
            <Skeleton active paragraph={{ rows: 6 }} />
          ) : list.isError ? (
            <Alert
              type="error"
              showIcon
              title={t("error.load")}
              description={list.error instanceof ApiError ? list.error.problem.title : undefined}
            />
          ) : list.data.items.length === 0 ? (
            <Empty
              description={filter === "unread" ? t("notifications.emptyUnread") : t("notifications.empty")}
            />
          ) : (
            <List
              dataSource={list.data.items}
              renderItem={item}
              pagination={
                list.data.total > PAGE_SIZE
                  ? {
                      current: page,
                      pageSize: PAGE_SIZE,
                      total: list.data.total,
                      onChange: setPage,
                      showSizeChanger: false,
                    }
                  : false
              }
            />
          )}
        </Card>
        <EmailSettings />
      </div>
    </div>
  );
}
