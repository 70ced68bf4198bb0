import type { ThemeConfig } from "antd";

/**
 * antd's design tokens for kaohe (its styles are inserted at run time, with the page's CSP nonce).
 * Secondary and description text are darker than antd's defaults so they meet WCAG AA contrast (4.5:1)
 * on white and on the page's grey.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: "#1d4ed8",
    // antd derives links from colorInfo (#1677ff, 4.1:1 on white), not from the primary colour.
    colorLink: "#1d4ed8",
    // Danger buttons and error texts: antd's #ff4d4f is 3.3:1 on white.
    colorError: "#c41d1d",
    borderRadius: 4,
    colorTextSecondary: "rgba(0, 0, 0, 0.66)",
    colorTextDescription: "rgba(0, 0, 0, 0.64)",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
  },
};

const stillTheme: ThemeConfig = { ...theme, token: { ...theme.token, motion: false } };

/** kaohe's theme; without antd's motion (fades, slides, spinning icons' collapse) for one who asked the system for less. */
export const themeFor = (reduceMotion: boolean): ThemeConfig => (reduceMotion ? stillTheme : theme);

/** The nonce the server gave this page (Vite writes it into a meta tag; browsers hide the attribute). */
export const cspNonce = (): string | undefined =>
  (document.querySelector('meta[property="csp-nonce"]') as HTMLMetaElement | null)?.nonce || undefined;
