import { PaperClipOutlined } from "@ant-design/icons";
import { Button, Upload, type UploadFile } from "antd";
import { useLocale } from "../../../locales";

export const MAX_BYTES = 20 * 1024 * 1024;
/** What the server accepts as evidence (it checks the content again). */
export const ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.ofd";
const accepted = /\.(pdf|png|jpe?g|docx|xlsx|ofd)$/i;

/** A file's problem found before sending (too large, or not a kind accepted), or undefined. */
export function fileProblem(file: File, t: ReturnType<typeof useLocale>["t"]): string | undefined {
  if (file.size > MAX_BYTES) return t("claims.file.tooLarge", { name: file.name });
  if (!accepted.test(file.name)) return t("claims.file.type", { name: file.name });
  return undefined;
}

/** Chooses evidence files (kept in the form until it is sent), checked for type and size first. */
export function EvidencePicker(props: {
  id?: string;
  value?: UploadFile[];
  onChange?: (files: UploadFile[]) => void;
}) {
  const { t } = useLocale();
  return (
    <Upload
      multiple
      accept={ACCEPT}
      fileList={props.value ?? []}
      beforeUpload={() => false}
      onChange={({ fileList }) => props.onChange?.(fileList)}
    >
      <Button id={props.id} icon={<PaperClipOutlined />}>
        {t("claims.form.choose")}
      </Button>
    </Upload>
  );
}
