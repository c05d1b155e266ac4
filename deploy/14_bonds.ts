import type { DeployFunction } from "hardhat-deploy/types";
import { assertDeployEnv, deployOptions, ensureRole, isLocal } from "../config/deploy-utils";

/**
 * BondTermsLib (the bonds' term validation, an external library) + GreenBondDeployer (holds the bond creation code,
 * linked to BondTermsLib) + GreenBondFactory wired to GreenProjectRegistry,
 * MilestoneEscrow and ComplianceRegistry. Factory admin = deployer; new bonds get the deployer as admin/pauser and
 * agent; the hand-over (99_handover.ts) then points bondAdmin/bondAgent at the timelock and bondPauser at the
 * guardian, so every bond created later is pausable by the guardian too (the constructor arguments stay the
 * deployer: a changed GUARDIAN_ADDRESS never redeploys the factory; governance changes it with setBondPauser and
 * preflight refuses a deploy whose GUARDIAN_ADDRESS differs from a handed-over factory's bondPauser). On local
 * networks the guardian is a fixed local account, so the factory names it as bondPauser from the start (with or
 * without the hand-over), and the deployer may create bonds (ISSUER_ROLE); elsewhere governance onboards issuers. Idempotent: a second run sends nothing.
 */
const func: DeployFunction = async (hre) => {
  assertDeployEnv(hre);
  const { deployer, guardian } = await hre.getNamedAccounts();
  const opts = await deployOptions(hre);
  const registry = await hre.deployments.get("GreenProjectRegistry");
  const escrow = await hre.deployments.get("MilestoneEscrow");
  const compliance = await hre.deployments.get("ComplianceRegistry");
  // the bond's term validation is an external library linked into the bond's creation code (keeps the deployer's
  // code well under 24 KB); an unchanged library and deployer are not redeployed
  const termsLib = await hre.deployments.deploy("BondTermsLib", { ...opts, args: [] });
  const proceedsLib = await hre.deployments.deploy("BondProceedsLib", { ...opts, args: [] });
  const bondDeployer = await hre.deployments.deploy("GreenBondDeployer", {
    ...opts,
    args: [],
    libraries: { BondTermsLib: termsLib.address, BondProceedsLib: proceedsLib.address },
  });
  await hre.deployments.deploy("GreenBondFactory", {
    ...opts,
    args: [
      deployer,
      registry.address,
      escrow.address,
      compliance.address,
      bondDeployer.address,
      deployer,
      deployer,
      isLocal(hre) ? guardian : deployer,
    ],
  });
  if (isLocal(hre)) await ensureRole(hre, "GreenBondFactory", "ISSUER", deployer);
};
func.tags = ["bonds"];
func.dependencies = ["registry", "compliance", "escrow"];
export default func;
