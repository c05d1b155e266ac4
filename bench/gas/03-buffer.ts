import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { BufferPool, CarbonCredit, GreenProjectRegistry } from "../../typechain-types";
import { type GasModule, type GasRow, measureTx } from "../lib";

/** The non-permanence buffer: issuance that withholds a buffer share, and a reversal over 20 batches (the bound). */
const mod: GasModule = {
  area: "buffer",
  tags: ["buffer"],
  async measure(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
    const { ethers, deployments } = hre;
    const [, verifier, , alice] = await ethers.getSigners();
    const at = async <T>(name: string) =>
      (await ethers.getContractAt(name, (await deployments.get(name)).address)) as unknown as T;
    const registry = await at<GreenProjectRegistry>("GreenProjectRegistry");
    const credit = await at<CarbonCredit>("CarbonCredit");
    const buffer = await at<BufferPool>("BufferPool");
    const rows: GasRow[] = [];
    const project = async (externalId: string, bps: number) => {
      const input = {
        owner: alice.address,
        name: `Buffer bench ${externalId}`,
        category: 0,
        country: "0x4b45",
        standard: "Verra VCS",
        externalId,
        methodology: "VM0047",
        metadataURI: "ipfs://bafy-project",
      };
      const id = await registry.registerProject.staticCall(input);
      await (await registry.registerProject(input)).wait();
      await (await registry.connect(verifier).setProjectStatus(id, 1)).wait();
      await (await registry.connect(verifier).setBufferRate(id, bps)).wait();
      return id;
    };
    const p = (projectId: bigint, start: bigint, end: bigint) => ({
      projectId,
      vintage: 2021,
      serialStart: start,
      serialEnd: end,
      to: alice.address,
      attestation: ethers.id("report"),
    });

    const forest = await project("VCS-BUF-1", 1000);
    const first = await measureTx(credit.connect(verifier).issue(p(forest, 1n, 1000n)));
    rows.push({
      key: "buffer.issue.first",
      area: "buffer",
      op: "issue 1,000 t at a 10 % buffer (project's first buffer entry)",
      gas: first.gas,
    });
    const next = await measureTx(credit.connect(verifier).issue(p(forest, 1001n, 2000n)));
    rows.push({
      key: "buffer.issue",
      area: "buffer",
      op: "issue 1,000 t at a 10 % buffer (appended to the buffer queue)",
      gas: next.gas,
      note: `without buffer: see credits.issue`,
    });

    // 20 more batches of 1 t, each withheld whole at 1 bp: a reversal of 20 t cancels from exactly 20 batches
    const small = await project("VCS-BUF-2", 1);
    for (let s = 1n; s <= 21n; s++) await (await credit.connect(verifier).issue(p(small, s, s))).wait();
    const rev = await measureTx(
      buffer.connect(verifier).reportReversal(small, 20_000n, false, ethers.id("fire-report")),
    );
    rows.push({
      key: "buffer.reportReversal.20",
      area: "buffer",
      op: "reportReversal cancelling from 20 batches (the per-call bound)",
      gas: rev.gas,
    });
    const one = await measureTx(buffer.connect(verifier).reportReversal(small, 500n, true, ethers.id("fire-2")));
    rows.push({
      key: "buffer.reportReversal.1.avoidable",
      area: "buffer",
      op: "reportReversal from 1 batch, avoidable (blocks issuance)",
      gas: one.gas,
    });
    return rows;
  },
};
export default mod;
