import { expect } from "chai";
import path from "path";
import vm from "vm";
import { builtinModules } from "module";
import { webcrypto } from "crypto";
import { build, type Plugin } from "esbuild";
import hre from "hardhat";

/**
 * The SDK's root entry (`treelion-contracts`) is what a dApp bundles: esbuild for platform "browser" must
 * bundle it with no Node built-in, no Hardhat and no file system, and the bundle must work in a context that
 * has only web globals (no require, process or Buffer).
 */

const ROOT = hre.config.paths.root;
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Records every import of a Node built-in (esbuild would otherwise leave some to the bundler's shims). */
function builtinRecorder(found: string[]): Plugin {
  return {
    name: "node-builtins",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (NODE_BUILTINS.has(args.path)) {
          found.push(`${args.path} (imported by ${path.relative(ROOT, args.importer)})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

async function bundle(entry: string, format: "esm" | "iife" = "esm") {
  const builtins: string[] = [];
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    platform: "browser",
    format,
    globalName: format === "iife" ? "TreelionSDK" : undefined,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [builtinRecorder(builtins)],
  });
  const inputs = Object.keys(result.metafile!.inputs);
  return { builtins, inputs, text: result.outputFiles[0].text };
}

describe("SDK root entry in a browser bundle", function () {
  this.timeout(120_000);

  it("bundles for platform browser with no Node built-in, no Hardhat, no fs and no TypeChain factory", async function () {
    const { builtins, inputs } = await bundle("sdk/index.ts");
    expect(builtins, "Node built-ins in the browser bundle").to.deep.equal([]);
    const forbidden = inputs.filter(
      (f) =>
        /node_modules[/\\](hardhat|@nomicfoundation|hardhat-deploy|better-sqlite3)[/\\]/.test(f) ||
        /^sdk[/\\](node|indexer)/.test(f) ||
        /typechain-types[/\\]factories/.test(f) ||
        /^(scripts|tasks|config)[/\\]/.test(f),
    );
    expect(forbidden, "modules a browser bundle must not contain").to.deep.equal([]);
    expect(inputs).to.include.members(["sdk/index.ts", "sdk/generated/abis.ts"]);
  });

  it("the check fails on a Node-only entry (the Node entry reads deployments with fs)", async function () {
    const { builtins } = await bundle("sdk/node.ts");
    expect(builtins.some((b) => b.startsWith("fs "))).to.equal(true);
  });

  it("the bundle runs with web globals only: client, decoders and formatters work", async function () {
    const { text } = await bundle("sdk/index.ts", "iife");
    const sandbox: Record<string, unknown> = {
      TextDecoder,
      TextEncoder,
      atob,
      btoa,
      crypto: webcrypto,
      console,
      setTimeout,
      clearTimeout,
      URL,
    };
    sandbox.globalThis = sandbox;
    sandbox.window = sandbox;
    const ctx = vm.createContext(sandbox);
    vm.runInContext(text, ctx);
    const sdk = ctx.TreelionSDK as typeof import("../../../sdk");
    expect(vm.runInContext("typeof require + typeof process + typeof Buffer", ctx)).to.equal(
      "undefinedundefinedundefined",
    );

    const addresses = {
      GreenProjectRegistry: "0x" + "11".repeat(20),
      CarbonCredit: "0x" + "22".repeat(20),
      RetirementCertificate: "0x" + "33".repeat(20),
      NatureCarbonPool: "0x" + "44".repeat(20),
    };
    const t = sdk.createTreelion({
      runner: null,
      deployments: { network: "sepolia", chainId: 11155111, contracts: addresses },
    });
    expect(Object.keys(t.pools)).to.deep.equal(["NatureCarbonPool"]);
    expect(t.credit.interface.getFunction("retire")).to.not.equal(null);

    // an event of the credit contract, encoded with its compiled ABI, decodes with names
    const iface = t.credit.interface;
    const log = iface.encodeEventLog("TransferSingle", [
      addresses.CarbonCredit,
      addresses.CarbonCredit,
      addresses.NatureCarbonPool,
      7n,
      1500n,
    ]);
    const [e] = t.parseEvents({ logs: [{ address: addresses.CarbonCredit, ...log }] as any });
    expect(e.name).to.equal("TransferSingle");
    expect(e.contract).to.equal("CarbonCredit");
    expect(sdk.formatEvent(e)).to.match(/^TransferSingle\(operator=0x2222.*, id=7, value=1500\)$/);

    // errors with enum and role names
    const data = iface.encodeErrorResult("AccessControlUnauthorizedAccount", [
      addresses.CarbonCredit,
      sdk.ROLES.ISSUER_ROLE,
    ]);
    expect(sdk.decodeError(data)!.formatted).to.equal(
      `AccessControlUnauthorizedAccount(${addresses.CarbonCredit}, ISSUER_ROLE)`,
    );

    // units and certificates (base64 JSON without Buffer)
    expect(sdk.tonnes("1.5")).to.equal(1500n);
    expect(sdk.formatTonnes(1500n)).to.equal("1.500 t");
    const json = JSON.stringify({ name: "Retirement #3", attributes: [{ trait_type: "Beneficiary", value: "Åsa ✓" }] });
    const uri = "data:application/json;base64," + Buffer.from(json, "utf8").toString("base64");
    const cert = sdk.decodeCertificateURI(uri);
    expect(cert.beneficiaryName).to.equal("Åsa ✓");
    expect(cert.certificateId).to.equal(3n);
  });
});
