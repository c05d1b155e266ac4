#!/usr/bin/env node
/**
 * forge's `solc`: a bridge to the pinned `solc` npm package (solc-js), the same compiler Hardhat uses.
 *
 * forge cannot download a compiler on these machines, so foundry.toml points `solc` at this file. forge calls
 * it like native solc:
 *   forge-solc.js --version               → "solc, the solidity compiler commandline interface\nVersion: 0.8.28+commit…"
 *   forge-solc.js [flags] --standard-json  → standard-JSON input on stdin, standard-JSON output on stdout
 * Other flags (--allow-paths, --base-path, --include-path) only widen where imports may be read from; sources
 * forge sends carry their content, and any import it did not send is read from disk relative to the working
 * directory, the base path or an include path.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const HELP = `Usage: forge-solc.js --version | --standard-json [--base-path DIR] [--include-path DIR] [--allow-paths DIRS]

Compiles standard-JSON input from stdin with the pinned solc npm package (solc-js) and prints the
standard-JSON output. Used by forge through foundry.toml's \`solc\` setting.`;

function parseArgs(argv) {
  const out = { version: false, standardJson: false, help: false, roots: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--version" || a === "-v") out.version = true;
    else if (a === "--standard-json") out.standardJson = true;
    else if (a === "--help" || a === "-h") out.help = true;
    else if (a === "--base-path" || a === "--include-path") out.roots.push(argv[++i]);
    else if (a === "--allow-paths") i++;
    else if (a.startsWith("--base-path=") || a.startsWith("--include-path=")) out.roots.push(a.split("=")[1]);
    else if (a.startsWith("--allow-paths=")) continue;
    else if (a === "-") continue;
    else throw new Error(`forge-solc.js: unsupported argument ${a}\n${HELP}`);
  }
  return out;
}

function readStdin() {
  return fs.readFileSync(0, "utf8");
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const solc = require("solc");
  if (args.version) {
    // Native solc prints the platform after the commit; forge reads the semver from the "Version:" line.
    const long = solc.version().replace(/\.Emscripten\.clang$/, "");
    process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${long}.Emscripten.clang\n`);
    return;
  }
  if (!args.standardJson) throw new Error(`forge-solc.js: expected --version or --standard-json\n${HELP}`);
  const roots = [process.cwd(), ...args.roots.map((r) => path.resolve(r))];
  const findImports = (importPath) => {
    for (const root of roots) {
      const file = path.resolve(root, importPath);
      if (fs.existsSync(file)) return { contents: fs.readFileSync(file, "utf8") };
    }
    return { error: `File not found: ${importPath}` };
  };
  process.stdout.write(solc.compile(readStdin(), { import: findImports }));
}

try {
  main();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
