import { BellOutlined } from "@ant-design/icons";
import { Alert, Badge, Button, Empty, Popover, Skeleton } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useLocale } from "../../../locales";
import { ApiError } from "../../../services/http";
import {
  type NotificationView,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
  useUnreadCount,
} from "../../../services/notifications";
import { formatTime } from "./kind";
import "../notifications.css";

/** The header's bell: the unread count (polled every minute and on focus) and the latest notifications. */
export function NotificationBell() {
  const { t, lang } = useLocale();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const latest = useNotifications(1, 6, false, open);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const count = unread.data?.unread ?? 0;

  const go = (n: NotificationView) => {
    if (!n.readAt) markRead.mutate(n.id);
    setOpen(false);
    navigate(n.link);
  };

  const items = latest.data?.items ?? [];
  const content = (
    <div className="notice-panel">
      <div className="notice-panel-head">
        <span>{t("notifications.latest")}</span>
        {count > 0 ? <span className="notice-time">{t("notifications.unreadCount", { count })}</span> : null}
      </div>
      {latest.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : latest.isError ? (
        <Alert
          type="error"
          showIcon
          title={t("error.load")}
          description={latest.error instanceof ApiError ? latest.error.problem.title : undefined}
        />
      ) : items.length === 0 ? (
        <Empty
          className="notice-panel-empty"
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t("notifications.empty")}
        />
      ) : (
        <ul className="notice-panel-list">
          {items.map((n) => (
            <li key={n.id}>
              <button type="button" className="notice-panel-item" onClick={() => go(n)}>
                <span className="notice-panel-subject">
                  <span
                    className={n.readAt ? "notice-read-dot" : "notice-unread-dot"}
                    role="img"
                    aria-label={n.readAt ? t("notifications.read") : t("notifications.unread")}
                  />
                  <span className={`notice-panel-subject-text${n.readAt ? "" : " notice-unread-title"}`}>
                    {n.subject}
                  </span>
                </span>
                <span className="notice-time">{formatTime(n.createdAt, lang)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="notice-panel-foot">
        <Button
          type="link"
          size="small"
          onClick={() => {
            setOpen(false);
            navigate("/notifications");
          }}
        >
          {t("notifications.viewAll")}
        </Button>
        <Button
          type="link"
          size="small"
          disabled={count === 0}
          loading={markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          {t("notifications.markAllRead")}
        </Button>
      </div>
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      arrow={false}
      open={open}
      onOpenChange={setOpen}
    >
      <Button
        type="text"
        className="notice-bell"
        aria-label={count > 0 ? t("notifications.bellUnread", { count }) : t("notifications.bell")}
        aria-haspopup="dialog"
        aria-expanded={open}
        data-testid="notification-bell"
        icon={
          <Badge count={count} size="small" overflowCount={99} offset={[2, -2]}>
            <BellOutlined className="notice-bell-icon" />
          </Badge>
        }
      />
    </Popover>
  );
}
