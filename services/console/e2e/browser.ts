/**
 * Debian's Chromium driven by playwright-core (no browser download): the flags the CI machine
 * needs (no sandbox as root in a container, no GPU, no background traffic).
 */
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env["SPREADOPS_CHROMIUM"] ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/**
 * Milliseconds from a click on `target` to the first DOM change that satisfies `changed`,
 * measured inside the page (performance.now in the same event loop as the app), so the number
 * is the user-visible reaction time, not the test runner's round trips. Rendering is included:
 * the mutation is observed, then one animation frame is awaited (the change is painted).
 */
export async function clickLatency(page: Page, target: string, changed: string): Promise<number> {
  const handle = await page.waitForSelector(target, { state: "visible" });
  const waiting = page.evaluate(async (selector) => {
    return new Promise<number>((resolve, reject) => {
      // Fails fast on a selector the DOM does not understand (Playwright-only syntax), and on a
      // change that is already there (it would measure the next unrelated mutation instead).
      if (document.querySelector(selector) !== null) { reject(new Error(`${selector} matches before the click`)); return; }
      const start = { t: -1 };
      const check = () => {
        if (start.t >= 0 && document.querySelector(selector) !== null) {
          observer.disconnect();
          requestAnimationFrame(() => { resolve(performance.now() - start.t); });
          return true;
        }
        return false;
      };
      const observer = new MutationObserver(() => { check(); });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      addEventListener("pointerdown", () => { start.t = performance.now(); }, { once: true, capture: true });
      setTimeout(() => { observer.disconnect(); reject(new Error(`no change matching ${selector} within 5 s of the click`)); }, 5_000);
    });
  }, changed);
  await handle.click();
  return waiting;
}
