import { Alert, Button } from "antd";
import type { UploadCellError } from "../../../../server/modules/values/schema.js";
import { useLocale } from "../../../locales";

/** A refused template: the server's message and each error at its cell, with a way to the field it names. */
export function TemplateErrors(props: {
  title: string;
  errors: UploadCellError[];
  total: number;
  onGoto(error: UploadCellError): void;
  onClose(): void;
}) {
  const { t } = useLocale();
  return (
    <Alert
      className="entry-alert"
      type="error"
      showIcon
      closable={{ onClose: props.onClose }}
      title={t("entry.template.errorsTitle", { title: props.title })}
      description={
        <ul className="entry-template-errors">
          {props.errors.map((e) => (
            <li key={`${e.sheet}/${e.row}/${e.column}`}>
              {t("entry.template.errorAt", {
                sheet: e.sheet,
                row: e.row,
                column: e.column,
                message: e.message,
              })}
              {e.indicator ? (
                <Button size="small" type="link" onClick={() => props.onGoto(e)}>
                  {t("entry.template.goto")}
                </Button>
              ) : null}
            </li>
          ))}
          {props.total > props.errors.length ? (
            <li>{t("entry.template.more", { count: props.total - props.errors.length })}</li>
          ) : null}
        </ul>
      }
    />
  );
}
