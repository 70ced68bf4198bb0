import { QueryClientProvider } from "@tanstack/react-query";
import { ConfigProvider } from "antd";
import { useSyncExternalStore } from "react";
import { RouterProvider } from "react-router";
import { antdLocale, LocaleProvider, useLocale } from "../locales";
import { setRequestLanguage } from "../services/http";
import { queryClient } from "./query-client";
import { router } from "./routes";
import { nonceInsertedStyles } from "./style-nonce";
import { cspNonce, themeFor } from "./theme";

const nonce = cspNonce();
nonceInsertedStyles();

/** The system's "reduce motion" setting (WCAG 2.3.3), followed as it changes. */
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
const subscribeMotion = (changed: () => void) => {
  reducedMotion.addEventListener("change", changed);
  return () => reducedMotion.removeEventListener("change", changed);
};

function Themed() {
  const { lang } = useLocale();
  const reduceMotion = useSyncExternalStore(subscribeMotion, () => reducedMotion.matches);
  setRequestLanguage(lang);
  return (
    <ConfigProvider
      locale={antdLocale(lang)}
      theme={themeFor(reduceMotion)}
      button={{ autoInsertSpace: false }}
      {...(nonce ? { csp: { nonce } } : {})}
    >
      <RouterProvider router={router} />
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <Themed />
      </LocaleProvider>
    </QueryClientProvider>
  );
}
