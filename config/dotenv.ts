/**
 * A tiny `.env` reader (no dependency): KEY=value lines, `#` comments, optional `export `,
 * single/double quotes (double quotes understand \n, \t, \" and \\), inline ` #` comments on unquoted values.
 * Variables already set in the environment win over the file. Values are never printed.
 */
import fs from "fs";
import path from "path";

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/** Parses the text of a .env file; malformed lines are reported by line number (never by content). */
export function parseDotenv(text: string): { values: Record<string, string>; badLines: number[] } {
  const values: Record<string, string> = {};
  const badLines: number[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (/^\s*(#.*)?$/.test(raw)) return;
    const m = LINE.exec(raw);
    if (!m) {
      badLines.push(i + 1);
      return;
    }
    const [, key, rest] = m;
    let value: string;
    if (rest.startsWith('"')) {
      const end = findClosingQuote(rest, '"');
      if (end < 0) return void badLines.push(i + 1);
      value = rest
        .slice(1, end)
        .replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c as "n"] ?? c);
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) return void badLines.push(i + 1);
      value = rest.slice(1, end);
    } else {
      value = rest.replace(/\s+#.*$/, "").trim();
    }
    values[key] = value;
  });
  return { values, badLines };
}

function findClosingQuote(s: string, q: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === q) return i;
  }
  return -1;
}

/**
 * Loads `.env` (or the file named by DOTENV_PATH; DOTENV_PATH=none disables) into `env` without overriding
 * variables that are already set. Returns the names it set.
 */
export function loadDotenv(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const choice = env.DOTENV_PATH?.trim();
  if (choice === "none") return [];
  const file = choice ? path.resolve(root, choice) : path.join(root, ".env");
  if (!fs.existsSync(file)) return [];
  const { values, badLines } = parseDotenv(fs.readFileSync(file, "utf8"));
  if (badLines.length > 0) {
    console.warn(
      `warning: ${path.basename(file)}: ignored malformed line(s) ${badLines.join(", ")} (expected KEY=value)`,
    );
  }
  const set: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (env[k] === undefined) {
      env[k] = v;
      set.push(k);
    }
  }
  return set;
}
