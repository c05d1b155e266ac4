import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { CarbonCredit, GreenProjectRegistry } from "../../typechain-types";
import { EVM, type GasModule, type GasRow, logCost, measureTx } from "../lib";

const mod: GasModule = {
  area: "credits",
  tags: ["credits"],
  async measure(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
    const { ethers, deployments } = hre;
    const [deployer, verifier, , alice, bob, carol] = await ethers.getSigners();
    const registry = (await ethers.getContractAt(
      "GreenProjectRegistry",
      (await deployments.get("GreenProjectRegistry")).address,
    )) as unknown as GreenProjectRegistry;
    const credit = (await ethers.getContractAt(
      "CarbonCredit",
      (await deployments.get("CarbonCredit")).address,
    )) as unknown as CarbonCredit;
    const rows: GasRow[] = [];

    const input = {
      owner: alice.address,
      name: "Kasigau Corridor REDD+",
      category: 0,
      country: "0x4b45",
      standard: "Verra VCS",
      externalId: "VCS-612",
      methodology: "VM0009",
      metadataURI: "ipfs://bafy-project",
    };
    const reg = await measureTx(registry.registerProject(input));
    rows.push({ key: "registry.register", area: "registry", op: "registerProject", gas: reg.gas });
    await (await registry.connect(verifier).setProjectStatus(1, 1)).wait();

    const issueParams = (start: bigint, end: bigint, to = alice.address) => ({
      projectId: 1n,
      vintage: 2021,
      serialStart: start,
      serialEnd: end,
      to,
      attestation: ethers.id("report"),
    });
    const iss = await measureTx(credit.connect(verifier).issue(issueParams(1n, 1000n)));
    rows.push({
      key: "credits.issue",
      area: "credits",
      op: "issue (range above all, EOA recipient)",
      gas: iss.gas,
      // batch: 3 new slots, list ends: 1 new slot, counter 1 new, balance 1 new; 2 logs
      floor: iss.intrinsic + 6 * EVM.SSTORE_NEW + logCost(4, 64) + logCost(4, 160) + EVM.CALL_COLD + EVM.SLOAD_COLD,
    });
    for (let i = 1n; i < 10n; i++) {
      await (await credit.connect(verifier).issue(issueParams(i * 1000n + 1n, (i + 1n) * 1000n))).wait();
    }

    const tr = await measureTx(credit.connect(alice).safeTransferFrom(alice.address, bob.address, 1n, 5_000n, "0x"));
    rows.push({
      key: "credits.transfer.newHolder",
      area: "credits",
      op: "safeTransferFrom to a new holder",
      gas: tr.gas,
      floor: tr.intrinsic + EVM.SSTORE_NEW + EVM.SSTORE_UPDATE_COLD + EVM.SLOAD_COLD + logCost(4, 64),
    });
    const tr2 = await measureTx(credit.connect(alice).safeTransferFrom(alice.address, bob.address, 1n, 5_000n, "0x"));
    rows.push({
      key: "credits.transfer.existingHolder",
      area: "credits",
      op: "safeTransferFrom to an existing holder",
      gas: tr2.gas,
    });

    const s16 = "Acme Airlines 25"; // 16 bytes
    const r16 = "Scope 3 travel25"; // 16 bytes
    const first = await measureTx(credit.connect(alice).retire(1n, 1_500n, carol.address, s16, r16));
    rows.push({
      key: "credits.retire.first",
      area: "credits",
      op: "retire (beneficiary's first certificate, 16-byte strings)",
      gas: first.gas,
    });
    const later = await measureTx(credit.connect(alice).retire(1n, 1_500n, alice.address, s16, r16));
    await (await credit.connect(alice).retire(1n, 1_000n, alice.address, s16, r16)).wait();
    const later2 = await measureTx(credit.connect(alice).retire(1n, 1_500n, alice.address, s16, r16));
    void later;
    rows.push({
      key: "credits.retire.later",
      area: "credits",
      op: "retire (beneficiary holds a certificate, 16-byte strings)",
      gas: later2.gas,
      // burn: balance update; batch retiredKg update; registry status read; cert: counter update,
      // owner new slot, balance update, data slot new, text slot new; 4 logs
      floor:
        later2.intrinsic +
        3 * EVM.SSTORE_NEW +
        4 * EVM.SSTORE_UPDATE_COLD +
        2 * EVM.CALL_COLD +
        2 * EVM.SLOAD_COLD +
        logCost(4, 64) +
        logCost(4, 0) +
        logCost(1, 32) +
        logCost(4, 256),
    });
    const s32 = "x".repeat(32);
    const r32 = "y".repeat(32);
    const g32 = await measureTx(credit.connect(alice).retire(1n, 1_500n, alice.address, s32, r32));
    rows.push({
      key: "credits.retire.strings32",
      area: "credits",
      op: "retire (32-byte name and reason)",
      gas: g32.gas,
    });
    const s256 = "x".repeat(256);
    const r256 = "y".repeat(256);
    const g256 = await measureTx(credit.connect(alice).retire(1n, 1_500n, alice.address, s256, r256));
    rows.push({
      key: "credits.retire.strings256",
      area: "credits",
      op: "retire (256-byte name and reason, the cap)",
      gas: g256.gas,
    });
    const other = await measureTx(credit.connect(alice).retire(1n, 1_500n, bob.address, s16, r16));
    rows.push({
      key: "credits.retire.forOther",
      area: "credits",
      op: "retire for another beneficiary (account stored)",
      gas: other.gas,
    });

    const ids = Array.from({ length: 10 }, (_, i) => BigInt(i + 1));
    const amounts = ids.map(() => 100n);
    const rb = await measureTx(credit.connect(alice).retireBatch(ids, amounts, alice.address, s16, r16));
    rows.push({ key: "credits.retireBatch.10", area: "credits", op: "retireBatch of 10 batches", gas: rb.gas });
    return rows;
  },
};
export default mod;
