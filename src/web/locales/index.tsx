import { useQueryClient } from "@tanstack/react-query";
import enUS from "antd/locale/en_US";
import zh_CN from "antd/locale/zh_CN";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { rememberLanguage, sessionKey, sessionLanguage } from "../services/auth";
import { en } from "./en";
import { type MessageKey, zhCN } from "./zh-CN";

export type Lang = "zh-CN" | "en";
/** The shell's texts at once; the signed-in pages' once loadPageMessages has brought their chunk. */
const messages: Record<Lang, Partial<Record<MessageKey, string>>> = { "zh-CN": { ...zhCN }, en: { ...en } };
let pagesLoaded: Promise<void> | undefined;
let pagesReady = false;

/** Loads the signed-in pages' texts (once); resolves when t() knows them. */
export function loadPageMessages(): Promise<void> {
  pagesLoaded ??= import("./pages").then(({ pageMessages }) => {
    Object.assign(messages["zh-CN"], pageMessages["zh-CN"]);
    Object.assign(messages.en, pageMessages.en);
    pagesReady = true;
  });
  return pagesLoaded;
}

/** Whether the signed-in pages' texts are there (loading them on first use). */
export function usePageMessages(): boolean {
  const [ready, setReady] = useState(pagesReady);
  useEffect(() => {
    if (!ready) void loadPageMessages().then(() => setReady(true));
  }, [ready]);
  return ready;
}
const STORAGE_KEY = "kaohe.lang";

interface LocaleContext {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
}

const Context = createContext<LocaleContext | null>(null);

/** The language last chosen in this browser, else Chinese (the interface is Chinese first). */
export function initialLang(): Lang {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return stored === "en" ? "en" : "zh-CN";
}

/**
 * The interface language: the account's choice when signed in (kept on the server, so it follows the
 * user to another browser), else this browser's last choice, else Chinese. Choosing one while signed
 * in stores it for the account.
 */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [lang, setLangState] = useState<Lang>(initialLang);
  const current = useRef(lang);
  const apply = useCallback((next: Lang) => {
    current.current = next;
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const setLang = useCallback(
    (next: Lang) => {
      apply(next);
      rememberLanguage(client, next);
    },
    [apply, client],
  );
  // A session arriving (sign-in, /auth/me) with a language chosen elsewhere: adopt it.
  useEffect(() => {
    const follow = () => {
      const chosen = sessionLanguage(client);
      if (chosen && chosen !== current.current) apply(chosen);
    };
    follow();
    return client.getQueryCache().subscribe((event) => {
      if (event.query.queryKey[0] === sessionKey[0]) follow();
    });
  }, [apply, client]);
  const value = useMemo<LocaleContext>(
    () => ({
      lang,
      setLang,
      t: (key, params) =>
        (messages[lang][key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) =>
          String(params?.[name] ?? `{${name}}`),
        ),
    }),
    [lang, setLang],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLocale(): LocaleContext {
  const context = useContext(Context);
  if (!context) throw new Error("useLocale outside LocaleProvider");
  return context;
}

/** antd's own texts (pagination, date pickers, empty states) in the same language. */
export const antdLocale = (lang: Lang) => (lang === "en" ? enUS : zh_CN);
