import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal, verifierAddresses } from "../config/deploy-utils";

/** RetirementCertificate + CarbonCredit, wired (the credit contract is the certificate's only minter). */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer } = await hre.getNamedAccounts();
  const opts = await deployOptions(hre);
  const registry = await hre.deployments.get("GreenProjectRegistry");
  const cert = await hre.deployments.deploy("RetirementCertificate", { ...opts, args: [deployer] });
  const credit = await hre.deployments.deploy("CarbonCredit", {
    ...opts,
    args: [deployer, registry.address, cert.address],
  });

  const minter = await hre.deployments.read("RetirementCertificate", "minter");
  if (minter === "0x0000000000000000000000000000000000000000") {
    await hre.deployments.execute("RetirementCertificate", { from: deployer, log: true }, "setMinter", credit.address);
  }
  if (isLocal(hre)) {
    await ensureRole(hre, "CarbonCredit", "ISSUER", deployer);
    await ensureRole(hre, "CarbonCredit", "PAUSER", deployer);
  }
  for (const v of await verifierAddresses(hre)) await ensureRole(hre, "CarbonCredit", "ISSUER", v);
};
func.tags = ["credits"];
func.dependencies = ["registry"];
export default func;
