/**
 * The web console in Debian's Chromium against `spreadops all` on the built-in simulator:
 * sign in from the printed link, every view, a strategy edited and saved, a proposed trade
 * approved after its preview is checked and followed to Open, a strategy paused, a gateway
 * restart survived, and the scanner grid with thousands of rows. Each view is screenshotted
 * (artifacts/e2e; docs/images with SPREADOPS_E2E_DOCS=1) and every measured reaction time goes
 * to artifacts/e2e/latency.json for docs/performance.md.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ConsoleService } from "@spreadops/api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickLatency, launchBrowser } from "./browser.js";
import { startPlatform, type RunningPlatform } from "./platform.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const ARTIFACTS = `${REPO}artifacts/e2e`;
const DOCS_IMAGES = `${REPO}docs/images`;
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const VIEWS = ["connection", "strategies", "scanner", "trades", "activity"] as const;
/** The screenshots docs/console.md shows (CI keeps every screenshot as an artifact). */
const DOC_SHOTS = new Set(["connection", "strategies", "strategy-editor", "scanner", "trades", "trade-approve-dialog", "activity", "trades-dark", "gateway-down"]);

interface TradeObject {
  metadata: { name: string; resourceVersion?: string };
  spec: { kind: string; shortStrike: number; longStrike: number; limitPrice: number; quantity: number; strategyRef: string };
  status?: { phase?: string; preview?: { maxLoss: number; maxProfit: number; breakeven: number; initMargin?: number; commission?: number } };
}

const latencies: Record<string, number[]> = {};
/** The trade the approve test followed to Open; the close test closes it. */
let approvedTrade = "";
const record = (action: string, ms: number) => { (latencies[action] ??= []).push(Math.round(ms * 10) / 10); };

/** The Trade objects as the console serves them (first message of WatchResources). */
async function tradesFromConsole(platform: RunningPlatform): Promise<TradeObject[]> {
  const client = createClient(ConsoleService, createConnectTransport({ baseUrl: platform.consoleUrl, httpVersion: "1.1" }));
  const abort = new AbortController();
  try {
    for await (const message of client.watchResources({}, { signal: abort.signal })) {
      if (message.message.case === "snapshot") return message.message.value.trades as unknown as TradeObject[];
    }
  } finally {
    abort.abort();
  }
  throw new Error("WatchResources ended without a snapshot");
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: false });
  if (process.env["SPREADOPS_E2E_DOCS"] === "1" && DOC_SHOTS.has(name)) {
    await mkdir(DOCS_IMAGES, { recursive: true });
    await page.screenshot({ path: `${DOCS_IMAGES}/console-${name}.png`, fullPage: false });
  }
}

describe("web console on the all-in-one, in Chromium", () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform({ manifests: `${REPO}k8s/examples` });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
    page = await context.newPage();
    page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
    page.on("pageerror", (error) => { consoleErrors.push(String(error)); });
  });

  afterAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(`${ARTIFACTS}/latency.json`, JSON.stringify(latencies, null, 2) + "\n");
    await writeFile(`${ARTIFACTS}/all-in-one.log`, platform.output());
    const rows = Object.entries(latencies).map(([action, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${action.padEnd(34)} n=${String(sorted.length).padStart(2)}  median ${String(sorted[Math.floor(sorted.length / 2)]).padStart(6)} ms  max ${String(sorted.at(-1)).padStart(6)} ms`;
    });
    console.log(`interaction latency (click → painted change):\n${rows.join("\n")}`);
    await context.close();
    await browser.close();
    await platform.stop();
  });

  it("signs in from the printed link and takes the token out of the address bar", async () => {
    await page.goto(platform.signInLink);
    await page.getByRole("button", { name: /Sign out/ }).waitFor();
    expect(page.url()).not.toContain("token");
    expect(await page.evaluate(() => sessionStorage.getItem("spreadops.console.token"))).toBe(platform.token);
  });

  it("signs in with the form, under a name the audit log records", async () => {
    await page.getByRole("button", { name: /Sign out/ }).click();
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByLabel("Console token").fill("too-short");
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await page.getByRole("alert").filter({ hasText: "at least 16 characters" }).waitFor();
    await page.getByLabel("Console token").fill(platform.token);
    await page.getByLabel(/Your name/).fill("e2e-trader");
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await page.getByRole("button", { name: "Sign out (e2e-trader)" }).waitFor();
  });

  it("loads every view from the navigation, each with its own heading", async () => {
    for (const view of VIEWS) {
      const link = `nav a[href="/${view}"]`;
      record(`navigate to ${view}`, await clickLatency(page, link, `main h1[id="${view}-title"]`));
      await expect.poll(() => page.url()).toContain(`/${view}`);
    }
    await page.click('nav a[href="/connection"]');
    await page.getByTestId("connection-state").filter({ hasText: /connected/i }).waitFor({ timeout: 60_000 });
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it("edits a strategy, shows the change as a diff and saves it", async () => {
    await page.goto(`${platform.consoleUrl}/strategies/index-bear-call`);
    await page.getByTestId("edit").click();
    const field = page.getByTestId("field-risk.maxRiskPerTrade");
    const before = await field.inputValue();
    const after = String(Number(before) + 25);
    await field.fill(after);
    // Every form control has an accessible name (a <label>, aria-label or aria-labelledby).
    const unlabelled = await page.locator("main").evaluate((main) => [...main.querySelectorAll("input, select, textarea")]
      .filter((el) => el instanceof HTMLElement && el.getAttribute("type") !== "hidden")
      .filter((el) => ((el as HTMLInputElement).labels?.length ?? 0) === 0 && !el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby"))
      .map((el) => el.outerHTML.slice(0, 120)));
    expect(unlabelled).toEqual([]);
    await page.getByTestId("review").click();
    const diff = page.getByTestId("diff");
    await expect.poll(() => diff.innerText()).toMatch(new RegExp(`\\+.*maxRiskPerTrade: ${after}`));
    await page.getByTestId("save").click();
    await expect.poll(async () => {
      const client = createClient(ConsoleService, createConnectTransport({ baseUrl: platform.consoleUrl, httpVersion: "1.1" }));
      const abort = new AbortController();
      for await (const m of client.watchResources({}, { signal: abort.signal })) {
        abort.abort();
        if (m.message.case !== "snapshot") return undefined;
        const s = m.message.value.strategies.find((o) => (o["metadata"] as { name: string }).name === "index-bear-call");
        return ((s?.["spec"] as { risk?: { maxRiskPerTrade?: number } } | undefined)?.risk?.maxRiskPerTrade);
      }
      return undefined;
    }, { timeout: 10_000 }).toBe(Number(after));
  });

  it("approves a proposed trade after checking its preview, and follows it to Open", async () => {
    await page.goto(`${platform.consoleUrl}/trades`);
    const card = page.locator('[data-testid^="proposal-"]').filter({ has: page.getByTestId("preview-max-loss") }).first();
    await card.waitFor({ timeout: 200_000 });
    const name = (await card.getAttribute("data-testid"))?.slice("proposal-".length) ?? "";
    const trade = (await tradesFromConsole(platform)).find((t) => t.metadata.name === name);
    expect(trade?.status?.preview, `trade ${name} has a preview`).toBeDefined();
    const preview = trade?.status?.preview ?? { maxLoss: NaN, maxProfit: NaN, breakeven: NaN };
    const spec = trade?.spec ?? { kind: "", shortStrike: NaN, longStrike: NaN, limitPrice: NaN, quantity: NaN, strategyRef: "" };
    // Spread math (CONVENTIONS.md), independent of the console: a credit spread risks the width
    // minus the credit, a debit spread the debit; ×100 shares per contract × quantity.
    const width = Math.abs(spec.shortStrike - spec.longStrike);
    const credit = spec.kind === "bullPut" || spec.kind === "bearCall";
    const expectedMaxLoss = (credit ? width - spec.limitPrice : spec.limitPrice) * 100 * spec.quantity;
    expect(preview.maxLoss).toBeCloseTo(expectedMaxLoss, 2);
    const money = (text: string) => Number(text.replace(/[^0-9.−-]/g, "").replace("−", "-"));
    expect(money(await card.getByTestId("preview-max-loss").innerText())).toBeCloseTo(preview.maxLoss, 2);
    expect(money(await card.getByTestId("preview-max-profit").innerText())).toBeCloseTo(preview.maxProfit, 2);
    expect(money(await card.getByTestId("preview-breakeven").innerText())).toBeCloseTo(preview.breakeven, 2);
    await screenshot(page, "trade-preview");

    record("open approve dialog", await clickLatency(page, `[data-testid="approve-${name}"]`, "dialog[open]"));
    await screenshot(page, "trade-approve-dialog");
    await page.getByTestId("confirm-checked").check();
    record("confirm approve (→ pending shown)", await clickLatency(page, '[data-testid="confirm-approve"]', '[data-testid="confirm-approve"][aria-busy="true"], [data-testid="approved-pending"]'));
    await page.getByTestId(`phase-${name}`).filter({ hasText: "Open" }).waitFor({ timeout: 180_000 });
    approvedTrade = name;
    await screenshot(page, "trades-open");
  });

  it("rejects a proposal with a reason; it ends Rejected and the Event names who did it", async () => {
    await page.goto(`${platform.consoleUrl}/trades`);
    const card = page.locator('[data-testid^="proposal-"]').filter({ has: page.getByTestId("preview-max-loss") }).first();
    await card.waitFor({ timeout: 120_000 });
    const name = (await card.getAttribute("data-testid"))?.slice("proposal-".length) ?? "";
    await page.getByTestId(`reject-${name}`).click();
    await page.getByTestId("reject-reason").fill("spread too narrow for me");
    record("confirm reject (→ pending shown)", await clickLatency(page, '[data-testid="confirm-reject"]', '[data-testid="confirm-reject"][aria-busy="true"], [data-testid="rejected-pending"]'));
    await page.getByTestId(`phase-${name}`).filter({ hasText: "Rejected" }).first().waitFor({ timeout: 60_000 });
    const client = createClient(ConsoleService, createConnectTransport({ baseUrl: platform.consoleUrl, httpVersion: "1.1" }));
    const events = (await client.listObjectEvents({ kind: "Trade", name })).events;
    expect(events.map((e) => `${e.reason}: ${e.message}`).join("\n")).toMatch(/RejectedByUser: .*e2e-trader/);
  });

  it("closes the open position after a confirmation", async () => {
    expect(approvedTrade, "the approve test opened a trade").not.toBe("");
    await page.goto(`${platform.consoleUrl}/trades`);
    await page.getByTestId(`close-${approvedTrade}`).waitFor({ timeout: 30_000 });
    record("open close dialog", await clickLatency(page, `[data-testid="close-${approvedTrade}"]`, "dialog[open]"));
    record("confirm close (→ pending shown)", await clickLatency(page, '[data-testid="confirm-close"]', `[data-testid="confirm-close"][aria-busy="true"], [data-testid="close-requested-${approvedTrade}"]`));
    await page.getByTestId(`phase-${approvedTrade}`).filter({ hasText: /Closing|Closed/ }).first().waitFor({ timeout: 120_000 });
  });

  it("switches to the dark theme and fits a 1024-pixel-wide laptop screen on every view", async () => {
    await page.getByRole("button", { name: /Switch to dark theme/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset["theme"])).toBe("dark");
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b, `dark background, got ${background}`).toBeLessThan(60);
    await page.goto(`${platform.consoleUrl}/trades`);
    await page.locator('main h1[id="trades-title"]').waitFor();
    await screenshot(page, "trades-dark");
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      for (const view of VIEWS) {
        await page.goto(`${platform.consoleUrl}/${view}`);
        await page.locator(`main h1[id="${view}-title"]`).waitFor();
        await page.waitForTimeout(300);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${view} scrolls sideways at 1024 px`).toBeLessThanOrEqual(1);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole("button", { name: /Switch to light theme/ }).click();
    }
  });

  it("pauses a strategy", async () => {
    await page.goto(`${platform.consoleUrl}/strategies`);
    const name = "index-bull-put";
    await page.getByTestId(`pause-${name}`).waitFor();
    record("pause strategy (→ pending shown)", await clickLatency(page, `[data-testid="pause-${name}"]`, `[data-testid="pause-${name}"][aria-busy="true"], [data-testid="resume-${name}"]`));
    await page.getByTestId(`strategy-phase-${name}`).filter({ hasText: "Paused" }).waitFor({ timeout: 30_000 });
  });

  it("stays usable through a gateway restart and marks its data stale meanwhile", async () => {
    await page.goto(`${platform.consoleUrl}/connection`);
    await page.getByTestId("connection-state").filter({ hasText: /connected/i }).waitFor({ timeout: 30_000 });
    platform.restartGateway();
    const banner = page.locator('[data-source="gateway"]');
    await banner.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator(".freshness.stale").count()).toBeGreaterThan(0);
    await screenshot(page, "gateway-down");
    // The rest of the console keeps working meanwhile.
    await page.click('nav a[href="/strategies"]');
    await page.getByTestId("strategies-table").waitFor();
    await page.click('nav a[href="/connection"]');
    await banner.waitFor({ state: "detached", timeout: 90_000 });
    await page.getByTestId("connection-state").filter({ hasText: /connected/i }).waitFor({ timeout: 60_000 });
  });

  it("shows every view with live data after a few minutes of trading (screenshots)", async () => {
    // Three more rounds through the navigation, now that every view holds data.
    // The page is on /connection after the restart test: start elsewhere, so every click changes the view.
    for (let round = 0; round < 3; round++) {
      for (const view of [...VIEWS.slice(1), VIEWS[0]]) record(`navigate to ${view}`, await clickLatency(page, `nav a[href="/${view}"]`, `main h1[id="${view}-title"]`));
    }
    for (const view of VIEWS) {
      await page.click(`nav a[href="/${view}"]`);
      await page.locator(`main h1[id="${view}-title"]`).waitFor();
      await expect.poll(() => page.locator(".freshness.live").count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(300);
      await screenshot(page, view);
    }
    await page.goto(`${platform.consoleUrl}/strategies/index-bull-put`);
    await page.getByTestId("edit").click();
    await page.getByTestId("field-risk.maxRiskPerTrade").waitFor();
    await screenshot(page, "strategy-editor");
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it("has no serious accessibility violations on any view, in either theme (axe-core)", async () => {
    // A second page whose context bypasses the console's CSP, only so axe's script can be injected.
    const auditContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const audit = await auditContext.newPage();
    try {
      await audit.goto(platform.signInLink);
      const found: string[] = [];
      for (const theme of ["light", "dark"] as const) {
        await audit.evaluate((t) => { localStorage.setItem("spreadops.console.theme", t); }, theme);
        for (const view of VIEWS) {
          await audit.goto(`${platform.consoleUrl}/${view}`);
          await audit.locator(`main h1[id="${view}-title"]`).waitFor();
          await audit.waitForTimeout(500);
          await audit.addScriptTag({ path: AXE });
          const violations = await audit.evaluate(async () => {
            const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
            const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
            return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
          });
          for (const v of violations) {
            if (v.impact === "serious" || v.impact === "critical") found.push(`${theme} /${view}: ${v.id} (${v.impact}) at ${v.targets.join(", ")}`);
          }
        }
      }
      expect(found).toEqual([]);
    } finally {
      await auditContext.close();
    }
  });

  it("keeps the scanner grid virtualised with thousands of rows", async () => {
    await page.goto(`${platform.consoleUrl}/scanner?demoRows=5000`);
    const grid = page.getByTestId("scanner-grid");
    await grid.waitFor();
    await expect.poll(async () => Number(await page.locator("[aria-rowcount]").first().getAttribute("aria-rowcount"))).toBeGreaterThanOrEqual(5000);
    const rendered = await page.getByTestId("scanner-row").count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(200);
    await grid.evaluate((element) => { element.scrollTop = element.scrollHeight; });
    await expect.poll(() => page.getByTestId("scanner-row").count()).toBeGreaterThan(5);
    record("sort 5000 rows (header click → re-sorted)", await clickLatency(page, '[data-testid="sort-maxLoss"]', '[data-testid="sort-maxLoss"][aria-sort="ascending"], [data-testid="sort-maxLoss"][aria-sort="descending"]'));
    await screenshot(page, "scanner-demo");
  });
});
