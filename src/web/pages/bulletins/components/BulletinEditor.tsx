import { App, Button, Card, Input, Segmented, Space, Tag, Typography } from "antd";
import { useRef, useState } from "react";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { DateTimePicker } from "../../../components/DateTimePicker";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { type Lang, useLocale } from "../../../locales";
import {
  useBulletin,
  useEditBulletin,
  usePublishBulletin,
  useWithdrawBulletin,
} from "../../../services/bulletins";
import { FactsPanel } from "./FactsPanel";
import { RichTextEditor, type RichTextHandle } from "./RichTextEditor";

const colours = { draft: "blue", published: "green", withdrawn: "default" } as const;

/** One bulletin: its title and body per language edited beside the facts, then published or withdrawn. */
export function BulletinEditor({ planId, id, onBack }: { planId: string; id: string; onBack: () => void }) {
  const { t, lang: uiLang } = useLocale();
  const { message } = App.useApp();
  const bulletin = useBulletin(id);
  const edit = useEditBulletin(planId, id);
  const publish = usePublishBulletin(planId, id);
  const withdraw = useWithdrawBulletin(planId, id);
  const [lang, setLang] = useState<Lang>("zh-CN");
  const [title, setTitle] = useState<string>();
  const [dirty, setDirty] = useState(false);
  const [visibleFrom, setVisibleFrom] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const body = useRef<RichTextHandle>(null);

  if (bulletin.isPending) return <Card loading />;
  if (bulletin.isError) return <ProblemAlert error={bulletin.error} title={t("error.load")} />;
  const b = bulletin.data;
  const draft = b.status === "draft";
  const shownTitle = title ?? b.titles[lang] ?? "";
  const switchLang = (next: Lang) => {
    if (dirty) save();
    setTitle(undefined);
    setLang(next);
  };
  const save = () =>
    edit.mutate(
      {
        revision: b.revision,
        titles: { [lang]: shownTitle },
        bodies: { [lang]: body.current?.html() ?? "" },
      },
      {
        onSuccess: () => {
          setDirty(false);
          setTitle(undefined);
          void message.success(t("bulletins.edit.saved"));
        },
      },
    );

  return (
    <div className="page-stack">
      <Space wrap>
        <Button onClick={onBack}>{t("bulletins.back")}</Button>
        <Tag color={colours[b.status]}>{t(`bulletins.status.${b.status}`)}</Tag>
        {b.url ? (
          <a href={`${b.url}${lang === "en" ? "?lang=en" : ""}`} target="_blank" rel="noreferrer">
            {t("bulletins.portal")}
          </a>
        ) : null}
      </Space>
      <div className="bulletin-layout">
        <Card
          title={<h2 className="card-title">{b.titles[uiLang] ?? b.titles["zh-CN"]}</h2>}
          extra={
            <Segmented<Lang>
              aria-label={t("bulletins.lang")}
              value={lang}
              onChange={switchLang}
              options={[
                { value: "zh-CN", label: t("bulletins.lang.zh") },
                { value: "en", label: t("bulletins.lang.en") },
              ]}
            />
          }
        >
          <ProblemAlert className="form-alert-top" error={edit.error} title={t("bulletins.edit.failed")} />
          {draft ? (
            <p className="card-hint">{t("bulletins.edit.hint")}</p>
          ) : (
            <p className="card-hint">{t("bulletins.edit.readOnly")}</p>
          )}
          <label htmlFor="bulletin-title" className="bulletin-label">
            {t("bulletins.edit.title")}
          </label>
          <Input
            id="bulletin-title"
            value={shownTitle}
            readOnly={!draft}
            maxLength={200}
            onChange={(e) => {
              setTitle(e.target.value);
              setDirty(true);
            }}
          />
          <span className="bulletin-label" id="bulletin-body-label">
            {t("bulletins.edit.body")}
          </span>
          <RichTextEditor
            ref={body}
            value={b.bodies[lang] ?? ""}
            resetKey={`${b.id}:${lang}:${b.revision}`}
            readOnly={!draft}
            label={t("bulletins.edit.body")}
            onInput={() => setDirty(true)}
          />
          {draft ? (
            <Button
              type="primary"
              className="bulletin-save"
              loading={edit.isPending}
              disabled={!dirty}
              onClick={save}
            >
              {t("bulletins.edit.save")}
            </Button>
          ) : null}
        </Card>
        <FactsPanel draft={b.draft} lang={lang} uiLang={uiLang} />
      </div>
      {draft ? (
        <Card title={<h2 className="card-title">{t("bulletins.publish.title")}</h2>}>
          <ProblemAlert
            className="form-alert-top"
            error={publish.error}
            title={t("bulletins.publish.failed")}
          />
          <Space wrap>
            <label htmlFor="bulletin-visible-from">{t("bulletins.publish.at")}</label>
            <DateTimePicker id="bulletin-visible-from" value={visibleFrom} onChange={setVisibleFrom} />
            <ConfirmButton
              type="primary"
              question={dirty ? t("bulletins.publish.unsaved") : t("bulletins.publish.confirm")}
              disabled={dirty}
              pending={publish.isPending}
              onConfirm={() =>
                publish.mutate(visibleFrom, {
                  onSuccess: () => void message.success(t("bulletins.publish.done")),
                })
              }
            >
              {t("bulletins.publish.submit")}
            </ConfirmButton>
          </Space>
        </Card>
      ) : null}
      {b.status === "published" ? (
        <Card title={<h2 className="card-title">{t("bulletins.withdraw")}</h2>}>
          <Typography.Paragraph>
            {t("bulletins.published.at", { time: formatTime(uiLang, b.visibleFrom!) })}
          </Typography.Paragraph>
          {Object.entries(b.hashes ?? {}).map(([l, h]) => (
            <Typography.Paragraph key={l} className="bulletin-hashes">
              {t("bulletins.hashes", { lang: l })}: SM3 <code>{h.sm3}</code> · SHA-256 <code>{h.sha256}</code>
            </Typography.Paragraph>
          ))}
          <ProblemAlert
            className="form-alert-top"
            error={withdraw.error}
            title={t("bulletins.withdraw.failed")}
          />
          <Space wrap>
            <label htmlFor="bulletin-withdraw-reason">{t("bulletins.withdraw.reason")}</label>
            <Input
              id="bulletin-withdraw-reason"
              value={reason}
              maxLength={2000}
              onChange={(e) => setReason(e.target.value)}
            />
            <ConfirmButton
              danger
              question={t("bulletins.withdraw.confirm")}
              disabled={reason.trim() === ""}
              pending={withdraw.isPending}
              onConfirm={() =>
                withdraw.mutate(reason.trim(), {
                  onSuccess: () => void message.success(t("bulletins.withdraw.done")),
                })
              }
            >
              {t("bulletins.withdraw.submit")}
            </ConfirmButton>
          </Space>
        </Card>
      ) : null}
      {b.status === "withdrawn" && b.withdrawReason ? (
        <Typography.Paragraph type="secondary">
          {t("bulletins.withdrawn.reason", { reason: b.withdrawReason })}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
