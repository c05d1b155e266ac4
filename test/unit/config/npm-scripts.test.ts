import { expect } from "chai";
import fs from "fs";
import path from "path";

/**
 * Every npm script must work on a fresh clone straight after `npm install`. The SDK imports sdk/generated and the
 * tests import typechain-types, both made by the first compile: a script that runs TypeScript outside Hardhat
 * (ts-node, node -r ts-node) must compile first. Hardhat's own commands (test, run, deploy, node) compile by themselves.
 */
describe("npm scripts on a fresh clone", function () {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8"));
  const scripts: Record<string, string> = pkg.scripts;

  it("compiles before running TypeScript outside Hardhat", function () {
    const late = Object.entries(scripts).filter(([, cmd]) => {
      const ts = cmd.search(/\bts-node\b/);
      if (ts < 0) return false;
      const compile = cmd.search(/\bhardhat compile\b/);
      return compile < 0 || compile > ts;
    });
    expect(
      late.map(([name]) => name),
      "scripts that run ts-node before (or without) `hardhat compile`",
    ).to.deep.equal([]);
  });

  it("finds the scripts it guards (the check is not vacuous)", function () {
    const guarded = Object.values(scripts).filter((cmd) => /\bts-node\b/.test(cmd));
    expect(guarded.length).to.be.greaterThanOrEqual(3);
  });
});
