import path from "path";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";

/** Exact solc version shipped by the `solc` npm package (pinned in package.json). */
export const SOLC_VERSION = "0.8.28";

/**
 * Hardhat must never download a compiler: the machines that build Treelion reach only
 * the npm registry. We answer Hardhat's "which solc build?" question with the
 * Emscripten build that the pinned `solc` package ships (solc-js).
 */
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version(); // e.g. 0.8.28+commit.7893614a.Emscripten.clang
  if (args.solcVersion !== SOLC_VERSION || !longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(
      `Treelion compiles only with solc ${SOLC_VERSION} from the npm package "solc" ` +
        `(requested ${args.solcVersion}, installed ${longVersion}). Run npm ci.`,
    );
  }
  return {
    compilerPath: path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js"),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: longVersion.replace(/\.Emscripten\.clang$/, ""),
  };
});
