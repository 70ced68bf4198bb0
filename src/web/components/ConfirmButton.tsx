import { Button, type ButtonProps, Popconfirm } from "antd";
import type { ReactNode } from "react";
import { useLocale } from "../locales";

/**
 * A button for an action that cannot be undone: it asks first (Popconfirm), and stays disabled while
 * the request is pending so a double click sends it once.
 */
export function ConfirmButton({
  question,
  onConfirm,
  pending,
  disabled,
  children,
  ...button
}: {
  question: ReactNode;
  onConfirm: () => void;
  pending: boolean;
  disabled?: boolean;
  children: ReactNode;
} & Pick<ButtonProps, "type" | "danger" | "icon" | "size">) {
  const { t } = useLocale();
  return (
    <Popconfirm
      title={question}
      okText={t("confirm.ok")}
      cancelText={t("confirm.cancel")}
      onConfirm={onConfirm}
      disabled={disabled || pending}
      okButtonProps={{ danger: button.danger }}
    >
      <Button {...button} loading={pending} disabled={disabled || pending}>
        {children}
      </Button>
    </Popconfirm>
  );
}
