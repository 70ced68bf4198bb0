import { Button, Space } from "antd";
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import { useLocale } from "../../../locales";

export interface RichTextHandle {
  /** The HTML typed so far (the server sanitises it to its allow-list on saving). */
  html(): string;
}

/**
 * A small rich-text editor: a contentEditable region and a toolbar of the few formats the server's
 * allow-list keeps (bold, italic, a heading, paragraphs, lists). `value` fills it when `resetKey`
 * changes (another bulletin or language, or a save), so typing never loses the caret to a re-render.
 */
export const RichTextEditor = forwardRef<
  RichTextHandle,
  { value: string; resetKey: string; readOnly: boolean; label: string; onInput: () => void }
>(function RichTextEditor({ value, resetKey, readOnly, label, onInput }, ref) {
  const { t } = useLocale();
  const area = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refilled only when resetKey says so
  useEffect(() => {
    if (area.current) area.current.innerHTML = value;
  }, [resetKey]);
  useImperativeHandle(ref, () => ({ html: () => area.current?.innerHTML ?? "" }), []);
  const run = (command: string, arg?: string) => {
    area.current?.focus();
    document.execCommand(command, false, arg);
    onInput();
  };
  return (
    <div className="bulletin-editor">
      {readOnly ? null : (
        <Space wrap className="bulletin-toolbar" role="toolbar" aria-label={label}>
          <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => run("bold")}>
            <strong>{t("bulletins.tool.bold")}</strong>
          </Button>
          <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => run("italic")}>
            <em>{t("bulletins.tool.italic")}</em>
          </Button>
          <Button
            size="small"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run("formatBlock", "h2")}
          >
            {t("bulletins.tool.heading")}
          </Button>
          <Button
            size="small"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run("formatBlock", "p")}
          >
            {t("bulletins.tool.paragraph")}
          </Button>
          <Button
            size="small"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run("insertUnorderedList")}
          >
            {t("bulletins.tool.list")}
          </Button>
          <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => run("removeFormat")}>
            {t("bulletins.tool.clear")}
          </Button>
        </Space>
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: rich text needs a contentEditable element; a textarea holds plain text only */}
      <div
        ref={area}
        className="bulletin-body"
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        tabIndex={0}
        contentEditable={!readOnly}
        suppressContentEditableWarning
        onInput={onInput}
      />
    </div>
  );
});
