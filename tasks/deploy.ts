import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { invalidEnv, missingEnv } from "../config/networks";
import { PLUGIN } from "./lib/runner";

/**
 * `npx hardhat deploy` checks the environment of a public network before hardhat-deploy opens the RPC
 * connection, so a missing variable is named (never its value) and nothing is sent.
 */
task("deploy").setAction(async (args, hre, runSuper) => {
  const net = hre.network.name;
  const missing = missingEnv(net);
  if (missing.length > 0) {
    throw new HardhatPluginError(
      PLUGIN,
      `Deploy to "${net}" stopped before sending any transaction: missing environment variable(s) ${missing.join(", ")}. See .env.example.`,
    );
  }
  const invalid = invalidEnv(net);
  if (invalid.length > 0) {
    throw new HardhatPluginError(
      PLUGIN,
      `Deploy to "${net}" stopped before sending any transaction: ${invalid.join("; ")}.`,
    );
  }
  return runSuper(args);
});
