/** Event traffic on a live node for the indexer tests (credits moved and retired in many blocks). */
import { JsonRpcProvider, Wallet, NonceManager, type Signer } from "ethers";
import { createTreelion, type Treelion } from "../../../sdk/node";
import { DEPLOYMENTS } from "./sdk-node";

/** Hardhat's default test mnemonic accounts (the node's unlocked signers). */
export async function nodeSigners(provider: JsonRpcProvider, n = 6): Promise<Signer[]> {
  const accounts: string[] = await provider.send("eth_accounts", []);
  return Promise.all(accounts.slice(0, n).map((a) => provider.getSigner(a)));
}

export function client(provider: JsonRpcProvider, signer: Signer | null): Treelion {
  return createTreelion({
    runner: signer ?? provider,
    network: "localhost",
    deploymentsDir: DEPLOYMENTS,
  });
}

/**
 * Registers + activates a project, issues `batches` batches to the deployer, then runs `rounds` rounds of
 * transfers / retirements (each its own block). Returns the project and batch ids.
 */
export async function creditTraffic(
  provider: JsonRpcProvider,
  opts: { batches?: number; rounds?: number; tag?: string } = {},
) {
  const [deployer, verifier, , alice, bob] = await nodeSigners(provider);
  const t = client(provider, deployer);
  const tag = opts.tag ?? `${Date.now()}-${Math.random()}`;
  const me = await deployer.getAddress();
  let tx = await t.registry.registerProject({
    owner: me,
    name: `Traffic forest ${tag}`,
    category: 0,
    country: "0x4b45",
    standard: "VCS",
    externalId: `T-${tag}`,
    methodology: "VM0047",
    metadataURI: "ipfs://traffic",
  });
  await tx.wait();
  const projectId = await t.registry.projectCount();
  await (await t.registry.connect(verifier).setProjectStatus(projectId, 1)).wait();
  const ids: bigint[] = [];
  for (let i = 0; i < (opts.batches ?? 3); i++) {
    tx = await t.credit.connect(verifier).issue({
      projectId,
      vintage: 2020 + (i % 4),
      serialStart: BigInt(i * 1000 + 1),
      serialEnd: BigInt(i * 1000 + 500),
      to: me,
      attestation: "0x" + (i + 1).toString(16).padStart(64, "0"),
    });
    await tx.wait();
    ids.push(await t.credit.batchCount());
  }
  const a = await alice.getAddress();
  const b = await bob.getAddress();
  for (let r = 0; r < (opts.rounds ?? 10); r++) {
    const id = ids[r % ids.length];
    switch (r % 4) {
      case 0:
        await (await t.credit.safeTransferFrom(me, a, id, 1_000n + BigInt(r), "0x")).wait();
        break;
      case 1:
        await (
          await t.credit.safeBatchTransferFrom(
            me,
            b,
            ids,
            ids.map(() => 700n),
            "0x",
          )
        ).wait();
        break;
      case 2:
        await (await t.credit.connect(alice).retire(ids[0], 250n, a, `Alice ${r}`, 'offset "travel"')).wait();
        break;
      default:
        await (
          await t.credit.connect(bob).retireBatch(
            ids,
            ids.map(() => 100n),
            b,
            "Bob",
            `round ${r}`,
          )
        ).wait();
    }
  }
  return { projectId, batchIds: ids };
}

export { NonceManager, Wallet };
