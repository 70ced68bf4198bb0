import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ConfigProvider } from "antd";
import { RouterProvider } from "react-router";
import { antdLocale, LocaleProvider, useLocale } from "../locales";
import { setRequestLanguage } from "../services/http";
import { router } from "./routes";
import { nonceInsertedStyles } from "./style-nonce";
import { cspNonce, theme } from "./theme";

const nonce = cspNonce();
if (nonce) nonceInsertedStyles(nonce);

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
});

function Themed() {
  const { lang } = useLocale();
  setRequestLanguage(lang);
  return (
    <ConfigProvider
      locale={antdLocale(lang)}
      theme={theme}
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
