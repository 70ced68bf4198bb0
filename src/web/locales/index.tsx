import enUS from "antd/locale/en_US";
import zh_CN from "antd/locale/zh_CN";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { en } from "./en";
import { type MessageKey, zhCN } from "./zh-CN";

export type Lang = "zh-CN" | "en";
const messages: Record<Lang, Record<MessageKey, string>> = { "zh-CN": zhCN, en };
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

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo<LocaleContext>(
    () => ({
      lang,
      setLang,
      t: (key, params) =>
        messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? `{${name}}`)),
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
