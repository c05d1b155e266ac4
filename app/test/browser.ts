/** A headless Chromium for the app tests: /usr/bin/chromium when present, else @sparticuz/chromium's binary. */
import fs from "fs";
import { chromium, type Browser } from "playwright-core";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--headless=new",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-default-apps",
];

export async function chromiumPath(): Promise<string> {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (fs.existsSync(p)) return p;
  const sparticuz = (await import("@sparticuz/chromium")).default as unknown as { executablePath(): Promise<string> };
  return sparticuz.executablePath();
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: ARGS, headless: true });
}
