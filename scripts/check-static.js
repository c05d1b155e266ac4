#!/usr/bin/env node
/**
 * Static checks run by `npm run lint`:
 *  - every compiler warning in our own sources (contracts/) fails the build; warnings in third-party
 *    sources are printed (the one known OpenZeppelin note is acknowledged in SECURITY.md);
 *  - no `hardhat/console.sol` import anywhere in contracts/.
 * Reads the full solc output that Hardhat keeps in artifacts/build-info (run after a forced compile).
 */
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
let failed = false;

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

for (const file of walk(path.join(root, "contracts")).filter((f) => f.endsWith(".sol"))) {
  const src = fs.readFileSync(file, "utf8");
  if (/import\s+[^;]*hardhat\/console\.sol/.test(src) || /\bconsole\.log\s*\(/.test(src)) {
    console.error(`✗ ${path.relative(root, file)} uses hardhat/console.sol`);
    failed = true;
  }
}

const buildInfoDir = path.join(root, "artifacts", "build-info");
if (!fs.existsSync(buildInfoDir)) {
  console.error("✗ artifacts/build-info missing: run `npx hardhat compile --force` first");
  process.exit(1);
}
const seen = new Set();
let ours = 0;
let thirdParty = 0;
for (const f of fs.readdirSync(buildInfoDir)) {
  const info = JSON.parse(fs.readFileSync(path.join(buildInfoDir, f), "utf8"));
  for (const e of info.output.errors ?? []) {
    const key = e.formattedMessage;
    if (seen.has(key)) continue;
    seen.add(key);
    const file = e.sourceLocation?.file ?? "";
    const own = file.startsWith("contracts/");
    if (e.severity === "error") {
      console.error(`✗ compiler error: ${e.formattedMessage}`);
      failed = true;
    } else if (own) {
      console.error(`✗ compiler ${e.severity} in our sources:\n${e.formattedMessage}`);
      ours++;
      failed = true;
    } else {
      thirdParty++;
      console.log(`! third-party compiler ${e.severity} (${file}): ${e.message.split(".")[0]}.`);
    }
  }
}
console.log(
  `static checks: ${ours} warning(s) in contracts/, ${thirdParty} in third-party sources, console.sol ${failed ? "/ errors above" : "absent"}`,
);
process.exit(failed ? 1 : 0);
