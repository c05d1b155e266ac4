#!/usr/bin/env node
// Fails when coverage of contracts/ (mocks in contracts/test are skipped by .solcover.js) is below the bar.
const fs = require("fs");
const path = require("path");

const LINES = Number(process.env.COVERAGE_MIN_LINES ?? 95);
const BRANCHES = Number(process.env.COVERAGE_MIN_BRANCHES ?? 90);
const file = path.join(__dirname, "..", "coverage", "coverage-summary.json");
if (!fs.existsSync(file)) {
  console.error(`coverage summary not found at ${file}: run "npm run coverage"`);
  process.exit(1);
}
const total = JSON.parse(fs.readFileSync(file, "utf8")).total;
const lines = total.lines.pct;
const branches = total.branches.pct;
console.log(`coverage of contracts/: lines ${lines}% (min ${LINES}%), branches ${branches}% (min ${BRANCHES}%)`);
if (lines < LINES || branches < BRANCHES) {
  console.error("coverage below the required minimum");
  process.exit(1);
}
