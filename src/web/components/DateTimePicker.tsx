import "dayjs/locale/zh-cn";
import { DatePicker } from "antd";
import dayjs, { type Dayjs } from "dayjs";

/**
 * A date and time (to the minute) held as an ISO 8601 string, in the interface's language (antd's
 * locale from the ConfigProvider; dayjs's zh-cn month and weekday names loaded here).
 */
export function DateTimePicker({
  id,
  value,
  onChange,
  disabled,
  className,
  ...aria
}: {
  id?: string;
  value?: string | null;
  onChange?: (iso: string | null) => void;
  disabled?: boolean;
  className?: string;
  "aria-label"?: string;
}) {
  return (
    <DatePicker
      id={id}
      {...aria}
      className={className ?? "date-time-picker"}
      showTime={{ format: "HH:mm" }}
      needConfirm={false}
      format="YYYY-MM-DD HH:mm"
      value={value ? dayjs(value) : null}
      onChange={(d: Dayjs | null) => onChange?.(d ? d.second(0).millisecond(0).toISOString() : null)}
      disabled={disabled}
    />
  );
}
