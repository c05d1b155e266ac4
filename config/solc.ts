import path from "path";
import { subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS,
} from "hardhat/builtin-tasks/task-names";

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

/**
 * solc warns (code 2394) on every `tstore` in OpenZeppelin's TransientSlot.sol that transient storage can break
 * composability when it is not cleared at the end of the call. OpenZeppelin uses it only for
 * ReentrancyGuardTransient-style guards that are cleared before the call returns, the one use solc itself calls
 * safe, so this warning says nothing about Treelion code. It is dropped from the printed output for that file
 * only; every other warning (and this warning in any other file) is still printed, and the compiler output
 * itself is unchanged.
 */
export const SILENCED_WARNINGS = [{ file: "@openzeppelin/contracts/utils/TransientSlot.sol", errorCode: "2394" }];

export function isSilencedWarning(e: { severity?: string; errorCode?: string; sourceLocation?: { file?: string } }) {
  return (
    e.severity === "warning" &&
    SILENCED_WARNINGS.some((w) => w.errorCode === e.errorCode && w.file === e.sourceLocation?.file)
  );
}

subtask(TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS).setAction(async (args: { output: any }, _hre, runSuper) => {
  const errors = args.output?.errors;
  if (!Array.isArray(errors)) return runSuper(args);
  return runSuper({ ...args, output: { ...args.output, errors: errors.filter((e) => !isSilencedWarning(e)) } });
});
