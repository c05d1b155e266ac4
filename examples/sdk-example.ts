import type { ContractRunner } from "ethers";
import { createTreelion, tonnes, kgToTonnesString, priceFor, type AddressMap } from "../sdk";

/** Issue a batch below an existing range with the right hint, retire 1.5 t, read the certificate. */
export async function sdkExample(runner: ContractRunner, addresses: AddressMap, projectId: bigint, holder: string) {
  const t = createTreelion({ runner, addresses }); // or { runner, deployments: addressesJson } (an imported addresses.json)

  const range = { serialStart: 1n, serialEnd: 10n };
  const hint = await t.findOverlapHint(projectId, range);
  if (!hint.ok) throw new Error(`serials overlap batch ${hint.overlap.batchId}`);
  const params = { projectId, vintage: 2022, ...range, to: holder, attestation: "0x" + "11".repeat(32) };
  const tx =
    hint.method === "issue" ? await t.credit.issue(params) : await t.credit.issueWithHint(params, hint.prevBatchId);
  const [issued] = t.events(await tx.wait(), "BatchIssued"); // typed: issued.args.batchId is a bigint
  const batchId = issued.args.batchId;

  try {
    await t.credit.retire(batchId, tonnes("999999"), holder, "Acme", "too much");
  } catch (err) {
    console.log("refused:", t.decodeError(err)?.name); // ERC1155InsufficientBalance
  }
  const receipt = await (await t.credit.retire(batchId, tonnes("1.5"), holder, "Acme Airlines", "2025 flights")).wait();
  const [retired] = t.events(receipt, "Retired");
  const cert = await t.certificateJson(retired.args.certificateId);
  console.log(
    `${cert.tonnes} t retired for ${cert.beneficiaryName}; 2.5 t at 12 USD/t costs ${priceFor(tonnes("2.5"), 12_000_000n)} µUSD`,
  );
  return { batchId, certificateId: retired.args.certificateId, tonnes: kgToTonnesString(retired.args.amountKg), hint };
}
