import { expect } from "chai";
import { execFile } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import vm from "vm";
import { builtinModules } from "module";
import { webcrypto } from "crypto";
import { promisify } from "util";
import { build } from "esbuild";

/**
 * The package as users get it: `npm pack` (which builds dist/ through `prepack`), the tarball installed into a
 * fresh project from the npm registry, then a TypeScript program against `treelion-contracts/node` (type-checked
 * with the package's own declarations, then run) and a browser bundle of `treelion-contracts` (esbuild, platform
 * browser, run with web globals only).
 */

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function sh(cmd: string, args: string[], cwd: string, timeoutMs = 600_000) {
  try {
    return await run(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env } });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
}

const CONSUMER_TS = `
import fs from "fs";
import os from "os";
import path from "path";
import { Interface } from "ethers";
import { createTreelion, readDeployments, ABIS, ROLES, ProjectStatus, decodeError, tonnes, formatTonnes, type Treelion } from "treelion-contracts/node";
import * as root from "treelion-contracts";
import { openIndexer, Ledger } from "treelion-contracts/indexer";

// generated facts keep their literal types through the package's declarations
const active: 1 = ProjectStatus.Active;
const issuer: "ISSUER_ROLE" = "ISSUER_ROLE";
// @ts-expect-error: the browser-safe root entry does not read deployments from disk
const fromDisk = () => root.createTreelion({ runner: null, network: "sepolia" });
let refused = "";
try {
  fromDisk();
} catch (e) {
  refused = (e as Error).message;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-deployments-"));
fs.mkdirSync(path.join(dir, "sepolia"));
const addresses: Record<string, string> = {
  GreenProjectRegistry: "0x" + "11".repeat(20),
  CarbonCredit: "0x" + "22".repeat(20),
  RetirementCertificate: "0x" + "33".repeat(20),
};
for (const [name, address] of Object.entries(addresses))
  fs.writeFileSync(path.join(dir, "sepolia", name + ".json"), JSON.stringify({ address, abi: (ABIS as any)[name] }));
fs.writeFileSync(path.join(dir, "sepolia", "addresses.json"), JSON.stringify({ network: "sepolia", contracts: addresses }));

const t: Treelion = createTreelion({ runner: null, network: "sepolia", deploymentsDir: dir });
const data = new Interface(ABIS.CarbonCredit as any).encodeErrorResult("AccessControlUnauthorizedAccount", [
  addresses.CarbonCredit,
  ROLES[issuer],
]);
console.log(
  JSON.stringify({
    active,
    records: Object.keys(readDeployments("sepolia", dir)),
    addresses: t.addresses,
    fromSummary: root.createTreelion({ runner: null, deployments: JSON.parse(fs.readFileSync(path.join(dir, "sepolia", "addresses.json"), "utf8")) }).addresses,
    error: decodeError(data)?.formatted,
    kg: tonnes("2.5").toString(),
    text: formatTonnes(2500n),
    indexer: typeof openIndexer + "/" + typeof Ledger,
    refused,
  }),
);
`;

const BROWSER_TS = `
import { createTreelion, decodeError, ROLES, formatEvent } from "treelion-contracts";
export function smoke() {
  const t = createTreelion({
    runner: null,
    deployments: { contracts: { GreenProjectRegistry: "0x" + "11".repeat(20), CarbonCredit: "0x" + "22".repeat(20), RetirementCertificate: "0x" + "33".repeat(20) } },
  });
  const log = t.registry.interface.encodeEventLog("ProjectStatusChanged", [7n, 1, 2]);
  const [e] = t.parseEvents({ logs: [{ address: t.addresses.GreenProjectRegistry, ...log }] as any });
  const data = t.credit.interface.encodeErrorResult("AccessControlUnauthorizedAccount", [t.addresses.CarbonCredit, ROLES.PAUSER_ROLE]);
  return formatEvent(e) + " | " + decodeError(data)!.formatted;
}
`;

describe("the npm package (npm pack → install → use)", function () {
  this.timeout(900_000);
  let tmp: string;
  let project: string;
  let files: string[];

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-pack-"));
    const { stdout } = await sh("npm", ["pack", "--json", "--pack-destination", tmp], ROOT);
    const info = JSON.parse(stdout.slice(stdout.indexOf("[")))[0] as { filename: string; files: { path: string }[] };
    files = info.files.map((f) => f.path);
    project = path.join(tmp, "consumer");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    // --ignore-scripts: nothing here needs the indexer's native SQLite build, and none of the package's code runs
    // at install time
    await sh(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", path.join(tmp, info.filename)],
      project,
    );
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("holds what users need and nothing of the development tree", function () {
    expect(files).to.include.members([
      "package.json",
      "README.md",
      "dist/sdk/index.js",
      "dist/sdk/index.d.ts",
      "dist/sdk/node.js",
      "dist/sdk/indexer/index.js",
      "dist/sdk/generated/abis.js",
      "dist/sdk/generated/abis.d.ts",
      "contracts/interfaces/IGreenBond.sol",
    ]);
    const dev = files.filter((f) =>
      /^(test|bench|scripts|tasks|config|deploy|artifacts|cache|node_modules|coverage|contracts\/test|sdk)\//.test(f),
    );
    expect(dev).to.deep.equal([]);
    expect(files.filter((f) => /hardhat\.config|\.env|\.sqlite/.test(f))).to.deep.equal([]);
  });

  it("installs without Hardhat, and its TypeScript Node entry type-checks and runs", async function () {
    expect(fs.existsSync(path.join(project, "node_modules", "hardhat"))).to.equal(false);
    fs.writeFileSync(path.join(project, "consumer.ts"), CONSUMER_TS);
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          typeRoots: [path.join(ROOT, "node_modules", "@types")],
          types: ["node"],
          outDir: "out",
        },
        files: ["consumer.ts"],
      }),
    );
    await sh(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project);
    const { stdout } = await sh(process.execPath, [path.join("out", "consumer.js")], project);
    const out = JSON.parse(stdout);
    expect(out.active).to.equal(1);
    expect(out.records).to.deep.equal(["CarbonCredit", "GreenProjectRegistry", "RetirementCertificate"]);
    expect(out.addresses.CarbonCredit).to.equal("0x" + "22".repeat(20));
    expect(out.fromSummary).to.deep.equal(out.addresses);
    expect(out.error).to.equal(`AccessControlUnauthorizedAccount(0x${"22".repeat(20)}, ISSUER_ROLE)`);
    expect(out.kg).to.equal("2500");
    expect(out.text).to.equal("2.500 t");
    expect(out.indexer).to.equal("function/function");
    expect(out.refused).to.match(/needs the Node entry: import \{ createTreelion \} from "treelion-contracts\/node"/);
  });

  it("its root entry bundles for the browser from the installed package and runs with web globals only", async function () {
    fs.writeFileSync(path.join(project, "browser.ts"), BROWSER_TS);
    const builtins: string[] = [];
    const result = await build({
      absWorkingDir: project,
      entryPoints: ["browser.ts"],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "App",
      write: false,
      metafile: true,
      logLevel: "silent",
      plugins: [
        {
          name: "node-builtins",
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (!NODE_BUILTINS.has(args.path)) return undefined;
              builtins.push(`${args.path} (imported by ${args.importer})`);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    expect(builtins).to.deep.equal([]);
    expect(
      Object.keys(result.metafile!.inputs).some((f) => f.includes("node_modules/treelion-contracts/dist/sdk/index.js")),
    ).to.equal(true);
    const sandbox: Record<string, unknown> = { TextDecoder, TextEncoder, atob, btoa, crypto: webcrypto, console };
    sandbox.globalThis = sandbox;
    sandbox.self = sandbox;
    const ctx = vm.createContext(sandbox);
    vm.runInContext(result.outputFiles[0].text, ctx);
    const app = ctx.App as { smoke(): string };
    expect(app.smoke()).to.equal(
      `ProjectStatusChanged(projectId=7, from=Active, to=Suspended) | AccessControlUnauthorizedAccount(0x${"22".repeat(20)}, PAUSER_ROLE)`,
    );
  });
});
