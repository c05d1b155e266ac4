import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";
import { parseAddressList } from "../config/networks";

/** Marketplace fee in basis points (cap 1,000). Override with MARKET_FEE_BPS. */
export const MARKET_FEE_BPS = 100;

/**
 * CreditMarketplace: escrowed listings, DvP purchases, buy-and-retire. Fee to the named `treasury`.
 * Payment tokens: `TestStablecoin` on local networks; on testnets the comma-separated MARKET_PAYMENT_TOKENS.
 * Idempotent: a second run sends nothing (deployment reused, allow-list and roles checked first).
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer, treasury } = await hre.getNamedAccounts();
  const feeEnv = process.env.MARKET_FEE_BPS?.trim();
  const feeBps = feeEnv ? Number(feeEnv) : MARKET_FEE_BPS;
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 1000) {
    throw new Error("MARKET_FEE_BPS must be an integer between 0 and 1000");
  }
  const credit = await hre.deployments.get("CarbonCredit");
  await hre.deployments.deploy("CreditMarketplace", {
    ...(await deployOptions(hre)),
    args: [deployer, credit.address, treasury, feeBps],
  });

  const tokens = isLocal(hre)
    ? [(await hre.deployments.get("TestStablecoin")).address]
    : parseAddressList(process.env.MARKET_PAYMENT_TOKENS);
  for (const token of tokens) {
    if (!(await hre.deployments.read("CreditMarketplace", "paymentTokenAllowed", token))) {
      await hre.deployments.execute("CreditMarketplace", { from: deployer, log: true }, "setPaymentToken", token, true);
    }
  }
  if (isLocal(hre)) await ensureRole(hre, "CreditMarketplace", "PAUSER", deployer);
};
func.tags = ["market"];
func.dependencies = ["credits", "test-tokens"]; // test-tokens skips itself outside local networks
export default func;
