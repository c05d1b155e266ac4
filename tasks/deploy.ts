import { subtask, task } from "hardhat/config";
import { TASK_NODE_SERVER_READY } from "hardhat/builtin-tasks/task-names";
import { writeAddressSummary } from "../config/deploy-utils";
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

/**
 * `npx hardhat node` deploys at start-up on the in-process network and saves the records under
 * deployments/localhost: write that folder's addresses.json too (the deploy's summary step skips "hardhat").
 */
subtask(TASK_NODE_SERVER_READY).setAction(async (args, hre, runSuper) => {
  await runSuper(args);
  const all = await hre.deployments.all();
  if (Object.keys(all).length === 0) return; // --no-deploy
  const file = await writeAddressSummary(hre, "localhost");
  console.log(`address summary: ${file}`);
});
