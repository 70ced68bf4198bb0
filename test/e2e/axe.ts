import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) in the page and returns the serious and critical violations.
 * It is evaluated through the DevTools protocol, so the page's strict CSP stays on while it runs.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // The page at rest: the mouse away (a hovered button is judged in its hover colour) and no dropdown or
  // dialog still fading in or out (judged at half its colours), nor a colour transition under way.
  await page.mouse.move(0, 0);
  await settled(page);
  await page.waitForTimeout(300);
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    // An element on its way out (a toast that timed out fades for a moment, whenever it may be) is judged
    // at rest where it rests, not half-transparent on leaving.
    const leaving = '[class*="-leave"]';
    const result = await axe.run(
      { include: [["html"]], exclude: [[leaving]] },
      { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Waits (up to 5 s) until no antd motion is running: no dropdown or dialog still entering or leaving. */
export async function settled(page: Page): Promise<void> {
  const moving = '[class*="-leave-active"], [class*="-enter-active"], [class*="-appear-active"]';
  await page
    .waitForFunction(
      (selector) =>
        !(
          globalThis as unknown as { document: { querySelector(s: string): unknown } }
        ).document.querySelector(selector),
      moving,
      { timeout: 5000 },
    )
    .catch(() => undefined);
}
